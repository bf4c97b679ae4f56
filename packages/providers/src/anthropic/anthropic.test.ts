import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SseParser } from '../http/sse';
import { ChatStreamAccumulator } from '../core/accumulate';
import { ProviderError } from '../core/errors';
import type { ChatChunk } from '../core/types';
import { buildAnthropicBody } from './request';
import { AnthropicChatStream } from './stream';

describe('anthropic request mapping', () => {
  it('moves system/developer to `system`, merges tool results into one user turn, clamps and renames', () => {
    const body = buildAnthropicBody(
      {
        model: 'claude-sonnet-4-5',
        temperature: 1.7,
        stop: 'END',
        user: 'u-42',
        seed: 7,
        parallel_tool_calls: false,
        tool_choice: 'required',
        tools: [{ type: 'function', function: { name: 'a', parameters: { type: 'object', properties: {} } } }],
        messages: [
          { role: 'system', content: 'sys' },
          { role: 'developer', content: 'dev' },
          { role: 'user', content: 'hi' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 't1', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
              { id: 't2', type: 'function', function: { name: 'a', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 't1', content: 'r1' },
          { role: 'tool', tool_call_id: 't2', content: 'r2' },
        ],
      },
      false,
    );
    expect(body['system']).toBe('sys\n\ndev');
    expect(body['temperature']).toBe(1);
    expect(body['stop_sequences']).toEqual(['END']);
    expect(body['metadata']).toEqual({ user_id: 'u-42' });
    expect(body['seed']).toBeUndefined();
    expect(body['max_tokens']).toBe(4096);
    expect(body['tool_choice']).toEqual({ type: 'any', disable_parallel_tool_use: true });
    const messages = body['messages'] as Array<{ role: string; content: unknown[] }>;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[1]!.content).toEqual([
      { type: 'tool_use', id: 't1', name: 'a', input: { x: 1 } },
      { type: 'tool_use', id: 't2', name: 'a', input: {} },
    ]);
    expect(messages[2]!.content).toEqual([
      { type: 'tool_result', tool_use_id: 't1', content: 'r1' },
      { type: 'tool_result', tool_use_id: 't2', content: 'r2' },
    ]);
  });

  it('translates images to base64 / url sources', () => {
    const body = buildAnthropicBody(
      {
        model: 'm',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            ],
          },
        ],
      },
      false,
    );
    expect((body['messages'] as Array<{ content: unknown[] }>)[0]!.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('rejects what Anthropic cannot do with a bad_request naming feature and provider', () => {
    expect(() => buildAnthropicBody({ model: 'm', n: 2, messages: [{ role: 'user', content: 'x' }] }, false)).toThrowError(
      /n > 1.*not supported by provider anthropic/,
    );
    try {
      buildAnthropicBody({ model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: '', format: 'wav' } }] }] }, false);
    } catch (e) {
      expect(e).toBeInstanceOf(ProviderError);
      expect((e as ProviderError).category).toBe('bad_request');
      expect((e as ProviderError).message).toContain('audio input');
    }
  });
});

describe('anthropic stream state on a documented wire payload', () => {
  it('assembles text + streamed tool_use and usage including cache reads', () => {
    const wire = readFileSync(join(__dirname, '__fixtures__/tool-use-stream.sse'), 'utf8');
    const parser = new SseParser();
    const state = new AnthropicChatStream('anthropic');
    const out: ChatChunk[] = [];
    // Feed in 17-byte slices to cross event boundaries.
    for (let i = 0; i < wire.length; i += 17) for (const e of parser.push(wire.slice(i, i + 17))) state.event(e, out);
    for (const e of parser.end()) state.event(e, out);
    state.end();
    const acc = new ChatStreamAccumulator();
    for (const c of out) acc.add(c);
    const res = acc.result();
    expect(res.id).toBe('msg_014p7gG3wDgGV9EUtLvnow3U');
    expect(res.choices[0]!.message.content).toBe("Okay, let's check the weather");
    expect(res.choices[0]!.message.tool_calls).toEqual([
      { id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', type: 'function', function: { name: 'get_weather', arguments: '{"location": "San Francisco, CA"}' } },
    ]);
    expect(res.choices[0]!.finish_reason).toBe('tool_calls');
    expect(res.usage).toEqual({ prompt_tokens: 572, completion_tokens: 89, total_tokens: 661, prompt_tokens_details: { cached_tokens: 100 } });
  });

  it('throws stream_truncated when message_stop never comes', () => {
    const state = new AnthropicChatStream('anthropic');
    state.event({ event: 'message_start', data: '{"type":"message_start","message":{"id":"m","model":"x","usage":{"input_tokens":1}}}', id: undefined }, []);
    expect(() => state.end()).toThrowError(/closed the stream/);
  });
});
