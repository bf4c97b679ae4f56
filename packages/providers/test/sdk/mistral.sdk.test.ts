/** The official @mistralai/mistralai SDK (zod-validated responses) accepts the Mistral simulator's answers. */
import { Mistral } from '@mistralai/mistralai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulators';
import type { SimulatorHandle } from '../../src/simulators';

describe('@mistralai/mistralai ↔ mistral simulator', () => {
  let sim: SimulatorHandle;
  let client: Mistral;
  beforeAll(async () => {
    sim = await startSimulator({ provider: 'mistral' });
    client = new Mistral({ apiKey: 'mistral-key', serverURL: sim.url });
  });
  afterAll(() => sim.close());

  it('chat.complete', async () => {
    const res = await client.chat.complete({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'bonjour' }], randomSeed: 3 });
    expect(res.choices[0]!.message.content).toBe('You said: bonjour');
    expect(res.choices[0]!.finishReason).toBe('stop');
    expect(res.usage.completionTokens).toBe(3);
  });

  it('chat.stream with usage on the last chunk', async () => {
    const stream = await client.chat.stream({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'stream bonjour' }] });
    let text = '';
    let completion = 0;
    for await (const ev of stream) {
      const c = ev.data.choices[0]?.delta.content;
      if (typeof c === 'string') text += c;
      if (ev.data.usage) completion = ev.data.usage.completionTokens ?? 0;
    }
    expect(text).toBe('You said: stream bonjour');
    expect(completion).toBe(4);
  });

  it('tool calls with tool_choice any', async () => {
    const res = await client.chat.complete({
      model: 'mistral-small-latest',
      messages: [{ role: 'user', content: 'status of order 7' }],
      tools: [{ type: 'function', function: { name: 'order_status', parameters: { type: 'object', properties: { id: { type: 'string' } } } } }],
      toolChoice: 'any',
    });
    const call = res.choices[0]!.message.toolCalls![0]!;
    expect(call.function.name).toBe('order_status');
    expect(JSON.parse(call.function.arguments as string)).toEqual({ id: 'status of order 7' });
  });

  it('embeddings.create', async () => {
    const res = await client.embeddings.create({ model: 'mistral-embed', inputs: ['x', 'y'] });
    expect(res.data).toHaveLength(2);
    expect(res.data[0]!.embedding!.length).toBeGreaterThan(0);
  });

  it('errors surface with their HTTP status', async () => {
    sim.script({ error: 'rate_limit' });
    const err = await client.chat.complete({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, { retries: { strategy: 'none' } }).catch((e: unknown) => e);
    expect((err as { statusCode: number }).statusCode).toBe(429);
  });
});
