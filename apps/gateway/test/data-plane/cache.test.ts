import { startSimulator, type SimulatorHandle } from '@conduit/providers/simulators';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support.js';
import { addModel, createKeyIn, DEMO, publish, usageEventsOf } from './helpers.js';

let gw: TestGateway;
let sim: SimulatorHandle;
let client: OpenAI;

beforeAll(async () => {
  gw = await startTestGateway({ USAGE_FLUSH_MS: '5' });
  sim = await startSimulator({ provider: 'openai' });
  await addModel(gw, 'cached', [sim]);
  client = new OpenAI({ baseURL: gw.v1, apiKey: DEMO, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await sim?.close();
});
beforeEach(() => sim.reset());

const ask = (content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}, c = client) =>
  c.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content }], temperature: 0, ...extra }, { headers }).withResponse();

async function setCacheSettings(cache: Record<string, boolean | number | Record<string, number>>) {
  await gw.prisma.tenant.update({ where: { id: gw.seeded.tenant.id }, data: { settings: { cache } } });
  await publish(gw, { kind: 'tenant', tenantId: gw.seeded.tenant.id });
  await new Promise((r) => setTimeout(r, 100));
}

describe('response cache', () => {
  it('answers a repeated temperature-0 request from the cache, at no cost, counted as a hit', async () => {
    const first = await ask('what is the capital of France?');
    expect(first.response.headers.get('x-conduit-cache')).toBe('MISS');
    await new Promise((r) => setTimeout(r, 50)); // the answer is stored after it is sent
    const second = await ask('what is the capital of France?');
    expect(second.response.headers.get('x-conduit-cache')).toBe('HIT');
    expect(second.response.headers.get('x-conduit-cost-usd')).toBe('0');
    expect(second.data.choices[0]!.message.content).toBe(first.data.choices[0]!.message.content);
    expect(sim.requests).toHaveLength(1);
    const id = second.response.headers.get('x-request-id');
    const [event] = await usageEventsOf(gw, id);
    expect(event).toMatchObject({ cacheHit: true, costUsd: '0', promptTokens: 0, completionTokens: 0, status: 'success' });
  });

  it('keys on every parameter that changes the answer, not on field order or user', async () => {
    await ask('order test', { max_tokens: 30, top_p: 1 });
    await new Promise((r) => setTimeout(r, 50));
    const same = await client.chat.completions.create({ top_p: 1, max_tokens: 30, temperature: 0, user: 'someone-else', model: 'cached', messages: [{ role: 'user', content: 'order test' }] }).withResponse();
    expect(same.response.headers.get('x-conduit-cache')).toBe('HIT');
    const other = await ask('order test', { max_tokens: 31, top_p: 1 });
    expect(other.response.headers.get('x-conduit-cache')).toBe('MISS');
  });

  it('leaves other temperatures alone unless asked, and obeys bypass and refresh', async () => {
    const warm = await ask('creative', { temperature: 0.9 });
    expect(warm.response.headers.get('x-conduit-cache')).toBe('BYPASS');
    await ask('creative', { temperature: 0.9 }, { 'x-conduit-cache': 'use' });
    await new Promise((r) => setTimeout(r, 50));
    expect((await ask('creative', { temperature: 0.9 }, { 'x-conduit-cache': 'use' })).response.headers.get('x-conduit-cache')).toBe('HIT');
    expect((await ask('creative', { temperature: 0.9 }, { 'x-conduit-cache': 'bypass' })).response.headers.get('x-conduit-cache')).toBe('BYPASS');
    expect((await ask('creative', { temperature: 0.9 }, { 'x-conduit-cache': 'refresh' })).response.headers.get('x-conduit-cache')).toBe('MISS');
    expect(sim.requests).toHaveLength(4); // bypass, use (miss), bypass, refresh — the hit never reached it
    await expect(ask('x', {}, { 'x-conduit-cache': 'sometimes' })).rejects.toMatchObject({ status: 400, param: 'x-conduit-cache' });
  });

  it('caches streams and replays them as streams', async () => {
    const read = async () => {
      const { data, response } = await client.chat.completions
        .create({ model: 'cached', temperature: 0, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream me' }] })
        .withResponse();
      let text = '';
      let usage = 0;
      for await (const c of data) {
        text += c.choices[0]?.delta.content ?? '';
        if (c.usage) usage++;
      }
      return { text, usage, cache: response.headers.get('x-conduit-cache') };
    };
    const live = await read();
    await new Promise((r) => setTimeout(r, 50));
    const replay = await read();
    expect(live.cache).toBe('MISS');
    expect(replay).toEqual({ text: live.text, usage: 1, cache: 'HIT' });
    expect(sim.requests).toHaveLength(1);
  });

  it('never shares entries across tenants', async () => {
    await ask('tenant scoped');
    await new Promise((r) => setTimeout(r, 50));
    const other = await gw.prisma.tenant.create({ data: { slug: 'other', name: 'Other', plan: 'pro' } });
    const { secret } = await createKeyIn(gw.prisma, other.id);
    const stranger = new OpenAI({ baseURL: gw.v1, apiKey: secret, maxRetries: 0 });
    expect((await ask('tenant scoped', {}, {}, stranger)).response.headers.get('x-conduit-cache')).toBe('MISS');
  });

  it('caches embeddings by default', async () => {
    const a = await client.embeddings.create({ model: 'demo-embedding', input: 'same words' }).withResponse();
    await new Promise((r) => setTimeout(r, 50));
    const b = await client.embeddings.create({ model: 'demo-embedding', input: 'same words' }).withResponse();
    expect([a.response.headers.get('x-conduit-cache'), b.response.headers.get('x-conduit-cache')]).toEqual(['MISS', 'HIT']);
    expect(b.data.data[0]!.embedding).toEqual(a.data.data[0]!.embedding);
  });

  it('evicts the oldest entries past the tenant’s bound, and expires them per model TTL', async () => {
    await setCacheSettings({ enabled: true, ttlSeconds: 3600, maxEntries: 2, modelTtlSeconds: { 'demo-chat-mini': 1 } });
    try {
      for (const q of ['e1', 'e2', 'e3']) await ask(q);
      await new Promise((r) => setTimeout(r, 50));
      expect((await ask('e1')).response.headers.get('x-conduit-cache')).toBe('MISS'); // evicted
      expect((await ask('e3')).response.headers.get('x-conduit-cache')).toBe('HIT');

      const mini = () => client.chat.completions.create({ model: 'demo-chat-mini', temperature: 0, messages: [{ role: 'user', content: 'short-lived' }] }).withResponse();
      await mini();
      await new Promise((r) => setTimeout(r, 50));
      expect((await mini()).response.headers.get('x-conduit-cache')).toBe('HIT');
      await new Promise((r) => setTimeout(r, 1_100));
      expect((await mini()).response.headers.get('x-conduit-cache')).toBe('MISS');
    } finally {
      await setCacheSettings({});
    }
  });

  it('is off when the tenant turns it off', async () => {
    await setCacheSettings({ enabled: false });
    try {
      expect((await ask('off')).response.headers.get('x-conduit-cache')).toBe('BYPASS');
    } finally {
      await setCacheSettings({});
    }
  });
});
