import { Injectable } from '@nestjs/common';
import {
  type AnalyticsDimension,
  GatewayError,
  LATENCY_BUCKETS_MS,
  type UsageMetrics,
  type UsageSummaryOutput,
  type UsageTimeSeriesOutput,
  type analyticsQuerySchema,
} from '@conduit/contracts';
import type { z } from 'zod';
import { AnalyticsRepository } from './analytics.repository.js';

type Query = z.output<typeof analyticsQuerySchema>;
type Row = Awaited<ReturnType<AnalyticsRepository['rollups']>>[number];

const DAY = 86_400_000;
/** cost is summed in units of 1e-10 USD (the rollup column's scale), exactly */
const COST_SCALE = 10;

function costUnits(d: { toFixed(n: number): string }): bigint {
  return BigInt(d.toFixed(COST_SCALE).replace('.', ''));
}

function unitsToUsd(v: bigint): string {
  const s = v.toString().padStart(COST_SCALE + 1, '0');
  const whole = s.slice(0, -COST_SCALE);
  const frac = s.slice(-COST_SCALE).replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

class Acc {
  requests = 0;
  errors = 0;
  cacheHits = 0;
  promptTokens = 0n;
  completionTokens = 0n;
  cost = 0n;
  latencySum = 0n;
  hist: number[] = [];

  add(r: Row) {
    this.requests += r.requests;
    this.errors += r.errors;
    this.cacheHits += r.cacheHits;
    this.promptTokens += r.promptTokens;
    this.completionTokens += r.completionTokens;
    this.cost += costUnits(r.costUsd);
    this.latencySum += r.latencySumMs;
    r.latencyHistogram.forEach((n, i) => (this.hist[i] = (this.hist[i] ?? 0) + n));
  }

  metrics(): UsageMetrics {
    const counted = this.hist.reduce((a, b) => a + b, 0);
    let p95: number | null = null;
    if (counted > 0) {
      const rank = Math.ceil(counted * 0.95);
      let seen = 0;
      for (let i = 0; i < this.hist.length; i++) {
        seen += this.hist[i] ?? 0;
        if (seen >= rank) {
          p95 = LATENCY_BUCKETS_MS[Math.min(i, LATENCY_BUCKETS_MS.length - 1)]!;
          break;
        }
      }
    }
    return {
      requests: this.requests,
      errors: this.errors,
      errorRate: this.requests ? this.errors / this.requests : 0,
      cacheHits: this.cacheHits,
      cacheHitRate: this.requests ? this.cacheHits / this.requests : 0,
      promptTokens: Number(this.promptTokens),
      completionTokens: Number(this.completionTokens),
      totalTokens: Number(this.promptTokens + this.completionTokens),
      costUsd: unitsToUsd(this.cost),
      avgLatencyMs: this.requests ? Math.round(Number(this.latencySum) / this.requests) : null,
      p95LatencyMs: p95,
    };
  }
}

const DIMENSION: Record<AnalyticsDimension, (r: Row) => string> = {
  tenant: (r) => r.tenantId,
  key: (r) => r.apiKeyId,
  model: (r) => r.model,
  provider: (r) => r.providerId,
};

/** Usage summaries and time series from the worker's hourly and daily rollups. */
@Injectable()
export class AnalyticsService {
  constructor(private readonly repo: AnalyticsRepository) {}

  private period(q: Query) {
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - 7 * DAY);
    return { from, to };
  }

  private filter(q: Query, tenantId: string | undefined) {
    return { tenantId, apiKeyId: q.apiKeyId, model: q.model, providerId: q.providerId };
  }

  async summary(q: Query, tenantId: string | undefined, tenantScoped: boolean): Promise<UsageSummaryOutput> {
    const { from, to } = this.period(q);
    if (q.groupBy === 'tenant' && tenantScoped) throw new GatewayError('validation_failed', 'Invalid request: groupBy tenant is for the platform-wide endpoint', { details: { fields: [{ field: 'groupBy', message: 'tenant is for the platform-wide endpoint' }] } });
    // hourly rollups up to a month, daily beyond (both are written by the worker)
    const granularity = q.granularity ?? (to.getTime() - from.getTime() > 31 * DAY ? 'day' : 'hour');
    const rows = await this.repo.rollups({ ...this.filter(q, tenantId), from, to, granularity });
    const total = new Acc();
    const groups = new Map<string, Acc>();
    for (const r of rows) {
      total.add(r);
      if (q.groupBy) {
        const k = DIMENSION[q.groupBy](r);
        let acc = groups.get(k);
        if (!acc) groups.set(k, (acc = new Acc()));
        acc.add(r);
      }
    }
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      totals: total.metrics(),
      groupBy: q.groupBy ?? null,
      groups: [...groups.entries()].map(([key, acc]) => ({ key, ...acc.metrics() })).sort((a, b) => b.requests - a.requests),
    };
  }

  async timeseries(q: Query, tenantId?: string): Promise<UsageTimeSeriesOutput> {
    const { from, to } = this.period(q);
    const granularity = q.granularity ?? (to.getTime() - from.getTime() > 3 * DAY ? 'day' : 'hour');
    const step = granularity === 'hour' ? 3_600_000 : DAY;
    const start = Math.floor(from.getTime() / step) * step;
    if ((to.getTime() - start) / step > 5000) {
      throw new GatewayError('validation_failed', 'Invalid request: the period has too many points; use a coarser granularity or a shorter period', {
        details: { fields: [{ field: 'granularity', message: 'gives more than 5000 points for this period' }] },
      });
    }
    const rows = await this.repo.rollups({ ...this.filter(q, tenantId), from: new Date(start), to, granularity });
    const buckets = new Map<number, Acc>();
    for (let t = start; t < to.getTime(); t += step) buckets.set(t, new Acc());
    for (const r of rows) buckets.get(r.bucketStart.getTime())?.add(r);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      granularity,
      points: [...buckets.entries()].map(([t, acc]) => ({ bucketStart: new Date(t).toISOString(), ...acc.metrics() })),
    };
  }
}
