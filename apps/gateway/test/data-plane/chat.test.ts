import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestGateway, type TestGateway } from '../support.js';
import { startSimulator } from '@conduit/providers/simulators';
import { addModel, DEMO, usageEventsOf } from './helpers.js';

let gw: TestGateway;
let client: OpenAI;
beforeAll(async () => {
  gw = await startTestGateway({ USAGE_FLUSH_MS: '5' });
  client = new OpenAI({ baseURL: gw.v1, apiKey: DEMO, maxRetries: 0 });
});
afterAll(() => gw?.close());

describe('chat completions through the official openai SDK', () => {
  it('answers a chat, with usage, cost and routing headers', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'demo-chat', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello to Conduit' }] })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe('demo-chat');
    expect(data.choices[0]!.message.role).toBe('assistant');
    expect(data.choices[0]!.message.content).toBeTruthy();
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage!.completion_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-conduit-provider')).toBe('simulator');
    expect(response.headers.get('x-conduit-attempts')).toBe('1');
    expect(response.headers.get('x-conduit-fallbacks')).toBe('0');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(Number(response.headers.get('x-conduit-cost-usd'))).toBeGreaterThan(0);
  });

  it('streams chunks and ends with [DONE]; usage only when asked for', async () => {
    const stream = await client.chat.completions.create({
      model: 'demo-chat',
      messages: [{ role: 'user', content: 'Stream a short answer please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usageChunk;
    let finish;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.model).toBe('demo-chat');
      if (chunk.choices[0]?.delta.content) text += chunk.choices[0].delta.content;
      if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
      if (chunk.usage) usageChunk = chunk;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(finish).toBe('stop');
    expect(usageChunk!.choices).toEqual([]);
    expect(usageChunk!.usage!.total_tokens).toBe(usageChunk!.usage!.prompt_tokens + usageChunk!.usage!.completion_tokens);

    const plain = await client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'again' }], stream: true });
    for await (const chunk of plain) {
      expect(chunk.usage ?? undefined).toBeUndefined();
      expect(chunk.choices.length).toBe(1);
    }
  });

  it('passes tools through and returns tool calls, streamed tool calls included', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      },
    ];
    const res = await client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools, tool_choice: 'required' });
    const call = res.choices[0]!.message.tool_calls![0]!;
    expect(res.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toHaveProperty('city');

    const stream = await client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools, stream: true });
    let args = '';
    let name = '';
    for await (const chunk of stream) {
      for (const tc of chunk.choices[0]?.delta.tool_calls ?? []) {
        name += tc.function?.name ?? '';
        args += tc.function?.arguments ?? '';
      }
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toHaveProperty('city');
  });

  it('serves embeddings and legacy completions', async () => {
    const emb = await client.embeddings.create({ model: 'demo-embedding', input: ['one', 'two'] });
    expect(emb.data).toHaveLength(2);
    expect(emb.data[0]!.embedding.length).toBeGreaterThan(0);
    expect(emb.usage.prompt_tokens).toBeGreaterThan(0);
    const done = await client.completions.create({ model: 'demo-chat', prompt: 'Once upon a time' });
    expect(done.object).toBe('text_completion');
    expect(done.choices[0]!.text.length).toBeGreaterThan(0);
  });

  it('lists only the models this key may use', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(['demo-chat', 'demo-chat-mini', 'demo-embedding']); // demo-reasoning needs approval
    const one = await client.models.retrieve('demo-chat');
    expect(one).toMatchObject({ id: 'demo-chat', object: 'model' });
    await expect(client.models.retrieve('no-such-model')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('gives embeddings in the encoding the SDK asked for, whatever the provider sends', async () => {
    // Gemini and Ollama only answer floats; the SDK asks for base64 unless told otherwise, and decodes it
    const sim = await startSimulator({ provider: 'gemini' });
    try {
      await addModel(gw, 'gemini-embedding', [sim], { kind: 'embedding' });
      const viaBase64 = await client.embeddings.create({ model: 'gemini-embedding', input: ['one', 'two'] });
      const floats = await client.embeddings.create({ model: 'gemini-embedding', input: ['one', 'two'], encoding_format: 'float' });
      expect(floats.data[0]!.embedding.length).toBeGreaterThan(8);
      expect(viaBase64.data.map((d) => d.embedding)).toEqual(floats.data.map((d) => d.embedding.map(Math.fround)));
      expect(sim.requests.every((r) => !JSON.stringify(r.body).includes('base64'))).toBe(true);
    } finally {
      await sim.close();
    }
  });

  it('rejects bad input with OpenAI-shaped errors naming the field', async () => {
    await expect(client.chat.completions.create({ model: 'demo-chat', messages: [] })).rejects.toMatchObject({
      status: 400,
      code: 'validation_failed',
      param: 'messages',
      type: 'invalid_request_error',
    });
    await expect(client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'x' }], temperature: 7 })).rejects.toMatchObject({
      status: 400,
      param: 'temperature',
    });
    await expect(client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    await expect(client.embeddings.create({ model: 'demo-chat', input: 'x' })).rejects.toMatchObject({ status: 400, param: 'model' });
    const raw = await fetch(`${gw.v1}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${DEMO}`, 'content-type': 'application/json' }, body: '{broken' });
    expect(raw.status).toBe(400);
    expect((await json(raw)).error).toMatchObject({ type: 'invalid_request_error' });
  });

  it('emits exactly one usage event per model call, with tokens and cost', async () => {
    const res = await client.chat.completions.create({ model: 'demo-chat-mini', messages: [{ role: 'user', content: 'count me once' }] }).withResponse();
    const events = await usageEventsOf(gw, res.response.headers.get('x-request-id'));
    await new Promise((r) => setTimeout(r, 100)); // a second event would have been flushed by now
    expect(await usageEventsOf(gw, res.response.headers.get('x-request-id'))).toHaveLength(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      tenantId: gw.seeded.tenant.id,
      model: 'demo-chat-mini',
      status: 'success',
      httpStatus: 200,
      promptTokens: res.data.usage!.prompt_tokens,
      completionTokens: res.data.usage!.completion_tokens,
      attempts: 1,
      stream: false,
      cacheHit: false,
    });
    // demo-chat-mini: $0.10 in / $0.40 out per million tokens
    const expected = (res.data.usage!.prompt_tokens * 0.1 + res.data.usage!.completion_tokens * 0.4) / 1e6;
    expect(Number(events[0]!.costUsd)).toBeCloseTo(expected, 12);
  });
});
