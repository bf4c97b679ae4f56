import 'server-only';
import { z } from 'zod';
import { adminRequest } from './client';

// Shapes: @conduit/contracts admin/analytics.ts (UsageMetrics, UsageSummaryOutput, UsageTimeSeriesOutput).
const metrics = z.object({
  requests: z.number(),
  errors: z.number(),
  errorRate: z.number(),
  cacheHits: z.number(),
  cacheHitRate: z.number(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  totalTokens: z.number(),
  costUsd: z.string(),
  avgLatencyMs: z.number().nullable(),
  p95LatencyMs: z.number().nullable(),
});
export type UsageMetrics = z.infer<typeof metrics>;

const summarySchema = z.object({
  from: z.string(),
  to: z.string(),
  totals: metrics,
  groupBy: z.string().nullable(),
  groups: z.array(metrics.extend({ key: z.string() })),
});
export type UsageSummary = z.infer<typeof summarySchema>;

const seriesSchema = z.object({
  from: z.string(),
  to: z.string(),
  granularity: z.enum(['hour', 'day']),
  points: z.array(metrics.extend({ bucketStart: z.string() })),
});
export type UsageSeries = z.infer<typeof seriesSchema>;

export type UsageRange = '24h' | '7d' | '30d';
export const USAGE_RANGES: readonly { value: UsageRange; label: string }[] = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
];

export function parseRange(value: string | string[] | undefined): UsageRange {
  return value === '24h' || value === '30d' ? value : '7d';
}

function window(range: UsageRange): { from: string; to: string; granularity: 'hour' | 'day' } {
  const now = Date.now();
  const hour = 3_600_000;
  const to = new Date(Math.ceil(now / hour) * hour);
  const hours = range === '24h' ? 24 : range === '7d' ? 7 * 24 : 30 * 24;
  return { from: new Date(to.getTime() - hours * hour).toISOString(), to: to.toISOString(), granularity: range === '30d' ? 'day' : 'hour' };
}

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return q.toString();
}

/** `tenant` set: that tenant's analytics; otherwise platform-wide (platform admins). */
export function usageSummary(token: string, range: UsageRange, opts: { tenant?: string; groupBy?: 'tenant' | 'key' | 'model' | 'provider' } = {}) {
  const { from, to } = window(range);
  const base = opts.tenant ? `/admin/tenants/${encodeURIComponent(opts.tenant)}/analytics` : '/admin/analytics';
  return adminRequest({ path: `${base}/summary?${query({ from, to, groupBy: opts.groupBy })}`, accessToken: token, schema: summarySchema });
}

export function usageSeries(token: string, range: UsageRange, opts: { tenant?: string } = {}) {
  const { from, to, granularity } = window(range);
  const base = opts.tenant ? `/admin/tenants/${encodeURIComponent(opts.tenant)}/analytics` : '/admin/analytics';
  return adminRequest({ path: `${base}/timeseries?${query({ from, to, granularity })}`, accessToken: token, schema: seriesSchema });
}
