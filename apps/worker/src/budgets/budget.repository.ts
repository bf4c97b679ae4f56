import { randomUUID } from 'node:crypto';
import { periodEnd, periodStart, type QuotaMetric, type QuotaPeriod } from '@conduit/contracts';
import type { PrismaClient } from '@conduit/db';

/** Timestamps cross into SQL as ISO strings read as UTC (Prisma's DateTime columns hold UTC wall time). */
const iso = (d: Date) => d.toISOString();

export interface QuotaUsage {
  quotaId: string;
  tenantId: string;
  scope: 'tenant' | 'key';
  apiKeyId: string | null;
  metric: QuotaMetric;
  period: QuotaPeriod;
  /** the limit, as stored (USD for cost) */
  limit: string;
  alertThresholds: number[];
  webhookUrl: string | null;
  periodStart: Date;
  periodEnd: Date;
  /** usage of the current period from PostgreSQL */
  requests: number;
  tokens: number;
  /** USD, decimal string */
  costUsd: string;
}

/**
 * Every enabled quota with its usage in the current period, summed from the daily
 * rollups (periods are UTC days, Monday weeks and months, so daily buckets tile
 * them exactly): the tenant's usage for tenant quotas, the key's for key quotas.
 */
export async function enabledQuotaUsage(prisma: PrismaClient, now: Date): Promise<QuotaUsage[]> {
  const starts = { day: periodStart('day', now), week: periodStart('week', now), month: periodStart('month', now) };
  const ends = { day: periodEnd('day', now), week: periodEnd('week', now), month: periodEnd('month', now) };
  const rows = await prisma.$queryRaw<
    {
      id: string;
      tenantId: string;
      scope: 'tenant' | 'key';
      apiKeyId: string | null;
      metric: QuotaMetric;
      period: QuotaPeriod;
      limit: string;
      alertThresholds: number[];
      webhookUrl: string | null;
      requests: bigint;
      tokens: bigint;
      cost: string;
    }[]
  >`
    WITH q AS (
      SELECT q.*,
        (CASE q.period WHEN 'day' THEN ${iso(starts.day)} WHEN 'week' THEN ${iso(starts.week)} ELSE ${iso(starts.month)} END)::timestamptz AT TIME ZONE 'UTC' AS ps,
        (CASE q.period WHEN 'day' THEN ${iso(ends.day)} WHEN 'week' THEN ${iso(ends.week)} ELSE ${iso(ends.month)} END)::timestamptz AT TIME ZONE 'UTC' AS pe
      FROM "Quota" q WHERE q.enabled
    )
    SELECT q.id, q."tenantId", q.scope::text AS scope, q."apiKeyId", q.metric::text AS metric, q.period::text AS period,
      q."limit"::text AS "limit", q."alertThresholds", q."webhookUrl",
      coalesce(sum(r.requests), 0)::bigint AS requests,
      coalesce(sum(r."promptTokens" + r."completionTokens"), 0)::bigint AS tokens,
      coalesce(sum(r."costUsd"), 0)::text AS cost
    FROM q
    LEFT JOIN "UsageRollup" r
      ON r.granularity = 'day' AND r."tenantId" = q."tenantId" AND r."bucketStart" >= q.ps AND r."bucketStart" < q.pe
      AND (q.scope = 'tenant' OR r."apiKeyId" = q."apiKeyId")
    GROUP BY q.id, q."tenantId", q.scope, q."apiKeyId", q.metric, q.period, q."limit", q."alertThresholds", q."webhookUrl"
    ORDER BY q.id`;
  return rows.map((r) => ({
    quotaId: r.id,
    tenantId: r.tenantId,
    scope: r.scope,
    apiKeyId: r.apiKeyId,
    metric: r.metric,
    period: r.period,
    limit: r.limit,
    alertThresholds: r.alertThresholds,
    webhookUrl: r.webhookUrl,
    periodStart: starts[r.period],
    periodEnd: ends[r.period],
    requests: Number(r.requests),
    tokens: Number(r.tokens),
    costUsd: r.cost,
  }));
}

/** Records that a threshold was crossed in a period; returns the alert id only if it is new (once per period). */
export async function recordBudgetAlert(
  prisma: PrismaClient,
  a: { quotaId: string; tenantId: string; periodStart: Date; threshold: number; value: string },
): Promise<string | null> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO "BudgetAlert" (id, "quotaId", "tenantId", "periodStart", threshold, value, "createdAt")
    VALUES (${randomUUID()}, ${a.quotaId}, ${a.tenantId}, ${iso(a.periodStart)}::timestamptz AT TIME ZONE 'UTC', ${a.threshold}, ${a.value}::numeric, now() AT TIME ZONE 'UTC')
    ON CONFLICT ("quotaId", "periodStart", threshold) DO NOTHING
    RETURNING id`;
  return rows[0]?.id ?? null;
}

/** Alerts of current periods not delivered yet, for quotas with a webhook (re-enqueued by id: no duplicates). */
export async function undeliveredAlerts(prisma: PrismaClient, since: Date) {
  return prisma.budgetAlert.findMany({
    where: { deliveredAt: null, periodStart: { gte: since }, quota: { enabled: true, webhookUrl: { not: null } } },
    include: { quota: true },
    orderBy: { createdAt: 'asc' },
    take: 1000,
  });
}
