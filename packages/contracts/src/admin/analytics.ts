import { z } from 'zod';
import { isoDate } from './common';

export const ANALYTICS_DIMENSIONS = ['tenant', 'key', 'model', 'provider'] as const;
export type AnalyticsDimension = (typeof ANALYTICS_DIMENSIONS)[number];

export const analyticsQuerySchema = z
  .object({
    /** start of the period (inclusive); defaults to 7 days ago */
    from: isoDate.optional(),
    /** end of the period (exclusive); defaults to now */
    to: isoDate.optional(),
    granularity: z.enum(['hour', 'day']).optional(),
    /** break the summary down by one dimension */
    groupBy: z.enum(ANALYTICS_DIMENSIONS).optional(),
    apiKeyId: z.string().optional(),
    model: z.string().optional(),
    providerId: z.string().optional(),
    /** platform-wide endpoints only */
    tenantId: z.string().optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be before `to`', path: ['from'] });
export type AnalyticsQuery = z.input<typeof analyticsQuerySchema>;

export interface UsageMetrics {
  requests: number;
  errors: number;
  /** errors / requests (0..1) */
  errorRate: number;
  cacheHits: number;
  /** cacheHits / requests (0..1) */
  cacheHitRate: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** USD, decimal string */
  costUsd: string;
  avgLatencyMs: number | null;
  /** upper bound of the histogram bucket holding the 95th percentile */
  p95LatencyMs: number | null;
}

export interface UsageSummaryOutput {
  from: string;
  to: string;
  totals: UsageMetrics;
  groupBy: AnalyticsDimension | null;
  groups: (UsageMetrics & { key: string })[];
}

export interface UsageTimeSeriesOutput {
  from: string;
  to: string;
  granularity: 'hour' | 'day';
  points: (UsageMetrics & { bucketStart: string })[];
}
