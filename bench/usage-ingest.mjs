#!/usr/bin/env node
// Usage-ingest throughput: how many usage events per second ONE worker process
// turns into request logs + hourly/daily rollups.
//
//   node bench/usage-ingest.mjs [--events 100000] [--batch 200] [--concurrency 4] [--no-build]
//
// Builds the worker (turbo, cached), creates a throwaway database (a copy of the
// migrated template) and a Redis prefix of its own, enqueues the events in
// batches the way the gateway does (job id = batch id), then starts one worker
// process (`node apps/worker/dist/main.js`) and measures from the first batch it
// starts to the last one it finishes (BullMQ's processedOn / finishedOn). Checks
// that the database holds exactly the events sent, prints events/s, and cleans up.
// Needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL, as for npm test).
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPrismaClient } from '@conduit/db';
import { createTestDatabase, testRedisPrefix } from '@conduit/db/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '4' },
    'no-build': { type: 'boolean', default: false },
  },
});
const N = Number(args.events);
const BATCH = Number(args.batch);
const CONCURRENCY = Number(args.concurrency);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

if (!args['no-build']) {
  console.log('building the worker (turbo run build --filter=@conduit/worker...)');
  const r = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@conduit/worker...', '--output-logs=errors-only'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const db = await createTestDatabase('bench');
const prefix = testRedisPrefix('bench');
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const prisma = createPrismaClient({ url: db.url, max: 2 });
let worker;
try {
  // 5 tenants × 4 keys, 3 models, 3 providers, spread over the last 48 hours
  const tenants = [];
  for (let t = 0; t < 5; t++) {
    const tenant = await prisma.tenant.create({ data: { slug: `bench-${t}`, name: `Bench ${t}` } });
    const keys = [];
    for (let k = 0; k < 4; k++) keys.push((await prisma.apiKey.create({ data: { tenantId: tenant.id, name: `k${k}`, keyHash: randomUUID(), prefix: 'cdt_bench' } })).id);
    tenants.push({ id: tenant.id, keys });
  }
  const models = ['gpt-4o-mini', 'claude-haiku', 'gemini-flash'];
  const providers = ['prov-openai', 'prov-anthropic', 'prov-gemini'];
  const now = Date.now();
  const event = (i) => {
    const t = tenants[i % tenants.length];
    const kind = i % 10;
    const error = kind === 9;
    return {
      requestId: `bench-${i}-${randomUUID()}`,
      tenantId: t.id,
      apiKeyId: t.keys[(i >> 3) % t.keys.length],
      endpoint: '/v1/chat/completions',
      model: models[i % models.length],
      providerId: providers[(i >> 2) % providers.length],
      deploymentId: null,
      status: error ? 'error' : 'success',
      httpStatus: error ? 429 : 200,
      errorCategory: error ? 'rate_limit' : null,
      errorCode: error ? 'rate_limit_exceeded' : null,
      promptTokens: 100 + (i % 900),
      completionTokens: error ? 0 : 20 + (i % 300),
      cachedTokens: kind === 8 ? 100 : 0,
      costUsd: error || kind === 8 ? '0' : `0.${String(1000 + (i % 90000)).padStart(10, '0')}`,
      latencyMs: 20 + ((i * 37) % 3000),
      ttftMs: kind < 4 ? 10 + (i % 400) : null,
      attempts: 1,
      cacheHit: kind === 8,
      stream: kind < 4,
      createdAt: new Date(now - ((i * 7919) % (48 * 3_600_000))).toISOString(),
      metadata: {},
    };
  };

  const queue = new Queue('usage-events', { connection: redis, prefix: `${prefix}:bull` });
  const jobs = [];
  console.log(`enqueuing ${N} events in batches of ${BATCH}`);
  for (let i = 0; i < N; i += BATCH * 50) {
    const chunk = [];
    for (let b = i; b < Math.min(N, i + BATCH * 50); b += BATCH) {
      const events = [];
      for (let j = b; j < Math.min(N, b + BATCH); j++) events.push(event(j));
      chunk.push({ name: 'batch', data: { events }, opts: { jobId: `batch-${randomUUID()}`, attempts: 8, backoff: { type: 'exponential', delay: 1000 }, removeOnFail: false } });
    }
    jobs.push(...(await queue.addBulk(chunk)));
  }

  console.log(`starting one worker process (concurrency ${CONCURRENCY})`);
  worker = spawn(process.execPath, [path.join(ROOT, 'apps/worker/dist/main.js')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.url, REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn', WORKER_CONCURRENCY: String(CONCURRENCY), DB_POOL_SIZE: String(CONCURRENCY + 1) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => worker.on('exit', resolve));

  for (;;) {
    const c = await queue.getJobCounts('completed', 'failed');
    if (c.failed) throw new Error(`${c.failed} batch(es) failed`);
    if (c.completed === jobs.length) break;
    if (worker.exitCode !== null) throw new Error(`the worker exited with code ${worker.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  let first = Infinity;
  let last = 0;
  for (let i = 0; i < jobs.length; i += 500) {
    const done = await Promise.all(jobs.slice(i, i + 500).map((j) => queue.getJob(j.id)));
    for (const j of done) {
      first = Math.min(first, j.processedOn);
      last = Math.max(last, j.finishedOn);
    }
  }
  const seconds = (last - first) / 1000;

  const logs = await prisma.requestLog.count();
  const [{ requests }] = await prisma.$queryRaw`SELECT coalesce(sum(requests), 0)::int AS requests FROM "UsageRollup" WHERE granularity = 'hour'`;
  if (logs !== N || requests !== N) throw new Error(`expected ${N} request logs and rollup requests, got ${logs} and ${requests}`);

  console.log(`\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  console.log(`ingested ${N} events (${jobs.length} batches of ${BATCH}) in ${seconds.toFixed(2)} s with one worker process`);
  console.log(`usage ingest: ${Math.round(N / seconds)} events/s`);
  worker.kill('SIGTERM');
  await exited;
  await queue.close();
} finally {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  // remove this run's Redis keys
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
  await prisma.$disconnect();
  await db.drop();
}
