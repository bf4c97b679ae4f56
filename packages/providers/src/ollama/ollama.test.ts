import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NdjsonParser } from '../http/sse';
import { ChatStreamAccumulator } from '../core/accumulate';
import type { ChatChunk } from '../core/types';
import { OllamaChatStream } from './stream';
import { buildOllamaBody } from './request';

describe('ollama NDJSON stream on a documented payload', () => {
  it('assembles text and whole tool calls, usage from the done line', () => {
    const wire = readFileSync(join(__dirname, '__fixtures__/chat-stream.ndjson'), 'utf8');
    const parser = new NdjsonParser();
    const state = new OllamaChatStream('ollama', { model: 'llama3.2', messages: [] });
    const out: ChatChunk[] = [];
    for (let i = 0; i < wire.length; i += 11) for (const l of parser.push(wire.slice(i, i + 11))) state.event(l, out);
    for (const l of parser.end()) state.event(l, out);
    state.end();
    const acc = new ChatStreamAccumulator();
    for (const c of out) acc.add(c);
    const res = acc.result();
    expect(res.choices[0]!.message.content).toBe('The sky');
    expect(res.choices[0]!.message.tool_calls![0]!.function).toEqual({ name: 'get_weather', arguments: '{"city":"Toronto"}' });
    expect(res.choices[0]!.finish_reason).toBe('tool_calls');
    expect(res.usage).toEqual({ prompt_tokens: 26, completion_tokens: 282, total_tokens: 308 });
  });
});

describe('ollama mapping', () => {
  it('sampling goes to options, JSON mode to format, images to base64, stream always explicit', () => {
    const body = buildOllamaBody(
      {
        model: 'llava',
        max_tokens: 10,
        temperature: 0.2,
        seed: 1,
        stop: 'END',
        response_format: { type: 'json_object' },
        messages: [{ role: 'user', content: [{ type: 'text', text: 'what' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,QUJD' } }] }],
      },
      false,
    );
    expect(body).toEqual({
      model: 'llava',
      stream: false,
      format: 'json',
      options: { num_predict: 10, temperature: 0.2, seed: 1, stop: ['END'] },
      messages: [{ role: 'user', content: 'what', images: ['QUJD'] }],
    });
  });
});
