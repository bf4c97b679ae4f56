import { quotaCounterKey } from '@conduit/contracts';
import { startSimulator, type SimulatorHandle } from '@conduit/providers/simulators';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support.js';
import { startTcpProxy } from '../tcp-proxy.js';
import { addModel, createKey, publish, until } from './helpers.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ USAGE_FLUSH_MS: '5' });
});
afterAll(() => gw?.close());

const clientFor = (apiKey: string) => new OpenAI({ baseURL: gw.v1, apiKey, maxRetries: 0 });
const ask = (c: OpenAI, content = 'hi', extra: Record<string, unknown> = {}) =>
  c.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content }], max_tokens: 20, ...extra }).withResponse();

async function keyWith(limits: Record<string, number>) {
  const { secret, key } = await createKey(gw);
  await gw.prisma.apiKey.update({ where: { id: key.id }, data: { limits } });
  await publish(gw, { kind: 'api_key', keyId: key.id, tenantId: key.tenantId });
  return { secret, key, client: clientFor(secret) };
}

describe('rate limits', () => {
  it('limits requests per minute per key, with OpenAI-style headers and a Retry-After', async () => {
    const { client } = await keyWith({ rpm: 3 });
    const first = await ask(client);
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    expect(first.response.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(ms|s)$/);
    expect(first.response.headers.get('x-ratelimit-limit-tokens')).toBeTruthy(); // the tenant's plan tpm
    await ask(client);
    await ask(client);
    const err = await ask(client).catch((e) => e);
    expect(err).toMatchObject({ status: 429, code: 'requests_per_minute_exceeded', param: 'key', type: 'rate_limit_error' });
    expect(Number(err.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(err.headers.get('x-ratelimit-remaining-requests')).toBe('0');
  });

  it('limits tokens per minute, and refuses a request that can never fit', async () => {
    const { client } = await keyWith({ tpm: 200 });
    await ask(client, 'hello', { max_tokens: 100 }); // reserves ~110, settles to the actual usage
    const big = await ask(client, 'hello', { max_tokens: 500 }).catch((e) => e);
    expect(big).toMatchObject({ status: 429, code: 'tokens_per_minute_exceeded', param: 'key' });
    expect(big.message).toMatch(/more than the 200 tokens per minute/);
    const ok = await ask(client, 'hello', { max_tokens: 100 });
    expect(Number(ok.response.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(200);
  });

  it('limits requests in flight', async () => {
    const { client } = await keyWith({ concurrency: 1 });
    const slow = await client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'slow one [[sim:tps=40]]' }], stream: true, max_tokens: 20 });
    const err = await ask(client).catch((e) => e);
    expect(err).toMatchObject({ status: 429, code: 'concurrent_requests_exceeded' });
    for await (const _ of slow);
    await until(async () => ask(client).then(() => true, () => false), 2_000, 'slot released');
  });

  it('limits the tenant per model', async () => {
    await gw.prisma.tenant.update({ where: { id: gw.seeded.tenant.id }, data: { limits: { models: { 'demo-chat-mini': { rpm: 1 } } } } });
    await publish(gw, { kind: 'tenant', tenantId: gw.seeded.tenant.id });
    const { client } = await keyWith({});
    try {
      await until(async () => {
        await client.chat.completions.create({ model: 'demo-chat-mini', messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
        const e = await client.chat.completions.create({ model: 'demo-chat-mini', messages: [{ role: 'user', content: 'x' }] }).catch((x) => x);
        return e?.code === 'requests_per_minute_exceeded' && e.param === 'model';
      }, 3_000, 'per-model limit');
      await expect(ask(client)).resolves.toBeTruthy(); // other models are not affected
    } finally {
      await gw.prisma.tenant.update({ where: { id: gw.seeded.tenant.id }, data: { limits: {} } });
      await publish(gw, { kind: 'tenant', tenantId: gw.seeded.tenant.id });
    }
  });

  it('keeps each deployment inside its upstream capacity, moving traffic to the next', async () => {
    const sims: SimulatorHandle[] = [await startSimulator({ provider: 'openai' }), await startSimulator({ provider: 'openai' })];
    try {
      const { deployments } = await addModel(gw, 'capped', sims);
      for (const d of deployments) await gw.prisma.modelDeployment.update({ where: { id: d.id }, data: { maxRpm: 2 } });
      await publish(gw, { kind: 'catalogue' });
      const { client } = await keyWith({});
      await until(async () => gw.dataPlane().catalogue.models.get('capped')?.deployments[0]?.maxRpm === 2, 2_000, 'catalogue');
      const providers = [];
      for (let i = 0; i < 4; i++) {
        const r = await client.chat.completions.create({ model: 'capped', messages: [{ role: 'user', content: 'x' }] }).withResponse();
        providers.push(r.response.headers.get('x-conduit-provider'));
      }
      expect(providers).toEqual(['sim-capped-0', 'sim-capped-0', 'sim-capped-1', 'sim-capped-1']);
      const err = await client.chat.completions.create({ model: 'capped', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(err).toMatchObject({ status: 429, code: 'deployment_capacity_exceeded' });
    } finally {
      for (const s of sims) await s.close();
    }
  });
});

describe('quotas and budgets', () => {
  it('enforces a key’s requests per day with insufficient_quota, the limit and the reset time', async () => {
    const { key, client } = await keyWith({});
    await gw.prisma.quota.create({ data: { tenantId: key.tenantId, scope: 'key', apiKeyId: key.id, metric: 'requests', period: 'day', limit: 2 } });
    await publish(gw, { kind: 'quota', tenantId: key.tenantId, keyId: key.id });
    await ask(client);
    await ask(client);
    const err = await ask(client).catch((e) => e);
    expect(err).toMatchObject({ status: 429, code: 'insufficient_quota', type: 'insufficient_quota' });
    expect(err.message).toMatch(/daily quota of 2 requests for this API key is used up/);
    expect(err.message).toMatch(/resets at \d{4}-\d{2}-\d{2}T00:00:00.000Z/);
  });

  it('settles a cost budget to the actual cost, and refuses a request over the per-request cap', async () => {
    const { key, client } = await keyWith({ maxCostPerRequestUsd: 0.001 });
    const quota = await gw.prisma.quota.create({ data: { tenantId: key.tenantId, scope: 'key', apiKeyId: key.id, metric: 'cost', period: 'month', limit: 1 } });
    await publish(gw, { kind: 'quota', tenantId: key.tenantId, keyId: key.id });
    await new Promise((r) => setTimeout(r, 100));
    let spent = 0;
    for (let i = 0; i < 3; i++) spent += Number((await ask(client)).response.headers.get('x-conduit-cost-usd'));
    const redis = new Redis(gw.config.REDIS_URL);
    try {
      const counter = quotaCounterKey(gw.config.REDIS_PREFIX, quota.id, 'month');
      // settlements go in batches and a replica's unused allowance goes back within a lease period
      await until(async () => Number(await redis.get(counter)) > 0 && Number(await redis.hget(`${counter}:reserved`, '#total')) === 0, 3_000, 'settled');
      expect(Number(await redis.get(counter)) / 1e9).toBeCloseTo(spent, 8); // the actual cost, not the reservation
      expect(Number(await redis.hget(`${counter}:reserved`, '#total'))).toBe(0); // nothing left reserved
      expect(await redis.zcard(`${counter}:reserved-until`)).toBe(0);
    } finally {
      redis.disconnect();
    }
    // demo-chat costs $1.50 per million output tokens: 1,000,000 tokens could cost $1.50 > $0.001
    const err = await ask(client, 'x', { max_tokens: 1_000_000 }).catch((e) => e);
    expect(err).toMatchObject({ status: 400, code: 'max_cost_per_request_exceeded', param: 'max_tokens' });
  });
});

describe('when Redis is unreachable', () => {
  it('serves (fail-open) by default, and refuses with 503 for a fail-closed tenant', async () => {
    const url = new URL(gw.config.REDIS_URL);
    const proxy = await startTcpProxy(url.hostname, Number(url.port || 6379));
    const down = await startTestGateway({ REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
    try {
      const c = new OpenAI({ baseURL: down.v1, apiKey: 'cdt_test_demo_key_0123456789abcdef', maxRetries: 0 });
      await c.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'warm the key cache' }] });
      proxy.cut();
      const open = await c.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'redis is gone' }] });
      expect(open.choices[0]!.message.content).toBeTruthy();

      await down.prisma.tenant.update({ where: { id: down.seeded.tenant.id }, data: { settings: { redisFailMode: 'closed' } } });
      down.dataPlane().access.invalidateTenant(down.seeded.tenant.id); // pub/sub is down too: drop the cached policy by hand
      // what the replica had already leased (reserved in Redis before it went away) goes back within a second
      await new Promise((r) => setTimeout(r, 1_200));
      const err = await c.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(err).toMatchObject({ status: 503, code: 'limits_unavailable' });
    } finally {
      proxy.restore();
      await down.close();
      await proxy.close();
    }
  });
});

describe('reservations of a replica that dies', () => {
  it('expire, so an unsettled request does not hold a quota or an in-flight slot forever', async () => {
    const { Limiter } = await import('../../src/data-plane/limits/limiter.js');
    const redis = new Redis(gw.config.REDIS_URL);
    try {
      const limiter = new Limiter(redis, `${gw.config.REDIS_PREFIX}:crash`, { rpm: null, tpm: null, concurrency: null }, 300);
      const tenant = {
        id: 't-crash', slug: 't', plan: 'enterprise' as const, status: 'active' as const, settings: {} as never, limits: {},
        tenantGrants: new Set<string>(), keyGrants: new Map(),
        quotas: [{ id: 'q-crash', apiKeyId: null, metric: 'requests' as const, period: 'day' as const, limitUnits: 1, limit: '1' }],
      };
      const key = { id: 'k-crash', tenantId: 't-crash', name: 'k', status: 'active' as const, allowedModels: new Set<string>(), limits: { concurrency: 1 }, expiresAt: null };
      const model = gw.dataPlane().catalogue.models.get('demo-chat')!;
      const estimate = { tokens: 10, promptTokens: 5, costNano: 0 };
      await limiter.admit('req-a', key, tenant, model, estimate, []); // never settled: its replica "died"
      await expect(limiter.admit('req-b', key, tenant, model, estimate, [])).rejects.toMatchObject({ code: 'concurrent_requests_exceeded' });
      await new Promise((r) => setTimeout(r, 350));
      const { admission } = await limiter.admit('req-c', key, tenant, model, estimate, []);
      await limiter.settle(admission, { promptTokens: 5, completionTokens: 5, costUsd: '0' });
      // the settled request used the one request of the quota
      await expect(limiter.admit('req-d', key, { ...tenant }, model, estimate, [])).rejects.toMatchObject({ code: 'insufficient_quota' });
    } finally {
      redis.disconnect();
    }
  });
});
