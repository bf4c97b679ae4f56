import { randomUUID } from 'node:crypto';
import { type UsageEvent, usageEventsQueue } from '@conduit/contracts';
import { createPrismaClient, type PrismaClient, usageSummary, usageTimeseries } from '@conduit/db';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '@conduit/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type ConduitWorker, startWorker } from '../src/worker.js';
import { eventMix, expectedRollups, rollupTotals, scaled, totalsOf, unique, until } from './usage-fixtures.js';

let db: TestDatabase;
let prisma: PrismaClient;
let worker: ConduitWorker;
let tenantId: string;
let otherTenantId: string;
let keyA: string;
let keyB: string;

const key = (tenant: string, name: string) =>
  prisma.apiKey.create({ data: { tenantId: tenant, name, keyHash: randomUUID(), prefix: 'cdt_test' } }).then((k) => k.id);

beforeAll(async () => {
  db = await createTestDatabase('worker_ingest');
  prisma = createPrismaClient({ url: db.url, max: 3 });
  tenantId = (await prisma.tenant.create({ data: { slug: 'acme', name: 'Acme', settings: { logBodies: true } } })).id;
  otherTenantId = (await prisma.tenant.create({ data: { slug: 'quiet', name: 'Quiet', settings: {} } })).id;
  keyA = await key(tenantId, 'a');
  keyB = await key(tenantId, 'b');
  worker = await startWorker(
    loadConfig({ DATABASE_URL: db.url, REDIS_PREFIX: testRedisPrefix('worker_ingest'), LOG_LEVEL: 'silent' }),
    pino({ level: 'silent' }),
  );
});
afterAll(async () => {
  await worker?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

async function send(batches: UsageEvent[][]) {
  const q = worker.queues[usageEventsQueue.name];
  const jobs = await q.addBulk(batches.map((events) => ({ name: 'batch', data: { events }, opts: { jobId: `batch-${randomUUID()}` } })));
  await until(async () => {
    const states = await Promise.all(jobs.map((j) => j.getState()));
    if (states.includes('failed')) throw new Error('a usage batch failed');
    return states.every((s) => s === 'completed');
  }, 30_000, 'all batches completed');
}

async function storedRollups(where: { tenantId?: string } = {}) {
  const rows = await prisma.usageRollup.findMany({ where });
  return new Map(rows.map((r) => [[r.granularity, r.bucketStart.toISOString(), r.tenantId, r.apiKeyId, r.model, r.providerId].join('|'), rollupTotals(r)]));
}

describe('usage ingest', () => {
  const sent: UsageEvent[] = [];

  it('turns every kind of event into request logs and hourly and daily rollups that equal the ground truth, with replays and duplicates counted once', async () => {
    const events = eventMix(1200, { tenantId, apiKeyIds: [keyA, keyB, null], providerIds: ['prov-openai', 'prov-anthropic', null], models: ['gpt-x', 'claude-y'], hours: 50 });
    // batches of 100, then: a whole batch replayed, duplicates inside a batch, and events replayed across batches
    const batches: UsageEvent[][] = [];
    for (let i = 0; i < events.length; i += 100) batches.push(events.slice(i, i + 100));
    batches.push(batches[3]!);
    batches.push([...events.slice(200, 230), ...events.slice(200, 230), ...events.slice(1100, 1150)]);
    await send(batches);
    sent.push(...events);

    expect(await prisma.requestLog.count()).toBe(1200);
    const expected = expectedRollups(events);
    const stored = await storedRollups();
    expect(stored.size).toBe(expected.size);
    for (const [k, t] of expected) expect(stored.get(k), k).toEqual(t);

    // the same batches delivered again change nothing
    await send(batches.slice(0, 3));
    expect(await storedRollups()).toEqual(stored);
    expect(await prisma.requestLog.count()).toBe(1200);
  });

  it('answers a usage summary whose totals equal the sum of the events sent, per provider too', async () => {
    const from = new Date(Date.now() - 60 * 3_600_000);
    const to = new Date(Date.now() + 3_600_000);
    const truth = totalsOf(sent);
    const s = await usageSummary(prisma, { tenantId, from, to });
    expect(s.granularity).toBe('hour');
    expect({
      requests: s.requests,
      errors: s.errors,
      errorsByCategory: s.errorsByCategory,
      cacheHits: s.cacheHits,
      promptTokens: s.promptTokens,
      completionTokens: s.completionTokens,
      cachedTokens: s.cachedTokens,
      reasoningTokens: s.reasoningTokens,
      cost: scaled(s.costUsd),
      latencyHistogram: s.latencyHistogram,
    }).toEqual({
      requests: truth.requests,
      errors: truth.errors,
      errorsByCategory: truth.errorsByCategory,
      cacheHits: truth.cacheHits,
      promptTokens: truth.promptTokens,
      completionTokens: truth.completionTokens,
      cachedTokens: truth.cachedTokens,
      reasoningTokens: truth.reasoningTokens,
      cost: truth.cost,
      latencyHistogram: truth.latencyHistogram,
    });
    expect(s.avgLatencyMs).toBeCloseTo(truth.latencySumMs / truth.requests, 9);
    expect(s.cacheHitRate).toBeCloseTo(truth.cacheHits / truth.requests, 12);
    expect(s.errorRate).toBeCloseTo(truth.errors / truth.requests, 12);
    expect(s.p50LatencyMs).not.toBeNull();
    expect(s.p50LatencyMs!).toBeLessThanOrEqual(s.p95LatencyMs!);
    expect(s.p95LatencyMs!).toBeLessThanOrEqual(s.p99LatencyMs!);

    for (const providerId of ['prov-openai', 'prov-anthropic', '']) {
      const of = sent.filter((e) => (e.providerId ?? '') === providerId);
      const p = s.byProvider.find((x) => x.providerId === providerId)!;
      expect(p.requests).toBe(of.length);
      expect(p.errors).toBe(of.filter((e) => e.status === 'error').length);
      expect(p.errorRate).toBeCloseTo(p.errors / p.requests, 12);
      expect(scaled(p.costUsd)).toBe(totalsOf(of).cost);
    }

    // filters: one key, one model
    const keyed = await usageSummary(prisma, { tenantId, apiKeyId: keyA, model: 'gpt-x', from, to });
    expect(keyed.requests).toBe(sent.filter((e) => e.apiKeyId === keyA && e.model === 'gpt-x').length);
    // whole days from daily rollups give the same totals
    const dayFrom = new Date(Math.floor(from.getTime() / 86_400_000) * 86_400_000);
    const dayTo = new Date((Math.floor(to.getTime() / 86_400_000) + 1) * 86_400_000);
    const daily = await usageSummary(prisma, { tenantId, from: dayFrom, to: dayTo });
    expect(daily.granularity).toBe('day');
    expect([daily.requests, daily.costUsd]).toEqual([s.requests, s.costUsd]);
    // another tenant sees nothing of it
    expect((await usageSummary(prisma, { tenantId: otherTenantId, from, to })).requests).toBe(0);
  });

  it('answers a time series whose points add up to the summary', async () => {
    const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3_600_000);
    const from = new Date(to.getTime() - 60 * 3_600_000);
    const ts = await usageTimeseries(prisma, { tenantId, from, to, granularity: 'hour' });
    expect(ts.points).toHaveLength(60);
    expect(ts.points.reduce((n, p) => n + p.requests, 0)).toBe(sent.length);
    expect(ts.points.reduce((n, p) => n + scaled(p.costUsd), 0n)).toBe(totalsOf(sent).cost);
    const busiest = ts.points.reduce((a, b) => (b.requests > a.requests ? b : a));
    expect(busiest.byProvider.reduce((n, p) => n + p.requests, 0)).toBe(busiest.requests);
  });

  it('stores bodies only for tenants that log them, redacted', async () => {
    const secretish = {
      messages: [{ role: 'user', content: 'my key is sk-proj-abcdefghijklmnopqrstuvwx and mail me at jane.doe@example.com, card 4111 1111 1111 1111' }],
      headers: { authorization: 'Bearer abc.def.ghi' },
    };
    const base = eventMix(2, { tenantId, apiKeyIds: [keyA], providerIds: ['prov-openai'], models: ['gpt-x'], hours: 1 }, 7);
    const logged = { ...base[0]!, requestBody: secretish, responseBody: { choices: [{ message: { content: 'ok\u0000 done' } }] } };
    const quiet = { ...base[1]!, tenantId: otherTenantId, apiKeyId: null, requestBody: secretish, responseBody: { x: 1 } };
    await send([[logged, quiet]]);
    const a = await prisma.requestLog.findUniqueOrThrow({ where: { requestId: logged.requestId } });
    const text = JSON.stringify(a.requestBody);
    expect(text).not.toMatch(/sk-proj|jane\.doe|4111 1111|abc\.def/);
    expect(text).toContain('[REDACTED_EMAIL]');
    expect(a.responseBody).toEqual({ choices: [{ message: { content: 'ok done' } }] });
    const b = await prisma.requestLog.findUniqueOrThrow({ where: { requestId: quiet.requestId } });
    expect(b.requestBody).toBeNull();
    expect(b.responseBody).toBeNull();
  });

  it('ingests the valid events of a batch and keeps the batch, with the reasons, as a dead letter for the invalid ones', async () => {
    const [good] = eventMix(1, { tenantId, apiKeyIds: [null], providerIds: ['prov-openai'], models: ['gpt-x'], hours: 1 }, 11);
    const q = worker.queues[usageEventsQueue.name];
    const job = await q.add('batch', { events: [good, { ...good, requestId: 'bad-1', latencyMs: -5 }] });
    await until(async () => (await job.getState()) === 'failed', 10_000, 'job failed');
    const failed = (await q.getJob(job.id!))!;
    expect(failed.failedReason).toMatch(/1 invalid usage event.*bad-1.*latencyMs/);
    expect(failed.attemptsMade).toBe(1); // not retried: it would never pass
    expect(failed.data.events).toHaveLength(2); // the data stays for inspection
    expect(await prisma.requestLog.count({ where: { requestId: good!.requestId } })).toBe(1);
    expect(await prisma.requestLog.count({ where: { requestId: 'bad-1' } })).toBe(0);
  });

  it('skips events of a tenant that no longer exists instead of failing the batch, and nulls a deleted key', async () => {
    const [e1, e2] = eventMix(2, { tenantId, apiKeyIds: [null], providerIds: ['prov-openai'], models: ['gpt-x'], hours: 1 }, 13);
    const goneKey = { ...e2!, apiKeyId: 'key-that-was-deleted' };
    await send([[{ ...e1!, tenantId: 'tenant-that-was-deleted' }, goneKey]]);
    expect(await prisma.requestLog.count({ where: { requestId: e1!.requestId } })).toBe(0);
    const row = await prisma.requestLog.findUniqueOrThrow({ where: { requestId: goneKey.requestId } });
    expect(row.apiKeyId).toBeNull();
  });

  it('counts each distinct request once when concurrent batches overlap', async () => {
    const events = eventMix(400, { tenantId: otherTenantId, apiKeyIds: [null], providerIds: ['p1'], models: ['m1'], hours: 1 }, 21);
    // 8 batches over the same 400 events in different orders, processed concurrently
    const batches = Array.from({ length: 8 }, (_, i) => (i % 2 ? [...events].reverse() : events).slice(i * 20, i * 20 + 300));
    await send(batches);
    const delivered = unique(batches.flat());
    const expected = expectedRollups(delivered);
    const stored = await storedRollups({ tenantId: otherTenantId });
    for (const [k, t] of expected) expect(stored.get(k), k).toEqual(t);
  });
});
