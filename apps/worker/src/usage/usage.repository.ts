import { ERROR_CATEGORIES, LATENCY_BUCKETS_MS, LATENCY_HISTOGRAM_LENGTH, type usageEventSchema } from '@conduit/contracts';
import type { z } from 'zod';
import { Prisma, type PrismaClient } from '@conduit/db';

/** A usage event as the ingest statement reads it (JSON field names = column names; bodies already redacted). */
export type IngestRow = z.output<typeof usageEventSchema>;

export interface IngestResult {
  /** distinct request ids in the batch */
  distinct: number;
  /** request logs written now (the rest were already there, or belong to a tenant that no longer exists) */
  inserted: number;
  /** events of tenants that no longer exist (their logs would have been deleted with the tenant) */
  orphaned: number;
  /** rollup rows created or incremented (hourly + daily) */
  rollupRows: number;
}

/**
 * Serialises rows for the statement's single json parameter. PostgreSQL cannot
 * store NUL characters or unpaired surrogates in text/jsonb; JSON.stringify
 * writes both as \u escapes, which are dropped (NUL) or replaced by U+FFFD here, so
 * one odd string can never make a batch fail forever.
 */
export function toStorableJson(rows: readonly unknown[]): string {
  return JSON.stringify(rows).replace(/(?<!\\)((?:\\\\)*)\\u(0000|d[89a-f][0-9a-f]{2})/gi, (_m, slashes: string, code: string) =>
    code === '0000' ? slashes : `${slashes}\\ufffd`,
  );
}

const LATENCY_BOUNDS = Prisma.raw(`ARRAY[${LATENCY_BUCKETS_MS.join(',')}]::int[]`);
// histogram bucket i counts latencies in (bound[i-1], bound[i]]: width_bucket(latency - 1, bounds) is that index
const HISTOGRAM = Prisma.raw(
  `ARRAY[${Array.from({ length: LATENCY_HISTOGRAM_LENGTH }, (_, i) => `count(*) FILTER (WHERE lb = ${i})`).join(', ')}]::int[]`,
);
// errors by category: only the categories seen, as { "rate_limit": 3, ... }
const ERRORS_BY_CATEGORY = Prisma.raw(
  `jsonb_strip_nulls(jsonb_build_object(${[...ERROR_CATEGORIES, 'unknown']
    .map((c) => `'${c}', nullif(count(*) FILTER (WHERE status = 'error' AND coalesce("errorCategory", 'unknown') = '${c}'), 0)`)
    .join(', ')}))`,
);

/**
 * Writes the request logs of a batch and adds them to the hourly and daily
 * rollups — in ONE statement, so in one transaction with whatever the caller
 * runs around it. The rollup increments are aggregated from the rows the INSERT
 * actually wrote (`ON CONFLICT ("requestId") DO NOTHING RETURNING …`), so an event
 * whose request log already exists — a replay, a duplicate, a batch redelivered
 * after a crash — adds nothing. Rows and rollup keys are taken in a fixed order so
 * concurrent batches do not deadlock on each other.
 */
export async function ingestUsage(db: Pick<PrismaClient, '$queryRaw'>, rows: readonly IngestRow[]): Promise<IngestResult> {
  if (rows.length === 0) return { distinct: 0, inserted: 0, orphaned: 0, rollupRows: 0 };
  const payload = toStorableJson(rows);
  const [r] = await db.$queryRaw<{ distinct_ids: number; inserted: number; orphaned: number; rollup_rows: number }[]>`
    WITH src AS (
      SELECT DISTINCT ON (e."requestId") e.*
      FROM json_to_recordset(${payload}::json) AS e(
        "requestId" text, "tenantId" text, "apiKeyId" text, endpoint text, model text, "providerId" text,
        "deploymentId" text, status text, "httpStatus" int, "errorCategory" text, "errorCode" text,
        "errorMessage" text, "promptTokens" int, "completionTokens" int, "cachedTokens" int,
        "reasoningTokens" int, "costUsd" numeric, "latencyMs" int, "ttftMs" int, attempts int, fallbacks int,
        "cacheHit" boolean, stream boolean, "requestBody" jsonb, "responseBody" jsonb, metadata jsonb,
        "createdAt" timestamptz)
      ORDER BY e."requestId"
    ),
    ins AS (
      INSERT INTO "RequestLog" (
        "requestId", "tenantId", "apiKeyId", endpoint, model, "providerId", "deploymentId", status, "httpStatus",
        "errorCategory", "errorCode", "errorMessage", "promptTokens", "completionTokens", "cachedTokens",
        "reasoningTokens", "costUsd", "latencyMs", "ttftMs", attempts, fallbacks, "cacheHit", stream,
        "requestBody", "responseBody", metadata, "createdAt")
      SELECT s."requestId", s."tenantId", k.id, s.endpoint, s.model, s."providerId", s."deploymentId",
        s.status::"RequestStatus", s."httpStatus", s."errorCategory", s."errorCode", s."errorMessage",
        s."promptTokens", s."completionTokens", s."cachedTokens", s."reasoningTokens", s."costUsd",
        s."latencyMs", s."ttftMs", s.attempts, s.fallbacks, s."cacheHit", s.stream,
        s."requestBody", s."responseBody", coalesce(s.metadata, '{}'::jsonb), s."createdAt" AT TIME ZONE 'UTC'
      FROM src s
      JOIN "Tenant" t ON t.id = s."tenantId"
      LEFT JOIN "ApiKey" k ON k.id = s."apiKeyId"
      ORDER BY s."requestId"
      ON CONFLICT ("requestId") DO NOTHING
      RETURNING "tenantId", "apiKeyId", model, "providerId", status, "errorCategory", "cacheHit", "promptTokens",
        "completionTokens", "cachedTokens", "reasoningTokens", "costUsd", "latencyMs", "ttftMs", "createdAt"
    ),
    g AS (
      SELECT v.gran::"RollupGranularity" AS granularity, date_trunc(v.gran, i."createdAt") AS "bucketStart",
        i."tenantId", coalesce(i."apiKeyId", '') AS "apiKeyId", i.model, coalesce(i."providerId", '') AS "providerId",
        i.status::text AS status, i."errorCategory", i."cacheHit", i."promptTokens", i."completionTokens",
        i."cachedTokens", i."reasoningTokens", i."costUsd", i."latencyMs", i."ttftMs",
        width_bucket(i."latencyMs" - 1, ${LATENCY_BOUNDS}) AS lb
      FROM ins i CROSS JOIN (VALUES ('hour'), ('day')) AS v(gran)
    ),
    agg AS (
      SELECT granularity, "bucketStart", "tenantId", "apiKeyId", model, "providerId",
        count(*)::int AS requests,
        count(*) FILTER (WHERE status = 'error')::int AS errors,
        ${ERRORS_BY_CATEGORY} AS "errorsByCategory",
        count(*) FILTER (WHERE "cacheHit")::int AS "cacheHits",
        sum("promptTokens")::bigint AS "promptTokens",
        sum("completionTokens")::bigint AS "completionTokens",
        sum("cachedTokens")::bigint AS "cachedTokens",
        sum("reasoningTokens")::bigint AS "reasoningTokens",
        sum("costUsd") AS "costUsd",
        sum("latencyMs")::bigint AS "latencySumMs",
        coalesce(sum("ttftMs"), 0)::bigint AS "ttftSumMs",
        ${HISTOGRAM} AS "latencyHistogram"
      FROM g
      GROUP BY granularity, "bucketStart", "tenantId", "apiKeyId", model, "providerId"
    ),
    up AS (
      INSERT INTO "UsageRollup" AS r (
        id, granularity, "bucketStart", "tenantId", "apiKeyId", model, "providerId", requests, errors,
        "errorsByCategory", "cacheHits", "promptTokens", "completionTokens", "cachedTokens", "reasoningTokens",
        "costUsd", "latencySumMs", "ttftSumMs", "latencyHistogram", "updatedAt")
      SELECT gen_random_uuid()::text, granularity, "bucketStart", "tenantId", "apiKeyId", model, "providerId",
        requests, errors, "errorsByCategory", "cacheHits", "promptTokens", "completionTokens", "cachedTokens",
        "reasoningTokens", "costUsd", "latencySumMs", "ttftSumMs", "latencyHistogram", now() AT TIME ZONE 'UTC'
      FROM agg
      ORDER BY granularity, "bucketStart", "tenantId", "apiKeyId", model, "providerId"
      ON CONFLICT (granularity, "bucketStart", "tenantId", "apiKeyId", model, "providerId") DO UPDATE SET
        requests = r.requests + EXCLUDED.requests,
        errors = r.errors + EXCLUDED.errors,
        "errorsByCategory" = CASE WHEN EXCLUDED."errorsByCategory" = '{}'::jsonb THEN r."errorsByCategory" ELSE (
          SELECT coalesce(jsonb_object_agg(c.k, c.n), '{}'::jsonb) FROM (
            SELECT x.k, sum(x.n)::bigint AS n FROM (
              SELECT key AS k, value::bigint AS n FROM jsonb_each_text(r."errorsByCategory")
              UNION ALL
              SELECT key, value::bigint FROM jsonb_each_text(EXCLUDED."errorsByCategory")
            ) x GROUP BY x.k
          ) c) END,
        "cacheHits" = r."cacheHits" + EXCLUDED."cacheHits",
        "promptTokens" = r."promptTokens" + EXCLUDED."promptTokens",
        "completionTokens" = r."completionTokens" + EXCLUDED."completionTokens",
        "cachedTokens" = r."cachedTokens" + EXCLUDED."cachedTokens",
        "reasoningTokens" = r."reasoningTokens" + EXCLUDED."reasoningTokens",
        "costUsd" = r."costUsd" + EXCLUDED."costUsd",
        "latencySumMs" = r."latencySumMs" + EXCLUDED."latencySumMs",
        "ttftSumMs" = r."ttftSumMs" + EXCLUDED."ttftSumMs",
        "latencyHistogram" = ARRAY(
          SELECT coalesce(h.a, 0) + coalesce(h.b, 0)
          FROM unnest(r."latencyHistogram", EXCLUDED."latencyHistogram") WITH ORDINALITY AS h(a, b, i)
          ORDER BY h.i),
        "updatedAt" = now() AT TIME ZONE 'UTC'
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM src)::int AS distinct_ids,
      (SELECT count(*) FROM ins)::int AS inserted,
      (SELECT count(*) FROM src s WHERE NOT EXISTS (SELECT 1 FROM "Tenant" t WHERE t.id = s."tenantId"))::int AS orphaned,
      (SELECT count(*) FROM up)::int AS rollup_rows`;
  return { distinct: r.distinct_ids, inserted: r.inserted, orphaned: r.orphaned, rollupRows: r.rollup_rows };
}

/** Bodies are logged per tenant setting: the settings of the given tenants (missing ones are absent). */
export async function tenantSettings(db: Pick<PrismaClient, 'tenant'>, tenantIds: string[]): Promise<Map<string, unknown>> {
  const rows = await db.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, settings: true } });
  return new Map(rows.map((t) => [t.id, t.settings]));
}
