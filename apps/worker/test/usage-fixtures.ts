/** Usage events like the gateway sends, and the ground truth they should add up to. */
import { randomUUID } from 'node:crypto';
import { latencyBucketIndex, LATENCY_HISTOGRAM_LENGTH, type UsageEvent } from '@conduit/contracts';

export interface EventMixOptions {
  tenantId: string;
  apiKeyIds: (string | null)[];
  providerIds: (string | null)[];
  models: string[];
  /** events spread over this many hours before `end` */
  hours: number;
  end?: Date;
}

/** A deterministic pseudo-random generator, so a failing mix can be reproduced. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LATENCIES = [0, 1, 5, 6, 10, 11, 42, 99, 100, 250, 499, 1000, 2500, 7000, 30000, 60000, 60001, 125000];

/**
 * `n` events covering what the gateway emits: successes, errors of every kind,
 * cache hits, streams, aborted streams, requests without a key or provider.
 */
export function eventMix(n: number, o: EventMixOptions, seed = 1): UsageEvent[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const end = (o.end ?? new Date()).getTime();
  const out: UsageEvent[] = [];
  for (let i = 0; i < n; i++) {
    const kind = pick(['ok', 'ok', 'ok', 'stream', 'cache', 'error', 'aborted'] as const);
    const prompt = Math.floor(r() * 2000);
    const completion = kind === 'error' ? 0 : Math.floor(r() * 800);
    const cents = Math.floor(r() * 10_000_000); // up to 0.001 USD in 1e-10 steps
    const e: UsageEvent = {
      requestId: `req_${randomUUID()}`,
      tenantId: o.tenantId,
      apiKeyId: pick(o.apiKeyIds),
      endpoint: kind === 'cache' && r() < 0.3 ? '/v1/embeddings' : '/v1/chat/completions',
      model: pick(o.models),
      providerId: kind === 'error' && r() < 0.3 ? null : pick(o.providerIds),
      deploymentId: null,
      status: kind === 'error' ? 'error' : kind === 'aborted' ? 'aborted' : 'success',
      httpStatus: kind === 'error' ? pick([429, 500, 504, 400, 401]) : kind === 'aborted' ? 499 : 200,
      errorCategory: kind === 'error' ? pick(['rate_limit', 'timeout', 'server_error', 'bad_request', 'auth'] as const) : kind === 'aborted' ? 'client_aborted' : null,
      errorCode: kind === 'error' ? 'upstream_error' : null,
      promptTokens: prompt,
      completionTokens: completion,
      cachedTokens: kind === 'cache' ? prompt : Math.floor(prompt * r() * 0.5),
      reasoningTokens: r() < 0.2 ? Math.floor(completion * 0.5) : 0,
      costUsd: kind === 'cache' || kind === 'error' ? '0' : `0.${String(cents).padStart(10, '0')}`,
      latencyMs: pick(LATENCIES),
      ttftMs: kind === 'stream' || kind === 'aborted' ? Math.floor(r() * 400) : null,
      attempts: kind === 'error' ? 3 : 1,
      fallbacks: 0,
      cacheHit: kind === 'cache',
      stream: kind === 'stream' || kind === 'aborted',
      createdAt: new Date(end - Math.floor(r() * o.hours * 3_600_000)).toISOString(),
    };
    out.push(e);
  }
  return out;
}

export interface Totals {
  requests: number;
  errors: number;
  errorsByCategory: Record<string, number>;
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** 1e-10 USD units */
  cost: bigint;
  latencySumMs: number;
  ttftSumMs: number;
  latencyHistogram: number[];
}

export const scaled = (usd: string): bigint => {
  const [w = '0', f = ''] = usd.split('.');
  return BigInt(w) * 10_000_000_000n + BigInt((f + '0000000000').slice(0, 10));
};

export function emptyTotals(): Totals {
  return {
    requests: 0,
    errors: 0,
    errorsByCategory: {},
    cacheHits: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    reasoningTokens: 0,
    cost: 0n,
    latencySumMs: 0,
    ttftSumMs: 0,
    latencyHistogram: new Array<number>(LATENCY_HISTOGRAM_LENGTH).fill(0),
  };
}

export function addEvent(t: Totals, e: UsageEvent): Totals {
  t.requests++;
  if (e.status === 'error') {
    t.errors++;
    const c = e.errorCategory ?? 'unknown';
    t.errorsByCategory[c] = (t.errorsByCategory[c] ?? 0) + 1;
  }
  if (e.cacheHit) t.cacheHits++;
  t.promptTokens += e.promptTokens;
  t.completionTokens += e.completionTokens;
  t.cachedTokens += e.cachedTokens ?? 0;
  t.reasoningTokens += e.reasoningTokens ?? 0;
  t.cost += scaled(e.costUsd);
  t.latencySumMs += e.latencyMs;
  t.ttftSumMs += e.ttftMs ?? 0;
  t.latencyHistogram[latencyBucketIndex(e.latencyMs)]!++;
  return t;
}

/** Distinct events by request id (the first of each id wins, as in the ingest). */
export function unique(events: UsageEvent[]): UsageEvent[] {
  const seen = new Map<string, UsageEvent>();
  for (const e of events) if (!seen.has(e.requestId)) seen.set(e.requestId, e);
  return [...seen.values()];
}

const hourStart = (iso: string) => new Date(Math.floor(new Date(iso).getTime() / 3_600_000) * 3_600_000).toISOString();
const dayStart = (iso: string) => new Date(Math.floor(new Date(iso).getTime() / 86_400_000) * 86_400_000).toISOString();

/** Expected rollups: key = granularity|bucketStart|tenantId|apiKeyId|model|providerId. */
export function expectedRollups(events: UsageEvent[]): Map<string, Totals> {
  const m = new Map<string, Totals>();
  for (const e of unique(events)) {
    for (const [g, b] of [['hour', hourStart(e.createdAt)], ['day', dayStart(e.createdAt)]] as const) {
      const key = [g, b, e.tenantId, e.apiKeyId ?? '', e.model, e.providerId ?? ''].join('|');
      m.set(key, addEvent(m.get(key) ?? emptyTotals(), e));
    }
  }
  return m;
}

export function totalsOf(events: UsageEvent[]): Totals {
  return unique(events).reduce(addEvent, emptyTotals());
}

/** A rollup row as stored, in the shape of Totals, for comparison. */
export function rollupTotals(r: {
  requests: number;
  errors: number;
  errorsByCategory: unknown;
  cacheHits: number;
  promptTokens: bigint;
  completionTokens: bigint;
  cachedTokens: bigint;
  reasoningTokens: bigint;
  costUsd: { toFixed(n: number): string };
  latencySumMs: bigint;
  ttftSumMs: bigint;
  latencyHistogram: number[];
}): Totals {
  return {
    requests: r.requests,
    errors: r.errors,
    errorsByCategory: r.errorsByCategory as Record<string, number>,
    cacheHits: r.cacheHits,
    promptTokens: Number(r.promptTokens),
    completionTokens: Number(r.completionTokens),
    cachedTokens: Number(r.cachedTokens),
    reasoningTokens: Number(r.reasoningTokens),
    cost: scaled(r.costUsd.toFixed(10)),
    latencySumMs: Number(r.latencySumMs),
    ttftSumMs: Number(r.ttftSumMs),
    latencyHistogram: r.latencyHistogram,
  };
}

export async function until(check: () => Promise<boolean>, timeoutMs = 20_000, what = 'condition') {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} not met in ${timeoutMs} ms`);
}
