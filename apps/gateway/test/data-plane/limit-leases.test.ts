import { testRedisPrefix } from '@conduit/db/testing';
import { quotaCounterKey } from '@conduit/contracts';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { KeyEntry, TenantEntry } from '../../src/data-plane/access-cache.js';
import type { ModelEntry } from '../../src/data-plane/catalogue.js';
import { Limiter } from '../../src/data-plane/limits/limiter.js';

// The limiter leases room of roomy limits to each replica so that most requests are
// admitted without a Redis round trip. These tests use the Limiter directly, as two
// replicas would, against the real Redis.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const connections: Redis[] = [];
afterAll(() => connections.forEach((r) => r.disconnect()));

function replica(prefix: string) {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  const limiter = new Limiter(redis, prefix, { rpm: null, tpm: null, concurrency: null }, 60_000);
  let admits = 0;
  const original = (redis as unknown as { conduitAdmit: (...a: unknown[]) => Promise<unknown> }).conduitAdmit.bind(redis);
  (redis as unknown as { conduitAdmit: (...a: unknown[]) => Promise<unknown> }).conduitAdmit = (...a: unknown[]) => {
    admits++;
    return original(...a);
  };
  return { redis, limiter, admits: () => admits };
}

function fixtures(id: string, keyLimits: Record<string, number>, quotas: TenantEntry['quotas'] = []) {
  const tenant: TenantEntry = {
    id: `t-${id}`, slug: id, plan: 'enterprise', status: 'active', settings: {} as never, limits: { rpm: null, tpm: null, concurrency: null },
    tenantGrants: new Set(), keyGrants: new Map(), quotas,
  };
  const key: KeyEntry = { id: `k-${id}`, tenantId: tenant.id, name: 'k', status: 'active', allowedModels: new Set(), limits: keyLimits, expiresAt: null };
  const model = { name: 'lease-model' } as ModelEntry;
  return { tenant, key, model };
}
const estimate = { tokens: 30, promptTokens: 10, costNano: 1000 };
const actual = { promptTokens: 10, completionTokens: 5, costUsd: '0.0000005' };

describe('limit leases', () => {
  it('admit most requests of a roomy limit locally and settle them all, exactly, in batches', async () => {
    const prefix = testRedisPrefix('lease-a');
    const quotas = [{ id: 'q-lease-a', apiKeyId: null, metric: 'requests' as const, period: 'day' as const, limitUnits: 1_000_000, limit: '1000000' }];
    const { tenant, key, model } = fixtures('a', { rpm: 1_000_000, tpm: 100_000_000, concurrency: 10_000 }, quotas);
    const r = replica(prefix);
    for (let i = 0; i < 500; i++) {
      const { admission } = await r.limiter.admit(`req-${i}`, key, tenant, model, estimate, []);
      expect(Number(admission.headers['x-ratelimit-remaining-requests'])).toBeLessThanOrEqual(1_000_000); // the bucket refills meanwhile
      void r.limiter.settle(admission, actual);
    }
    expect(r.admits()).toBeLessThan(50);
    // what the replica holds stays bounded: about a grant (≤ 1/32 of the room) plus what is not settled yet
    const held = Number(await r.redis.hget(`${prefix}:rl:key:k-a:inflight:res`, '#total'));
    expect(held).toBeLessThanOrEqual(2 * (10_000 / 32) + 50);
    await r.limiter.close();
    const counter = quotaCounterKey(prefix, 'q-lease-a', 'day');
    expect(Number(await r.redis.get(counter))).toBe(500); // every request settled once
    expect(Number(await r.redis.hget(`${counter}:reserved`, '#total'))).toBe(0); // leases given back
    expect(Number(await r.redis.hget(`${prefix}:rl:key:k-a:inflight:res`, '#total'))).toBe(0);
    const [tokens] = String(await r.redis.get(`${prefix}:rl:key:k-a:tpm`)).split(' ');
    // 500 requests × 15 actual tokens used, the rest given back (the bucket refills meanwhile)
    expect(Number(tokens)).toBeGreaterThan(100_000_000 - 500 * 15 - 1);
  });

  it('never admit more than a limit across two replicas', async () => {
    const prefix = testRedisPrefix('lease-b');
    const { tenant, key, model } = fixtures('b', { rpm: 2_000 });
    const [a, b] = [replica(prefix), replica(prefix)];
    let admitted = 0;
    const one = async (l: Limiter, i: number) => {
      try {
        const { admission } = await l.admit(`req-${i}`, key, tenant, model, estimate, []);
        admitted++;
        await l.settle(admission, actual);
      } catch (err) {
        expect(err).toMatchObject({ code: 'requests_per_minute_exceeded' });
      }
    };
    for (let wave = 0; wave < 30; wave++) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => one(i % 2 ? a.limiter : b.limiter, wave * 100 + i)));
    }
    expect(admitted).toBeLessThanOrEqual(2_000 + 100); // + what refilled during the test (at most a few seconds' worth)
    expect(admitted).toBeGreaterThan(1_800); // leases held by the other replica cost little
    expect(a.admits() + b.admits()).toBeLessThan(3_000); // many admitted without a round trip
    await Promise.all([a.limiter.close(), b.limiter.close()]);
  });

  it('hold in-flight slots and quota reservations in Redis, so another replica sees them', async () => {
    const prefix = testRedisPrefix('lease-c');
    const quotas = [{ id: 'q-lease-c', apiKeyId: null, metric: 'cost' as const, period: 'month' as const, limitUnits: 400_000, limit: '0.0004' }];
    const { tenant, key, model } = fixtures('c', { concurrency: 200 }, quotas);
    const [a, b] = [replica(prefix), replica(prefix)];
    const held = [];
    for (let i = 0; i < 150; i++) held.push((await a.limiter.admit(`a-${i}`, key, tenant, model, { ...estimate, costNano: 1 }, [])).admission);
    let admittedB = 0;
    for (let i = 0; i < 100; i++) {
      await b.limiter.admit(`b-${i}`, key, tenant, model, { ...estimate, costNano: 1 }, []).then(
        () => admittedB++,
        (err) => expect(err).toMatchObject({ code: 'concurrent_requests_exceeded' }),
      );
    }
    expect(150 + admittedB).toBeLessThanOrEqual(200);
    expect(admittedB).toBeGreaterThan(30);
    // the cost budget: reservations of both replicas never pass it
    const counter = quotaCounterKey(prefix, 'q-lease-c', 'month');
    expect(Number(await a.redis.hget(`${counter}:reserved`, '#total'))).toBeLessThanOrEqual(400_000);
    await Promise.all(held.map((h) => a.limiter.settle(h, { promptTokens: 1, completionTokens: 1, costUsd: '0.000000001' })));
    await Promise.all([a.limiter.close(), b.limiter.close()]);
    // what replica b admitted is still in flight (never settled) and stays reserved until it expires
    expect(Number(await a.redis.hget(`${prefix}:rl:key:k-c:inflight:res`, '#total'))).toBe(admittedB);
    expect(Number(await a.redis.get(counter))).toBe(150);
  });
});
