import { z } from 'zod';

/** A BullMQ queue with its payload schema, shared by producer and consumer. */
export interface QueueDefinition<N extends string, S extends z.ZodType> {
  readonly name: N;
  readonly schema: S;
  parse(data: unknown): z.output<S>;
}

export function defineQueue<N extends string, S extends z.ZodType>(name: N, schema: S): QueueDefinition<N, S> {
  return { name, schema, parse: (data) => schema.parse(data) };
}

export const ERROR_CATEGORIES = [
  'rate_limit',
  'timeout',
  'server_error',
  'overloaded',
  'auth',
  'bad_request',
  'not_found',
  'content_filter',
  'client_aborted',
  'gateway',
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

/** One request's usage: every request — success, error, cached, streamed, aborted — emits exactly one. */
export const usageEventSchema = z.object({
  requestId: z.string().min(1),
  tenantId: z.string().min(1),
  apiKeyId: z.string().nullable(),
  endpoint: z.string(),
  model: z.string(),
  providerId: z.string().nullable(),
  deploymentId: z.string().nullable(),
  status: z.enum(['success', 'error', 'aborted']),
  httpStatus: z.number().int(),
  errorCategory: z.enum(ERROR_CATEGORIES).nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable().default(null),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  cachedTokens: z.number().int().nonnegative().default(0),
  reasoningTokens: z.number().int().nonnegative().default(0),
  /** USD as a decimal string, to keep precision */
  costUsd: z.string().regex(/^\d+(\.\d+)?$/),
  latencyMs: z.number().int().nonnegative(),
  ttftMs: z.number().int().nonnegative().nullable(),
  attempts: z.number().int().nonnegative(),
  fallbacks: z.number().int().nonnegative().default(0),
  cacheHit: z.boolean(),
  stream: z.boolean(),
  /** ISO 8601 time the request arrived */
  createdAt: z.string().datetime(),
  requestBody: z.unknown().optional(),
  responseBody: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type UsageEvent = z.input<typeof usageEventSchema>;

export const usageEventsQueue = defineQueue(
  'usage-events',
  z.object({ events: z.array(usageEventSchema).min(1) }),
);

export const maintenanceQueue = defineQueue(
  'maintenance',
  z.object({ task: z.enum(['retention', 'budget-reconcile', 'rollup-compaction']) }),
);

export const alertsQueue = defineQueue(
  'alerts',
  z.object({
    alertId: z.string(),
    tenantId: z.string(),
    webhookUrl: z.string().url(),
    payload: z.record(z.string(), z.unknown()),
  }),
);

/** Every queue, by name: the worker registers each of these. */
export const QUEUES = {
  [usageEventsQueue.name]: usageEventsQueue,
  [maintenanceQueue.name]: maintenanceQueue,
  [alertsQueue.name]: alertsQueue,
} as const;
export type QueueName = keyof typeof QUEUES;
export type QueuePayload<N extends QueueName> = z.output<(typeof QUEUES)[N]['schema']>;

/** Upper bounds (ms) of the latency histogram buckets kept in rollups; the last bucket is open-ended. */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000] as const;

/** Length of a rollup's `latencyHistogram`: one count per bound, plus the open-ended last bucket. */
export const LATENCY_HISTOGRAM_LENGTH = LATENCY_BUCKETS_MS.length + 1;

/**
 * Index in `latencyHistogram` of a request that took `latencyMs`: bucket i counts
 * latencies in (LATENCY_BUCKETS_MS[i-1], LATENCY_BUCKETS_MS[i]] (bucket 0 starts at
 * 0, the last bucket holds everything above the last bound).
 */
export function latencyBucketIndex(latencyMs: number): number {
  let i = 0;
  while (i < LATENCY_BUCKETS_MS.length && latencyMs > LATENCY_BUCKETS_MS[i]) i++;
  return i;
}

/**
 * Job options producers of `usage-events` should use (the options of the job, not
 * of the consumer, decide retries): failed batches are retried with backoff and
 * then kept in the failed set as dead letters, never removed. Use the batch id as
 * the job id.
 */
export const USAGE_EVENTS_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: false,
} as const;
