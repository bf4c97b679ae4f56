/** The official @anthropic-ai/sdk accepts the Anthropic simulator's answers, streams included. */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulators';
import type { SimulatorHandle } from '../../src/simulators';

describe('@anthropic-ai/sdk ↔ anthropic simulator', () => {
  let sim: SimulatorHandle;
  let client: Anthropic;
  beforeAll(async () => {
    sim = await startSimulator({ provider: 'anthropic' });
    client = new Anthropic({ baseURL: sim.baseUrl, apiKey: 'sk-ant-sim', maxRetries: 0 });
  });
  afterAll(() => sim.close());

  it('messages.create', async () => {
    const msg = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, system: 'be nice', messages: [{ role: 'user', content: 'hello claude' }] });
    expect(msg.content[0]!.type === 'text' && msg.content[0]!.text).toBe('You said: hello claude');
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage.output_tokens).toBe(4);
    expect(sim.requests.at(-1)!.headers['anthropic-version']).toBeDefined();
  });

  it('messages.stream assembles text via the SDK stream parser', async () => {
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'stream me' }] });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const final = await stream.finalMessage();
    expect(deltas.join('')).toBe('You said: stream me');
    expect(final.content[0]!.type === 'text' && final.content[0]!.text).toBe('You said: stream me');
    expect(final.usage.output_tokens).toBe(4);
  });

  it('streams tool_use with partial JSON the SDK reassembles', async () => {
    const final = await client.messages
      .stream({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        tools: [{ name: 'lookup', input_schema: { type: 'object', properties: { q: { type: 'string' }, n: { type: 'integer' } } } }],
        tool_choice: { type: 'any' },
        messages: [{ role: 'user', content: 'find cats' }],
      })
      .finalMessage();
    const block = final.content[0]!;
    expect(block.type).toBe('tool_use');
    expect(block.type === 'tool_use' && block.input).toEqual({ q: 'find cats', n: 9 });
    expect(final.stop_reason).toBe('tool_use');
  });

  it('tool_result round trip', async () => {
    const msg = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
      messages: [
        { role: 'user', content: 'find cats' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '3 cats' }] },
      ],
    });
    expect(msg.content[0]!.type === 'text' && msg.content[0]!.text).toBe('Tool result: 3 cats');
  });

  it('errors map to SDK classes: 429 with retry-after, 529 overloaded, in-stream error event', async () => {
    sim.script({ error: 'rate_limit', retryAfter: 4 });
    const rl = await client.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(rl).toBeInstanceOf(Anthropic.RateLimitError);
    expect((rl as InstanceType<typeof Anthropic.RateLimitError>).headers?.get('retry-after')).toBe('4');
    sim.script({ error: 'overloaded' });
    const ov = await client.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(ov).toBeInstanceOf(Anthropic.APIError);
    expect((ov as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    sim.script({ streamErrorAt: 3, error: 'overloaded' });
    const inStream = await client.messages.stream({ model: 'm', max_tokens: 50, messages: [{ role: 'user', content: 'a b c d' }] }).finalMessage().catch((e: unknown) => e);
    expect(inStream).toBeInstanceOf(Anthropic.APIError);
    expect(String(inStream)).toContain('Overloaded');
  });
});
