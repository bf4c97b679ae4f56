import { tenantSettingsSchema, type UsageEvent, usageEventSchema } from '@conduit/contracts';
import type { PrismaClient } from '@conduit/db';
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { redact } from '../usage/redact.js';
import { type IngestResult, type IngestRow, ingestUsage, tenantSettings } from '../usage/usage.repository.js';

const INT4_MAX = 2_147_483_647;
const INT_FIELDS = ['httpStatus', 'promptTokens', 'completionTokens', 'cachedTokens', 'reasoningTokens', 'latencyMs', 'ttftMs', 'attempts', 'fallbacks'] as const;

/** The batch envelope; each event is validated on its own so one bad event cannot hold back the others. */
const batchSchema = z.object({ events: z.array(z.unknown()).min(1) });

type ParsedEvent = z.output<typeof usageEventSchema>;

/** Checks what the columns need beyond the shared schema (int4 ranges, numeric(20,10)). */
function storageProblem(e: ParsedEvent): string | null {
  for (const f of INT_FIELDS) {
    const v = e[f];
    if (v !== null && v > INT4_MAX) return `${f}: too large`;
  }
  if (e.costUsd.split('.')[0]!.replace(/^0+/, '').length > 10) return 'costUsd: too large';
  return null;
}

/** Which tenants log bodies, cached briefly (a settings change applies within `ttlMs`). */
export class BodyLoggingPolicy {
  private cache = new Map<string, { logBodies: boolean; until: number }>();
  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlMs = 10_000,
  ) {}

  async logsBodies(tenantIds: string[], now = Date.now()): Promise<Set<string>> {
    const stale = tenantIds.filter((id) => !((this.cache.get(id)?.until ?? 0) > now));
    if (stale.length) {
      const settings = await tenantSettings(this.prisma, stale);
      for (const id of stale) {
        const parsed = tenantSettingsSchema.safeParse(settings.get(id) ?? {});
        this.cache.set(id, { logBodies: parsed.success && parsed.data.logBodies, until: now + this.ttlMs });
      }
    }
    return new Set(tenantIds.filter((id) => this.cache.get(id)?.logBodies));
  }
}

export interface UsageIngestOptions {
  bodies: BodyLoggingPolicy;
  /**
   * TEST-ONLY hook: runs inside the ingest transaction after the batch is written
   * and before it commits (the worker wires CONDUIT_TEST_INGEST_DELAY_MS here so a
   * test can kill the process while a transaction is open).
   */
  beforeCommit?: () => Promise<void>;
  /** longest an ingest transaction may stay open */
  transactionTimeoutMs?: number;
}

export interface UsageIngestResult extends IngestResult {
  received: number;
  invalid: number;
}

/**
 * Ingests one batch of usage events: request logs (with redacted bodies when the
 * tenant logs bodies) and the hourly and daily rollups, in one transaction. The
 * request id is unique and rollups count only newly written logs, so a replayed
 * or duplicated event — or a whole batch redelivered after a crash — never counts
 * twice. Events that fail validation are not retried (they never will pass): the
 * valid ones are ingested, then the job fails for good with the reasons, and stays
 * in the failed set (a dead letter) with its data.
 */
export async function processUsageEvents(prisma: PrismaClient, data: unknown, opts: UsageIngestOptions): Promise<UsageIngestResult> {
  const envelope = batchSchema.safeParse(data);
  if (!envelope.success) throw new UnrecoverableError(`malformed usage batch: ${z.prettifyError(envelope.error)}`);
  const valid: ParsedEvent[] = [];
  const problems: string[] = [];
  envelope.data.events.forEach((raw, i) => {
    const res = usageEventSchema.safeParse(raw);
    const problem = res.success ? storageProblem(res.data) : res.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ');
    if (res.success && !problem) valid.push(res.data);
    else problems.push(`event ${i} (${(raw as Partial<UsageEvent> | null)?.requestId ?? 'no requestId'}): ${problem}`);
  });

  const withBodies = valid.filter((e) => e.requestBody !== undefined || e.responseBody !== undefined);
  const logging = withBodies.length ? await opts.bodies.logsBodies([...new Set(withBodies.map((e) => e.tenantId))]) : new Set<string>();
  const rows = valid.map((e) => toRow(e, logging.has(e.tenantId)));

  const result = await prisma.$transaction(
    async (tx) => {
      const r = await ingestUsage(tx, rows);
      if (opts.beforeCommit) await opts.beforeCommit();
      return r;
    },
    { timeout: opts.transactionTimeoutMs ?? 120_000, maxWait: 30_000 },
  );
  const out = { received: envelope.data.events.length, invalid: problems.length, ...result };
  if (problems.length) {
    throw new UnrecoverableError(
      `${problems.length} invalid usage event(s) kept in this failed job (the ${valid.length} valid ones were ingested): ${problems.slice(0, 5).join(' | ')}`,
    );
  }
  return out;
}

function toRow(e: ParsedEvent, logBodies: boolean): IngestRow {
  return {
    requestId: e.requestId,
    tenantId: e.tenantId,
    apiKeyId: e.apiKeyId,
    endpoint: e.endpoint,
    model: e.model,
    providerId: e.providerId,
    deploymentId: e.deploymentId,
    status: e.status,
    httpStatus: e.httpStatus,
    errorCategory: e.errorCategory,
    errorCode: e.errorCode,
    errorMessage: e.errorMessage,
    promptTokens: e.promptTokens,
    completionTokens: e.completionTokens,
    cachedTokens: e.cachedTokens,
    reasoningTokens: e.reasoningTokens,
    costUsd: e.costUsd,
    latencyMs: e.latencyMs,
    ttftMs: e.ttftMs,
    attempts: e.attempts,
    fallbacks: e.fallbacks,
    cacheHit: e.cacheHit,
    stream: e.stream,
    requestBody: logBodies && e.requestBody !== undefined ? redact(e.requestBody) : undefined,
    responseBody: logBodies && e.responseBody !== undefined ? redact(e.responseBody) : undefined,
    metadata: e.metadata,
    createdAt: e.createdAt,
  };
}
