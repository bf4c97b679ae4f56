import {
  alertsQueue,
  nanoToUsd,
  periodStart,
  quotaCounterExpiresAt,
  quotaCounterKey,
  quotaUsageUnits,
  usdToNano,
} from '@conduit/contracts';
import type { PrismaClient } from '@conduit/db';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { enabledQuotaUsage, type QuotaUsage, recordBudgetAlert, undeliveredAlerts } from './budget.repository.js';

/**
 * Raises a counter to the value PostgreSQL proves, never lowers it (what the
 * gateway settled may still be in the queue), and makes sure it expires after its
 * period. Returns [value before (-1 = missing), 1 if raised].
 */
const RAISE_COUNTER = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '-1') or -1
local want = tonumber(ARGV[1])
if cur < want then
  redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
  return {tostring(cur), 1}
end
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
return {tostring(cur), 0}`;

export interface ReconcileResult {
  quotas: number;
  /** counters that were missing or lower than PostgreSQL and were raised */
  corrected: number;
  /** new threshold alerts (once per quota, period and threshold) */
  alertsRaised: number;
  /** alert deliveries enqueued (new ones and earlier ones not delivered yet) */
  alertsEnqueued: number;
}

/** A quota's usage in its counter's integer units (requests, tokens or nano-USD). */
export function usageUnits(q: Pick<QuotaUsage, 'metric' | 'requests' | 'tokens' | 'costUsd'>): number {
  if (q.metric === 'requests') return q.requests;
  if (q.metric === 'tokens') return quotaUsageUnits('tokens', { promptTokens: q.tokens, completionTokens: 0, costUsd: '0' });
  return quotaUsageUnits('cost', { promptTokens: 0, completionTokens: 0, costUsd: q.costUsd });
}

/** Thresholds (percent) of `limit` that `units` has reached. */
export function crossedThresholds(q: Pick<QuotaUsage, 'metric' | 'limit' | 'alertThresholds'>, units: number): number[] {
  const limitUnits = q.metric === 'cost' ? usdToNano(q.limit) : Number(q.limit);
  if (!(limitUnits > 0)) return [];
  return [...new Set(q.alertThresholds)].filter((t) => t > 0 && units * 100 >= limitUnits * t).sort((a, b) => a - b);
}

/**
 * Budget reconciliation (job `budget-reconcile`, on start and every
 * BUDGET_RECONCILE_EVERY_MS): recomputes each enabled quota's usage for its
 * current period from PostgreSQL, corrects the Redis counter the gateway reserves
 * and settles against, and raises each threshold alert once per period (a
 * BudgetAlert row, unique per quota × period × threshold), enqueuing its webhook
 * delivery when the quota has a webhook.
 */
export async function reconcileBudgets(deps: {
  prisma: PrismaClient;
  redis: Redis;
  alerts: Queue;
  redisPrefix: string;
  logger: Logger;
  now?: Date;
}): Promise<ReconcileResult> {
  const { prisma, redis, alerts, redisPrefix, logger } = deps;
  const now = deps.now ?? new Date();
  const quotas = await enabledQuotaUsage(prisma, now);
  let corrected = 0;
  let alertsRaised = 0;

  for (const q of quotas) {
    const units = usageUnits(q);
    const key = quotaCounterKey(redisPrefix, q.quotaId, q.period, now);
    const [before, raised] = (await redis.eval(RAISE_COUNTER, 1, key, String(units), String(quotaCounterExpiresAt(q.period, now).getTime()))) as [
      string,
      number,
    ];
    if (raised) {
      corrected++;
      logger.info({ quotaId: q.quotaId, key, before: Number(before), after: units }, before === '-1' ? 'quota counter rebuilt' : 'quota counter raised to PostgreSQL usage');
    }
    const value = q.metric === 'cost' ? nanoToUsd(units) : String(units);
    for (const threshold of crossedThresholds(q, units)) {
      const id = await recordBudgetAlert(prisma, { quotaId: q.quotaId, tenantId: q.tenantId, periodStart: q.periodStart, threshold, value });
      if (id) {
        alertsRaised++;
        logger.info({ quotaId: q.quotaId, tenantId: q.tenantId, threshold, value }, 'budget threshold crossed');
      }
    }
  }

  // Deliver every undelivered alert of the current periods: a new one, or one whose
  // enqueue was lost (e.g. the worker died right after recording it). The job id is
  // the alert id, so an alert already queued, delivered or dead-lettered is not added again.
  const oldestStart = periodStart('month', now) < periodStart('week', now) ? periodStart('month', now) : periodStart('week', now);
  let alertsEnqueued = 0;
  for (const a of await undeliveredAlerts(prisma, oldestStart)) {
    if (a.periodStart.getTime() !== periodStart(a.quota.period, now).getTime()) continue;
    const data = {
      alertId: a.id,
      tenantId: a.tenantId,
      webhookUrl: a.quota.webhookUrl,
      payload: {
        type: 'budget.threshold_crossed',
        alertId: a.id,
        tenantId: a.tenantId,
        quotaId: a.quotaId,
        scope: a.quota.scope,
        apiKeyId: a.quota.apiKeyId,
        metric: a.quota.metric,
        period: a.quota.period,
        periodStart: a.periodStart.toISOString(),
        threshold: a.threshold,
        limit: a.quota.limit.toString(),
        value: a.value.toString(),
        raisedAt: a.createdAt.toISOString(),
      },
    };
    const parsed = alertsQueue.schema.safeParse(data);
    if (!parsed.success) {
      logger.warn({ alertId: a.id, quotaId: a.quotaId }, 'budget alert not delivered: the quota webhook URL is invalid');
      continue;
    }
    const jobId = `budget-alert-${a.id}`;
    if (await alerts.getJob(jobId)) continue;
    await alerts.add('budget-alert', parsed.data, { jobId });
    alertsEnqueued++;
  }
  return { quotas: quotas.length, corrected, alertsRaised, alertsEnqueued };
}
