import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SseParser } from '../http/sse';
import { ChatStreamAccumulator } from '../core/accumulate';
import type { ChatChunk } from '../core/types';
import { OpenAIChatStream } from './stream';
import { providers } from '../registry';

function run(wire: string, slice: number): ChatChunk[] {
  const parser = new SseParser();
  const state = new OpenAIChatStream('openai');
  const out: ChatChunk[] = [];
  const bytes = new TextEncoder().encode(wire);
  for (let i = 0; i < bytes.length; i += slice) for (const e of parser.push(bytes.subarray(i, i + slice))) state.event(e, out);
  for (const e of parser.end()) state.event(e, out);
  state.end(out);
  return out;
}

describe('openai stream state on a documented wire payload', () => {
  const wire = readFileSync(join(__dirname, '__fixtures__/tool-calls-stream.sse'), 'utf8');

  it('assembles two parallel streamed tool calls and moves usage to the final chunk', () => {
    for (const slice of [1, 7, 4096]) {
      const out = run(wire, slice);
      expect(out.at(-1)!.choices).toEqual([]);
      expect(out.slice(0, -1).every((c) => c.usage === undefined)).toBe(true);
      const acc = new ChatStreamAccumulator();
      for (const c of out) acc.add(c);
      const res = acc.result();
      expect(res.choices[0]!.message.tool_calls).toEqual([
        { id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris, France"}' } },
        { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ]);
      expect(res.choices[0]!.finish_reason).toBe('tool_calls');
      expect(res.usage!.prompt_tokens_details!.cached_tokens).toBe(64);
    }
  });

  it('a stream cut before finish_reason and [DONE] is stream_truncated', () => {
    const cut = wire.slice(0, wire.indexOf('"finish_reason":"tool_calls"') - 200);
    expect(() => run(cut.slice(0, cut.lastIndexOf('\n\n') + 2), 64)).toThrowError(/closed the stream before it finished/);
  });
});

describe('OpenAI-compatible dialects (declarative field tables)', () => {
  const req = {
    model: 'm',
    messages: [{ role: 'developer' as const, content: 'dev' }, { role: 'user' as const, content: 'u' }],
    max_completion_tokens: 50,
    seed: 4,
    user: 'u1',
    tool_choice: 'required' as const,
    tools: [{ type: 'function' as const, function: { name: 'f' } }],
    temperature: 3,
  };
  const ctx = (id: string) => ({ provider: id, config: { type: id, baseUrl: 'http://x/v1', apiKey: 'k', deployment: 'dep', apiVersion: '2024-10-21' } });
  const bodyOf = (id: keyof typeof providers, stream = false) => {
    const up = providers[id].chat.build(req, ctx(id), stream);
    return { up, body: JSON.parse(up.body as string) as Record<string, unknown> };
  };

  it('openai keeps fields and the developer role, clamps temperature, asks for stream usage', () => {
    const { up, body } = bodyOf('openai', true);
    expect(up.url).toBe('http://x/v1/chat/completions');
    expect(up.headers['authorization']).toBe('Bearer k');
    expect(body).toMatchObject({ max_completion_tokens: 50, seed: 4, user: 'u1', tool_choice: 'required', temperature: 2, stream: true, stream_options: { include_usage: true } });
    expect((body['messages'] as Array<{ role: string }>)[0]!.role).toBe('developer');
  });

  it('mistral renames max_completion_tokens/seed, maps required→any, drops user, system role', () => {
    const { body } = bodyOf('mistral', true);
    expect(body).toMatchObject({ max_tokens: 50, random_seed: 4, tool_choice: 'any', stream: true });
    expect(body['user']).toBeUndefined();
    expect(body['stream_options']).toBeUndefined();
    expect((body['messages'] as Array<{ role: string }>)[0]!.role).toBe('system');
  });

  it('azure targets the deployment with api-version and api-key', () => {
    const { up } = bodyOf('azure');
    expect(up.url).toBe('http://x/v1/openai/deployments/dep/chat/completions?api-version=2024-10-21');
    expect(up.headers['api-key']).toBe('k');
    expect(up.headers['authorization']).toBeUndefined();
  });
});
