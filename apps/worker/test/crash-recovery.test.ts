import { randomUUID } from 'node:crypto';
import { type UsageEvent, USAGE_EVENTS_JOB_OPTIONS, usageEventsQueue } from '@conduit/contracts';
import { createPrismaClient, type PrismaClient, usageSummary } from '@conduit/db';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '@conduit/db/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventMix, expectedRollups, rollupTotals, scaled, totalsOf, until } from './usage-fixtures.js';
import { bundleWorker, runWorker, type WorkerProcess } from './worker-process.js';

let db: TestDatabase;
let prisma: PrismaClient;
let redis: Redis;
let queue: Queue;
let bundle: { file: string; cleanup(): void };
let prefix: string;
let tenantId: string;
const running: WorkerProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase('worker_crash');
  prisma = createPrismaClient({ url: db.url, max: 2 });
  tenantId = (await prisma.tenant.create({ data: { slug: 'crashy', name: 'Crashy' } })).id;
  prefix = testRedisPrefix('worker_crash');
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  // the producer side, as the gateway enqueues: one job per batch, job id = batch id
  queue = new Queue(usageEventsQueue.name, { connection: redis, prefix: `${prefix}:bull`, defaultJobOptions: USAGE_EVENTS_JOB_OPTIONS });
  bundle = await bundleWorker();
});
afterAll(async () => {
  for (const w of running) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await queue?.close();
  redis?.disconnect();
  await prisma?.$disconnect();
  await db?.drop();
  bundle?.cleanup();
});

function startWorker(extra: Record<string, string> = {}): WorkerProcess {
  const w = runWorker(bundle.file, {
    DATABASE_URL: db.url,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'info',
    WORKER_CONCURRENCY: '2',
    // a dead worker's batches come back after 2 s instead of 30 s
    WORKER_LOCK_DURATION_MS: '2000',
    WORKER_STALLED_INTERVAL_MS: '1000',
    ...extra,
  });
  running.push(w);
  return w;
}

async function enqueue(batches: UsageEvent[][]) {
  return queue.addBulk(batches.map((events) => ({ name: 'batch', data: { events }, opts: { jobId: `batch-${randomUUID()}` } })));
}

/** Rollups must always equal what the committed request logs add up to: never half a batch. */
async function expectRollupsMatchLogs() {
  const logs = await prisma.requestLog.findMany();
  const asEvents: UsageEvent[] = logs.map((l) => ({
    requestId: l.requestId,
    tenantId: l.tenantId,
    apiKeyId: l.apiKeyId,
    endpoint: l.endpoint,
    model: l.model,
    providerId: l.providerId,
    deploymentId: l.deploymentId,
    status: l.status,
    httpStatus: l.httpStatus,
    errorCategory: l.errorCategory as UsageEvent['errorCategory'],
    errorCode: l.errorCode,
    promptTokens: l.promptTokens,
    completionTokens: l.completionTokens,
    cachedTokens: l.cachedTokens,
    reasoningTokens: l.reasoningTokens,
    costUsd: l.costUsd.toFixed(10),
    latencyMs: l.latencyMs,
    ttftMs: l.ttftMs,
    attempts: l.attempts,
    cacheHit: l.cacheHit,
    stream: l.stream,
    createdAt: l.createdAt.toISOString(),
  }));
  const expected = expectedRollups(asEvents);
  const rows = await prisma.usageRollup.findMany();
  expect(rows.length).toBe(expected.size);
  for (const r of rows) {
    const k = [r.granularity, r.bucketStart.toISOString(), r.tenantId, r.apiKeyId, r.model, r.providerId].join('|');
    expect(rollupTotals(r), k).toEqual(expected.get(k));
  }
  return logs.length;
}

describe('worker killed mid-batch', () => {
  it('loses nothing and double-counts nothing after SIGKILL and restart: totals equal the events sent', async () => {
    const events = eventMix(3000, { tenantId, apiKeyIds: [null], providerIds: ['prov-a', 'prov-b', null], models: ['m-1', 'm-2'], hours: 30 }, 42);
    const batches: UsageEvent[][] = [];
    for (let i = 0; i < events.length; i += 250) batches.push(events.slice(i, i + 250));
    // the gateway replaying batches (e.g. after its own restart) and an overlapping batch
    batches.push(batches[0]!, batches[5]!, [...events.slice(100, 400)]);
    const jobs = await enqueue(batches);

    // 1st run: every ingest transaction stays open 1.5 s; kill while one is open (after one committed)
    let w = startWorker({ CONDUIT_TEST_INGEST_DELAY_MS: '1500' });
    await w.waitForLine(/worker ready/);
    const hookLines = () => w.lines.filter((l) => l.includes('test hook')).length;
    await until(async () => hookLines() >= 4, 30_000, 'four ingest transactions started');
    w.child.kill('SIGKILL');
    expect((await w.exited).signal).toBe('SIGKILL');
    // the 4th transaction had just opened: at most 3 batches can have completed
    expect((await queue.getJobCounts('completed')).completed).toBeLessThan(4);
    const afterFirstKill = await expectRollupsMatchLogs();
    expect(afterFirstKill).toBeGreaterThan(0);
    expect(afterFirstKill).toBeLessThan(events.length);

    // 2nd run: killed again while a redelivered batch is in its transaction
    w = startWorker({ CONDUIT_TEST_INGEST_DELAY_MS: '1500' });
    await w.waitForLine(/worker ready/);
    await until(async () => hookLines() >= 2, 30_000, 'two ingest transactions started');
    w.child.kill('SIGKILL');
    await w.exited;
    await expectRollupsMatchLogs();

    // 3rd run, no delay: the stalled batches come back and everything is ingested exactly once
    w = startWorker();
    await until(
      async () => {
        const states = await Promise.all(jobs.map((j) => queue.getJobState(j.id!)));
        expect(states).not.toContain('failed');
        return states.every((s) => s === 'completed');
      },
      60_000,
      'every batch completed',
    );
    expect(await expectRollupsMatchLogs()).toBe(events.length);
    const expected = expectedRollups(events);
    const rows = await prisma.usageRollup.findMany();
    for (const r of rows) {
      const k = [r.granularity, r.bucketStart.toISOString(), r.tenantId, r.apiKeyId, r.model, r.providerId].join('|');
      expect(rollupTotals(r), k).toEqual(expected.get(k));
    }
    const truth = totalsOf(events);
    const s = await usageSummary(prisma, { tenantId, from: new Date(Date.now() - 40 * 3_600_000), to: new Date(Date.now() + 3_600_000) });
    expect([s.requests, s.errors, s.cacheHits, s.promptTokens, s.completionTokens, scaled(s.costUsd)]).toEqual([
      truth.requests,
      truth.errors,
      truth.cacheHits,
      truth.promptTokens,
      truth.completionTokens,
      truth.cost,
    ]);
    w.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(0);
  }, 180_000);

  it('finishes the batch in progress on SIGTERM before exiting', async () => {
    const events = eventMix(200, { tenantId, apiKeyIds: [null], providerIds: ['prov-a'], models: ['m-1'], hours: 2 }, 99);
    const w = startWorker({ CONDUIT_TEST_INGEST_DELAY_MS: '1500', WORKER_CONCURRENCY: '1' });
    await w.waitForLine(/worker ready/);
    const [job] = await enqueue([events]);
    await w.waitForLine(new RegExp(`test hook.*${job!.id}|${job!.id}.*test hook`));
    w.child.kill('SIGTERM'); // while the transaction is open
    expect((await w.exited).code).toBe(0);
    expect(await queue.getJobState(job!.id!)).toBe('completed');
    expect(await prisma.requestLog.count({ where: { requestId: { in: events.map((e) => e.requestId) } } })).toBe(200);
    await expectRollupsMatchLogs();
  }, 60_000);
});
