/** The official ollama JS client accepts the Ollama simulator's answers (NDJSON streams included). */
import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulators';
import type { SimulatorHandle } from '../../src/simulators';

describe('ollama SDK ↔ ollama simulator', () => {
  let sim: SimulatorHandle;
  let client: Ollama;
  beforeAll(async () => {
    sim = await startSimulator({ provider: 'ollama' });
    client = new Ollama({ host: sim.baseUrl });
  });
  afterAll(() => sim.close());

  it('chat', async () => {
    const res = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hello llama' }] });
    expect(res.message.content).toBe('You said: hello llama');
    expect(res.done).toBe(true);
    expect(res.eval_count).toBe(4);
  });

  it('chat stream (NDJSON)', async () => {
    const stream = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'stream llama' }], stream: true });
    let text = '';
    let done = false;
    for await (const part of stream) {
      text += part.message.content;
      if (part.done) done = true;
    }
    expect(text).toBe('You said: stream llama');
    expect(done).toBe(true);
  });

  it('tool calls and structured output', async () => {
    const res = await client.chat({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'add 2 and 3' }],
      tools: [{ type: 'function', function: { name: 'add', description: 'adds', parameters: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, required: ['a', 'b'] } } }],
    });
    expect(res.message.tool_calls![0]!.function).toEqual({ name: 'add', arguments: { a: 11, b: 11 } });
    const json = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'json' }], format: 'json' });
    expect(JSON.parse(json.message.content)).toEqual({ echo: 'json' });
  });

  it('embed and generate', async () => {
    const emb = await client.embed({ model: 'nomic-embed-text', input: ['a', 'b'] });
    expect(emb.embeddings).toHaveLength(2);
    const gen = await client.generate({ model: 'llama3.2', prompt: 'gen test' });
    expect(gen.response).toBe('You said: gen test');
  });

  it('errors carry the status and Ollama’s message', async () => {
    sim.script({ error: 'not_found' });
    const err = await client.chat({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((err as { status_code: number }).status_code).toBe(404);
    expect((err as Error).message).toContain('not found');
  });
});
