import { latencyBucketIndex, LATENCY_BUCKETS_MS, LATENCY_HISTOGRAM_LENGTH } from '@conduit/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { histogramQuantile } from '../src/analytics';
import { createPrismaClient, type PrismaClient, usageSummary, usageTimeseries } from '../src/index';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let prisma: PrismaClient;
let tenantId: string;
let otherId: string;

interface Sent {
  tenantId: string;
  apiKeyId: string;
  model: string;
  providerId: string;
  at: Date;
  error: string | null;
  cacheHit: boolean;
  prompt: number;
  completion: number;
  /** 1e-10 USD */
  cost: bigint;
  latencyMs: number;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10); // a fixed midnight
const sent: Sent[] = [];
const usd = (v: bigint) => {
  const s = v.toString().padStart(11, '0');
  return `${s.slice(0, -10)}.${s.slice(-10)}`;
};

/** Writes the hourly and daily rollups of `events`, as the worker's ingest would. */
async function writeRollups(events: Sent[]) {
  const groups = new Map<string, { g: 'hour' | 'day'; b: Date; e: Sent[] }>();
  for (const e of events) {
    for (const g of ['hour', 'day'] as const) {
      const step = g === 'hour' ? HOUR : DAY;
      const b = new Date(Math.floor(e.at.getTime() / step) * step);
      const k = [g, b.toISOString(), e.tenantId, e.apiKeyId, e.model, e.providerId].join('|');
      const v = groups.get(k) ?? { g, b, e: [] };
      v.e.push(e);
      groups.set(k, v);
    }
  }
  await prisma.usageRollup.createMany({
    data: [...groups.values()].map(({ g, b, e }) => {
      const hist = new Array<number>(LATENCY_HISTOGRAM_LENGTH).fill(0);
      const errs: Record<string, number> = {};
      for (const x of e) {
        hist[latencyBucketIndex(x.latencyMs)]!++;
        if (x.error) errs[x.error] = (errs[x.error] ?? 0) + 1;
      }
      return {
        granularity: g,
        bucketStart: b,
        tenantId: e[0]!.tenantId,
        apiKeyId: e[0]!.apiKeyId,
        model: e[0]!.model,
        providerId: e[0]!.providerId,
        requests: e.length,
        errors: e.filter((x) => x.error).length,
        errorsByCategory: errs,
        cacheHits: e.filter((x) => x.cacheHit).length,
        promptTokens: e.reduce((n, x) => n + x.prompt, 0),
        completionTokens: e.reduce((n, x) => n + x.completion, 0),
        costUsd: usd(e.reduce((n, x) => n + x.cost, 0n)),
        latencySumMs: e.reduce((n, x) => n + x.latencyMs, 0),
        latencyHistogram: hist,
      };
    }),
  });
}

beforeAll(async () => {
  db = await createTestDatabase('analytics');
  prisma = createPrismaClient({ url: db.url, max: 2 });
  tenantId = (await prisma.tenant.create({ data: { slug: 'an', name: 'An' } })).id;
  otherId = (await prisma.tenant.create({ data: { slug: 'other', name: 'Other' } })).id;
  // 3 days of traffic: 2 keys, 2 models, 2 providers + requests that never reached one
  for (let i = 0; i < 900; i++) {
    const error = i % 7 === 0 ? (i % 2 ? 'rate_limit' : 'timeout') : null;
    sent.push({
      tenantId: i % 10 === 9 ? otherId : tenantId,
      apiKeyId: i % 3 ? 'key-a' : 'key-b',
      model: i % 2 ? 'm-big' : 'm-small',
      providerId: error && i % 3 === 0 ? '' : i % 4 < 2 ? 'prov-1' : 'prov-2',
      at: new Date(T0 + ((i * 4_733_333) % (3 * DAY))),
      error,
      cacheHit: !error && i % 11 === 0,
      prompt: 10 + (i % 500),
      completion: error ? 0 : i % 200,
      cost: error ? 0n : BigInt(1 + ((i * 7919) % 5_000_000)),
      latencyMs: [3, 8, 40, 90, 200, 400, 800, 2000, 4000, 9000, 20000, 45000, 90000][i % 13]!,
    });
  }
  await writeRollups(sent);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe('usage analytics', () => {
  it('summarises a period: totals equal the sum of the events sent, per provider too', async () => {
    const mine = sent.filter((e) => e.tenantId === tenantId);
    const s = await usageSummary(prisma, { tenantId, from: new Date(T0), to: new Date(T0 + 3 * DAY) });
    expect(s.granularity).toBe('day');
    expect(s.requests).toBe(mine.length);
    expect(s.errors).toBe(mine.filter((e) => e.error).length);
    expect(s.errorsByCategory).toEqual({
      rate_limit: mine.filter((e) => e.error === 'rate_limit').length,
      timeout: mine.filter((e) => e.error === 'timeout').length,
    });
    expect(s.cacheHits).toBe(mine.filter((e) => e.cacheHit).length);
    expect(s.cacheHitRate).toBeCloseTo(s.cacheHits / s.requests, 12);
    expect(s.totalTokens).toBe(mine.reduce((n, e) => n + e.prompt + e.completion, 0));
    expect(s.costUsd).toBe(usd(mine.reduce((n, e) => n + e.cost, 0n)).replace(/0+$/, '').replace(/\.$/, ''));
    expect(s.avgLatencyMs).toBeCloseTo(mine.reduce((n, e) => n + e.latencyMs, 0) / mine.length, 9);
    for (const p of ['prov-1', 'prov-2', '']) {
      const of = mine.filter((e) => e.providerId === p);
      const got = s.byProvider.find((x) => x.providerId === p)!;
      expect([got.requests, got.errors]).toEqual([of.length, of.filter((e) => e.error).length]);
      expect(got.errorRate).toBeCloseTo(got.errors / got.requests, 12);
    }
    expect(s.byProvider.reduce((n, p) => n + p.requests, 0)).toBe(s.requests);
  });

  it('gives the same totals from hourly rollups for a range that is not whole days, and filters by key, model and provider', async () => {
    const from = new Date(T0 + 5 * HOUR + 1);
    const to = new Date(T0 + 50 * HOUR);
    const inRange = (e: Sent) => e.at.getTime() >= T0 + 6 * HOUR && e.at.getTime() < to.getTime(); // buckets starting in [from, to)
    const s = await usageSummary(prisma, { tenantId, apiKeyId: 'key-a', model: 'm-big', providerId: 'prov-2', from, to });
    expect(s.granularity).toBe('hour');
    const of = sent.filter((e) => e.tenantId === tenantId && e.apiKeyId === 'key-a' && e.model === 'm-big' && e.providerId === 'prov-2' && inRange(e));
    expect(s.requests).toBe(of.length);
    expect(s.promptTokens).toBe(of.reduce((n, e) => n + e.prompt, 0));
  });

  it('answers an empty period with zeros and no percentiles', async () => {
    const s = await usageSummary(prisma, { tenantId, from: new Date(T0 - 10 * DAY), to: new Date(T0 - 9 * DAY) });
    expect(s).toMatchObject({ requests: 0, errorRate: 0, cacheHitRate: 0, costUsd: '0', avgLatencyMs: null, p50LatencyMs: null, byProvider: [] });
  });

  it('returns a dense time series whose points add up to the summary', async () => {
    const from = new Date(T0 - DAY);
    const to = new Date(T0 + 4 * DAY);
    const days = await usageTimeseries(prisma, { tenantId, from, to, granularity: 'day' });
    expect(days.points.map((p) => p.bucketStart.toISOString())).toEqual([0, 1, 2, 3, 4].map((d) => new Date(T0 + (d - 1) * DAY).toISOString()));
    expect(days.points[0]!.requests).toBe(0);
    const hours = await usageTimeseries(prisma, { tenantId, from, to, granularity: 'hour' });
    expect(hours.points).toHaveLength(5 * 24);
    const total = await usageSummary(prisma, { tenantId, from, to });
    expect(days.points.reduce((n, p) => n + p.requests, 0)).toBe(total.requests);
    expect(hours.points.reduce((n, p) => n + p.requests, 0)).toBe(total.requests);
    expect(hours.points.reduce((n, p) => n + p.errors, 0)).toBe(total.errors);
    const p = hours.points.find((x) => x.requests > 0)!;
    expect(p.byProvider.reduce((n, x) => n + x.requests, 0)).toBe(p.requests);
    await expect(usageTimeseries(prisma, { from: new Date(0), to, granularity: 'hour' })).rejects.toThrow(/limited/);
  });

  it('estimates percentiles from the latency histogram', () => {
    const h = new Array<number>(LATENCY_HISTOGRAM_LENGTH).fill(0);
    h[latencyBucketIndex(80)] = 90; // (50, 100]
    h[latencyBucketIndex(800)] = 9; // (500, 1000]
    h[latencyBucketIndex(99_000)] = 1; // open bucket
    expect(histogramQuantile(h, 0.5)).toBe(50 + Math.round((50 * 50) / 90));
    const p95 = histogramQuantile(h, 0.95)!;
    expect(p95).toBeGreaterThan(500);
    expect(p95).toBeLessThanOrEqual(1000);
    expect(histogramQuantile(h, 1)).toBe(LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]);
    expect(histogramQuantile(new Array(LATENCY_HISTOGRAM_LENGTH).fill(0), 0.5)).toBeNull();
  });
});
