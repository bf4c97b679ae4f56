import { randomUUID } from 'node:crypto';
import { maintenanceQueue, type UsageEvent, usageEventsQueue } from '@conduit/contracts';
import { createPrismaClient, type PrismaClient } from '@conduit/db';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '@conduit/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { purgeExpiredLogs } from '../src/processors/retention.js';
import { compactRollups } from '../src/processors/rollup-compaction.js';
import { type ConduitWorker, startWorker } from '../src/worker.js';

let db: TestDatabase;
let prisma: PrismaClient;
let worker: ConduitWorker;
let tenantId: string;

beforeAll(async () => {
  db = await createTestDatabase('worker');
  prisma = createPrismaClient({ url: db.url, max: 2 });
  tenantId = (await prisma.tenant.create({ data: { slug: 't1', name: 'T1', settings: { retentionDays: 7 } } })).id;
  worker = await startWorker(
    loadConfig({ DATABASE_URL: db.url, REDIS_PREFIX: testRedisPrefix('worker'), LOG_LEVEL: 'silent', RETENTION_EVERY_MS: '3600000' }),
    pino({ level: 'silent' }),
  );
});
afterAll(async () => {
  await worker?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

const event = (over: Partial<UsageEvent> = {}): UsageEvent => ({
  requestId: randomUUID(),
  tenantId,
  apiKeyId: null,
  endpoint: '/v1/chat/completions',
  model: 'demo-chat',
  providerId: null,
  deploymentId: null,
  status: 'success',
  httpStatus: 200,
  errorCategory: null,
  errorCode: null,
  promptTokens: 10,
  completionTokens: 5,
  costUsd: '0.0000125',
  latencyMs: 42,
  ttftMs: null,
  attempts: 1,
  cacheHit: false,
  stream: false,
  createdAt: new Date().toISOString(),
  ...over,
});

async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

describe('worker', () => {
  it('registers every typed queue and schedules the maintenance jobs once', async () => {
    expect(Object.keys(worker.queues).sort()).toEqual(['alerts', 'maintenance', 'usage-events']);
    const schedulers = await worker.queues[maintenanceQueue.name].getJobSchedulers();
    expect(schedulers.map((s) => s.key ?? s.id).sort()).toEqual(['budget-reconcile', 'retention', 'rollup-compaction']);
  });

  it('writes one request log per request id, even for replayed events', async () => {
    const batch = [event(), event({ status: 'error', httpStatus: 429, errorCategory: 'rate_limit', errorCode: 'rate_limit_exceeded' }), event({ stream: true })];
    const q = worker.queues[usageEventsQueue.name];
    await q.add('batch', { events: batch });
    await q.add('batch', { events: [batch[0], batch[1]] }); // a replay
    await q.add('batch', { events: [batch[2], event({ requestId: 'last' })] });
    await until(async () => (await prisma.requestLog.count()) === 4 && (await q.getJobCounts('completed')).completed === 3);
    const rows = await prisma.requestLog.findMany({ orderBy: { id: 'asc' } });
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.requestId === batch[1].requestId)).toMatchObject({ status: 'error', errorCategory: 'rate_limit', httpStatus: 429 });
    expect(rows.reduce((s, r) => s + r.promptTokens, 0)).toBe(40);
  });

  it('keeps a malformed batch visible as a failed job instead of dropping it', async () => {
    const q = worker.queues[usageEventsQueue.name];
    const job = await q.add('bad', { events: [{ requestId: 'x' }] }, { attempts: 1 });
    await until(async () => (await job.getState()) === 'failed');
    expect((await q.getJob(job.id!))?.failedReason).toMatch(/tenantId/);
  });

  it('purges request logs past the tenant retention in batches, and only those', async () => {
    const old = new Date(Date.now() - 8 * 86_400_000);
    const base = { tenantId, endpoint: '/v1/embeddings', model: 'm', status: 'success' as const, httpStatus: 200, latencyMs: 1 };
    await prisma.requestLog.createMany({ data: Array.from({ length: 7 }, (_, i) => ({ ...base, requestId: `old-${i}`, createdAt: old })) });
    const before = await prisma.requestLog.count();
    const deleted = await purgeExpiredLogs(prisma, 3);
    expect(deleted).toBe(7);
    expect(await prisma.requestLog.count()).toBe(before - 7);
  });

  it('keeps 90 days of logs for a tenant without a retention setting, and never touches rollups', async () => {
    const t = await prisma.tenant.create({ data: { slug: 't-default', name: 'Default retention' } });
    const base = { tenantId: t.id, endpoint: '/v1/chat/completions', model: 'm', status: 'success' as const, httpStatus: 200, latencyMs: 1 };
    const day = 86_400_000;
    await prisma.requestLog.createMany({
      data: [
        { ...base, requestId: 'keep-30d', createdAt: new Date(Date.now() - 30 * day) },
        { ...base, requestId: 'keep-89d', createdAt: new Date(Date.now() - 89 * day) },
        { ...base, requestId: 'drop-91d', createdAt: new Date(Date.now() - 91 * day) },
      ],
    });
    await prisma.usageRollup.create({ data: { granularity: 'day', bucketStart: new Date(Date.now() - 91 * day), tenantId: t.id, requests: 1 } });
    await purgeExpiredLogs(prisma, 2);
    const left = await prisma.requestLog.findMany({ where: { tenantId: t.id }, select: { requestId: true } });
    expect(left.map((r) => r.requestId).sort()).toEqual(['keep-30d', 'keep-89d']);
    expect(await prisma.usageRollup.count({ where: { tenantId: t.id } })).toBe(1);
  });

  it('compacts hourly rollups past the horizon in batches and keeps the daily ones', async () => {
    const t = await prisma.tenant.create({ data: { slug: 't-compact', name: 'Compaction' } });
    const now = new Date('2026-06-15T12:00:00Z');
    const at = (daysAgo: number, h = 0) => new Date(Date.UTC(2026, 5, 15 - daysAgo, h));
    await prisma.usageRollup.createMany({
      data: [
        ...[0, 1, 2, 3, 4].map((h) => ({ granularity: 'hour' as const, bucketStart: at(40, h), tenantId: t.id, requests: 1 })),
        { granularity: 'hour' as const, bucketStart: at(5, 3), tenantId: t.id, requests: 1 },
        { granularity: 'day' as const, bucketStart: at(40), tenantId: t.id, requests: 5 },
      ],
    });
    expect(await compactRollups(prisma, 0, 2, now)).toBe(0); // 0 keeps everything
    expect(await compactRollups(prisma, 30, 2, now)).toBe(5);
    const left = await prisma.usageRollup.findMany({ where: { tenantId: t.id }, orderBy: { bucketStart: 'asc' } });
    expect(left.map((r) => [r.granularity, r.bucketStart.toISOString()])).toEqual([
      ['day', at(40).toISOString()],
      ['hour', at(5, 3).toISOString()],
    ]);
  });
});
