import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SseParser } from '../http/sse';
import { ChatStreamAccumulator } from '../core/accumulate';
import type { ChatChunk } from '../core/types';
import { GeminiChatStream } from './stream';
import { buildGeminiBody } from './request';
import { parseGeminiResponse } from './response';
import { ProviderError } from '../core/errors';

describe('gemini stream state on a documented wire payload', () => {
  it('joins text, turns whole function calls into tool calls, counts thoughts as reasoning', () => {
    const wire = readFileSync(join(__dirname, '__fixtures__/stream.sse'), 'utf8');
    const parser = new SseParser();
    const state = new GeminiChatStream('gemini', { model: 'gemini-2.5-flash', messages: [] });
    const out: ChatChunk[] = [];
    for (let i = 0; i < wire.length; i += 13) for (const e of parser.push(wire.slice(i, i + 13))) state.event(e, out);
    state.end(out);
    const acc = new ChatStreamAccumulator();
    for (const c of out) acc.add(c);
    const res = acc.result();
    expect(res.id).toBe('abc123');
    expect(res.choices[0]!.message.content).toBe('The answer is 4.');
    expect(res.choices[0]!.message.tool_calls).toEqual([{ id: 'call_0_0', type: 'function', function: { name: 'log', arguments: '{"n":4}' } }]);
    expect(res.choices[0]!.finish_reason).toBe('tool_calls');
    expect(res.usage).toEqual({ prompt_tokens: 9, completion_tokens: 31, total_tokens: 40, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 25 } });
  });
});

describe('gemini mapping', () => {
  it('maps roles, tool results by call id, generationConfig and JSON schema', () => {
    const body = buildGeminiBody({
      model: 'gemini-2.5-flash',
      max_tokens: 64,
      stop: ['X'],
      n: 2,
      response_format: { type: 'json_schema', json_schema: { name: 's', schema: { type: 'object' } } },
      tool_choice: { type: 'function', function: { name: 'f' } },
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'plain text result' },
      ],
    });
    expect(body['systemInstruction']).toEqual({ parts: [{ text: 'sys' }] });
    expect(body['contents']).toEqual([
      { role: 'user', parts: [{ text: 'q' }] },
      { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'f', response: { result: 'plain text result' } } }] },
    ]);
    expect(body['generationConfig']).toEqual({ maxOutputTokens: 64, stopSequences: ['X'], candidateCount: 2, responseMimeType: 'application/json', responseJsonSchema: { type: 'object' } });
    expect(body['toolConfig']).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } });
  });

  it('a blocked prompt is a content_filter error', () => {
    expect(() => parseGeminiResponse('gemini', { promptFeedback: { blockReason: 'SAFETY' } }, 'm')).toThrowError(ProviderError);
    try {
      parseGeminiResponse('gemini', { promptFeedback: { blockReason: 'SAFETY' } }, 'm');
    } catch (e) {
      expect((e as ProviderError).category).toBe('content_filter');
    }
  });
});
