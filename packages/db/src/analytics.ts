/**
 * Usage analytics over the rollups the worker writes (UsageRollup): a summary of a
 * period and a time series, each with a per-provider breakdown. Totals are exact
 * (the rollups count every ingested request once); latency percentiles are
 * estimated from the latency histogram (see LATENCY_BUCKETS_MS).
 */
import { LATENCY_BUCKETS_MS } from '@conduit/contracts';
import { Prisma, type PrismaClient } from './generated/prisma/client';

export type UsageGranularity = 'hour' | 'day';

export interface UsageFilter {
  tenantId?: string;
  /** '' selects requests made without a key */
  apiKeyId?: string;
  model?: string;
  /** '' selects requests that never reached a provider */
  providerId?: string;
  /** rollup buckets starting at or after `from` … */
  from: Date;
  /** … and before `to` */
  to: Date;
}

export interface UsageStats {
  requests: number;
  errors: number;
  /** errors / requests (0 when there were no requests) */
  errorRate: number;
  /** errors by category, e.g. { rate_limit: 3, timeout: 1 } */
  errorsByCategory: Record<string, number>;
  cacheHits: number;
  /** cacheHits / requests (0 when there were no requests) */
  cacheHitRate: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** prompt + completion */
  totalTokens: number;
  /** USD, exact decimal string */
  costUsd: string;
  /** mean latency (null when there were no requests) */
  avgLatencyMs: number | null;
  /** percentiles estimated from the histogram by linear interpolation within a bucket; null when there were no requests */
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  p99LatencyMs: number | null;
  /** counts per latency bucket (bounds: LATENCY_BUCKETS_MS, plus an open-ended last bucket) */
  latencyHistogram: number[];
}

export interface ProviderUsage extends UsageStats {
  /** '' = requests that never reached a provider */
  providerId: string;
}

export interface UsageSummary extends UsageStats {
  from: Date;
  to: Date;
  /** which rollups answered: daily when from and to are UTC midnights, else hourly */
  granularity: UsageGranularity;
  byProvider: ProviderUsage[];
}

export interface UsageTimeseriesPoint extends UsageStats {
  bucketStart: Date;
  byProvider: ProviderUsage[];
}

export interface UsageTimeseries {
  from: Date;
  to: Date;
  granularity: UsageGranularity;
  /** one point per bucket in [from, to), empty buckets included (zeros) */
  points: UsageTimeseriesPoint[];
}

/** The most points a time series returns: ask for a coarser granularity or a shorter range beyond this. */
export const MAX_TIMESERIES_POINTS = 10_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const COST_SCALE = 10; // UsageRollup.costUsd is Decimal(24, 10)

interface Row {
  b: Date | null;
  p: string;
  requests: bigint;
  errors: bigint;
  cache_hits: bigint;
  prompt_tokens: bigint;
  completion_tokens: bigint;
  cached_tokens: bigint;
  reasoning_tokens: bigint;
  cost: string;
  latency_sum: bigint;
  hist: bigint[] | null;
  errs: Record<string, number | string> | null;
}

interface Acc {
  requests: number;
  errors: number;
  errorsByCategory: Record<string, number>;
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  costScaled: bigint;
  latencySumMs: number;
  histogram: number[];
}

function emptyAcc(): Acc {
  return {
    requests: 0,
    errors: 0,
    errorsByCategory: {},
    cacheHits: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    reasoningTokens: 0,
    costScaled: 0n,
    latencySumMs: 0,
    histogram: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
  };
}

function rowToAcc(r: Row): Acc {
  const acc = emptyAcc();
  acc.requests = Number(r.requests);
  acc.errors = Number(r.errors);
  for (const [k, v] of Object.entries(r.errs ?? {})) acc.errorsByCategory[k] = Number(v);
  acc.cacheHits = Number(r.cache_hits);
  acc.promptTokens = Number(r.prompt_tokens);
  acc.completionTokens = Number(r.completion_tokens);
  acc.cachedTokens = Number(r.cached_tokens);
  acc.reasoningTokens = Number(r.reasoning_tokens);
  acc.costScaled = decimalToScaled(r.cost);
  acc.latencySumMs = Number(r.latency_sum);
  (r.hist ?? []).forEach((n, i) => {
    acc.histogram[i] = (acc.histogram[i] ?? 0) + Number(n);
  });
  return acc;
}

function add(into: Acc, a: Acc): Acc {
  into.requests += a.requests;
  into.errors += a.errors;
  for (const [k, v] of Object.entries(a.errorsByCategory)) into.errorsByCategory[k] = (into.errorsByCategory[k] ?? 0) + v;
  into.cacheHits += a.cacheHits;
  into.promptTokens += a.promptTokens;
  into.completionTokens += a.completionTokens;
  into.cachedTokens += a.cachedTokens;
  into.reasoningTokens += a.reasoningTokens;
  into.costScaled += a.costScaled;
  into.latencySumMs += a.latencySumMs;
  a.histogram.forEach((n, i) => {
    into.histogram[i] = (into.histogram[i] ?? 0) + n;
  });
  return into;
}

/** "12.3400000000" → 123400000000n (scale 10). */
export function decimalToScaled(s: string): bigint {
  const neg = s.startsWith('-');
  const [whole = '0', frac = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(whole || '0') * 10n ** BigInt(COST_SCALE) + BigInt((frac + '0'.repeat(COST_SCALE)).slice(0, COST_SCALE) || '0');
  return neg ? -v : v;
}

/** 123400000000n (scale 10) → "12.34". */
export function scaledToDecimal(v: bigint): string {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const unit = 10n ** BigInt(COST_SCALE);
  const frac = (abs % unit).toString().padStart(COST_SCALE, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${abs / unit}${frac ? '.' + frac : ''}`;
}

/**
 * The latency below which a fraction `q` of the requests fall, estimated from a
 * histogram: linear interpolation inside the bucket holding that rank (the open
 * last bucket answers with its lower bound). null for an empty histogram.
 */
export function histogramQuantile(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const rank = q * total;
  let cum = 0;
  for (let i = 0; i < histogram.length; i++) {
    const n = histogram[i] ?? 0;
    if (n > 0 && cum + n >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1];
      const upper = LATENCY_BUCKETS_MS[i];
      if (lower === undefined || upper === undefined) return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1];
      return Math.round(lower + ((upper - lower) * Math.max(0, rank - cum)) / n);
    }
    cum += n;
  }
  return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1];
}

function toStats(a: Acc): UsageStats {
  const rate = (n: number) => (a.requests > 0 ? n / a.requests : 0);
  return {
    requests: a.requests,
    errors: a.errors,
    errorRate: rate(a.errors),
    errorsByCategory: a.errorsByCategory,
    cacheHits: a.cacheHits,
    cacheHitRate: rate(a.cacheHits),
    promptTokens: a.promptTokens,
    completionTokens: a.completionTokens,
    cachedTokens: a.cachedTokens,
    reasoningTokens: a.reasoningTokens,
    totalTokens: a.promptTokens + a.completionTokens,
    costUsd: scaledToDecimal(a.costScaled),
    avgLatencyMs: a.requests > 0 ? a.latencySumMs / a.requests : null,
    p50LatencyMs: histogramQuantile(a.histogram, 0.5),
    p95LatencyMs: histogramQuantile(a.histogram, 0.95),
    p99LatencyMs: histogramQuantile(a.histogram, 0.99),
    latencyHistogram: a.histogram,
  };
}

const iso = (d: Date) => d.toISOString();

/** Rollup rows grouped by (bucket when `byBucket`, provider), with histograms and error categories summed in SQL. */
async function grouped(prisma: PrismaClient, f: UsageFilter, granularity: UsageGranularity, byBucket: boolean): Promise<Row[]> {
  const where: Prisma.Sql[] = [
    Prisma.sql`granularity = ${granularity}::"RollupGranularity"`,
    Prisma.sql`"bucketStart" >= ${iso(f.from)}::timestamptz AT TIME ZONE 'UTC'`,
    Prisma.sql`"bucketStart" < ${iso(f.to)}::timestamptz AT TIME ZONE 'UTC'`,
  ];
  if (f.tenantId !== undefined) where.push(Prisma.sql`"tenantId" = ${f.tenantId}`);
  if (f.apiKeyId !== undefined) where.push(Prisma.sql`"apiKeyId" = ${f.apiKeyId}`);
  if (f.model !== undefined) where.push(Prisma.sql`model = ${f.model}`);
  if (f.providerId !== undefined) where.push(Prisma.sql`"providerId" = ${f.providerId}`);
  const bucket = byBucket ? Prisma.sql`"bucketStart"` : Prisma.sql`NULL::timestamp`;
  return prisma.$queryRaw<Row[]>`
    WITH r AS (
      SELECT ${bucket} AS b, "providerId" AS p, * FROM "UsageRollup" WHERE ${Prisma.join(where, ' AND ')}
    ),
    s AS (
      SELECT b, p, sum(requests)::bigint AS requests, sum(errors)::bigint AS errors, sum("cacheHits")::bigint AS cache_hits,
        sum("promptTokens")::bigint AS prompt_tokens, sum("completionTokens")::bigint AS completion_tokens,
        sum("cachedTokens")::bigint AS cached_tokens, sum("reasoningTokens")::bigint AS reasoning_tokens,
        sum("costUsd")::text AS cost, sum("latencySumMs")::bigint AS latency_sum
      FROM r GROUP BY b, p
    ),
    h AS (
      SELECT b, p, array_agg(n ORDER BY i) AS hist FROM (
        SELECT r.b, r.p, u.i, sum(u.v)::bigint AS n
        FROM r, unnest(r."latencyHistogram") WITH ORDINALITY AS u(v, i) GROUP BY r.b, r.p, u.i
      ) x GROUP BY b, p
    ),
    e AS (
      SELECT b, p, jsonb_object_agg(k, n) AS errs FROM (
        SELECT r.b, r.p, j.key AS k, sum(j.value::bigint) AS n
        FROM r, jsonb_each_text(r."errorsByCategory") AS j GROUP BY r.b, r.p, j.key
      ) y GROUP BY b, p
    )
    SELECT s.*, h.hist, e.errs
    FROM s
    LEFT JOIN h ON h.b IS NOT DISTINCT FROM s.b AND h.p = s.p
    LEFT JOIN e ON e.b IS NOT DISTINCT FROM s.b AND e.p = s.p
    ORDER BY s.b, s.p`;
}

function checkRange(f: UsageFilter) {
  if (!(f.from instanceof Date) || !(f.to instanceof Date) || Number.isNaN(f.from.getTime()) || Number.isNaN(f.to.getTime())) {
    throw new RangeError('from and to must be valid dates');
  }
  if (f.to.getTime() < f.from.getTime()) throw new RangeError('to must not be before from');
}

function byProvider(rows: Row[]): { total: Acc; providers: ProviderUsage[] } {
  const total = emptyAcc();
  const providers: ProviderUsage[] = [];
  for (const r of rows) {
    const acc = rowToAcc(r);
    add(total, acc);
    providers.push({ providerId: r.p, ...toStats(acc) });
  }
  return { total, providers };
}

/**
 * Usage of a period [from, to): totals and a per-provider breakdown. Answered
 * from daily rollups when both ends are UTC midnights (old hourly rollups may have
 * been compacted away), else from hourly rollups.
 */
export async function usageSummary(prisma: PrismaClient, filter: UsageFilter): Promise<UsageSummary> {
  checkRange(filter);
  const granularity: UsageGranularity = filter.from.getTime() % DAY_MS === 0 && filter.to.getTime() % DAY_MS === 0 ? 'day' : 'hour';
  const { total, providers } = byProvider(await grouped(prisma, filter, granularity, false));
  return { from: filter.from, to: filter.to, granularity, ...toStats(total), byProvider: providers };
}

/** Usage per hour or day in [from, to), one point per bucket (empty buckets as zeros), each with a per-provider breakdown. */
export async function usageTimeseries(prisma: PrismaClient, filter: UsageFilter & { granularity: UsageGranularity }): Promise<UsageTimeseries> {
  checkRange(filter);
  const step = filter.granularity === 'day' ? DAY_MS : HOUR_MS;
  const first = Math.ceil(filter.from.getTime() / step) * step;
  const count = Math.max(0, Math.ceil((filter.to.getTime() - first) / step));
  if (count > MAX_TIMESERIES_POINTS) throw new RangeError(`a time series is limited to ${MAX_TIMESERIES_POINTS} points: use a shorter range or granularity "day"`);
  const rows = await grouped(prisma, filter, filter.granularity, true);
  const byBucket = new Map<number, Row[]>();
  for (const r of rows) {
    const t = r.b!.getTime();
    byBucket.set(t, [...(byBucket.get(t) ?? []), r]);
  }
  const points: UsageTimeseriesPoint[] = [];
  for (let i = 0; i < count; i++) {
    const t = first + i * step;
    const { total, providers } = byProvider(byBucket.get(t) ?? []);
    points.push({ bucketStart: new Date(t), ...toStats(total), byProvider: providers });
  }
  return { from: filter.from, to: filter.to, granularity: filter.granularity, points };
}
