import { alertsQueue, maintenanceQueue, QUEUES, type QueueName, USAGE_EVENTS_JOB_OPTIONS, usageEventsQueue } from '@conduit/contracts';
import { createPrismaClient, type PrismaClient } from '@conduit/db';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config.js';
import { reconcileBudgets } from './budgets/budget-reconcile.js';
import { deliverAlert } from './processors/alerts.processor.js';
import { purgeExpiredLogs } from './processors/retention.js';
import { compactRollups } from './processors/rollup-compaction.js';
import { BodyLoggingPolicy, processUsageEvents } from './processors/usage-events.processor.js';

type Processor = (job: Job) => Promise<unknown>;

export interface ConduitWorker {
  readonly prisma: PrismaClient;
  readonly queues: Record<QueueName, Queue>;
  close(): Promise<void>;
}

/**
 * Connects to Redis and PostgreSQL, registers a BullMQ worker for every queue in
 * @conduit/contracts and schedules the repeatable maintenance jobs (scheduled by
 * id, so several workers still run each once).
 */
export async function startWorker(config: WorkerConfig, logger: Logger): Promise<ConduitWorker> {
  const prisma = createPrismaClient({ url: config.DATABASE_URL, max: config.DB_POOL_SIZE });
  // BullMQ workers block on Redis: they need maxRetriesPerRequest null.
  const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  connection.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const prefix = config.REDIS_PREFIX ? `${config.REDIS_PREFIX}:bull` : 'bull';

  // commands (budget counters) on a connection of their own, apart from BullMQ's
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const bodies = new BodyLoggingPolicy(prisma);
  const testDelay = config.CONDUIT_TEST_INGEST_DELAY_MS;
  if (testDelay > 0) logger.warn({ ms: testDelay }, 'CONDUIT_TEST_INGEST_DELAY_MS is set: every ingest transaction is held open (tests only)');

  const processors: Record<QueueName, Processor> = {
    [usageEventsQueue.name]: async (job) => {
      const r = await processUsageEvents(prisma, job.data, {
        bodies,
        beforeCommit:
          testDelay > 0
            ? async () => {
                logger.info({ jobId: job.id }, 'test hook: ingest transaction open, waiting before commit');
                await new Promise((resolve) => setTimeout(resolve, testDelay));
              }
            : undefined,
        transactionTimeoutMs: Math.max(120_000, testDelay * 2),
      });
      if (r.orphaned) logger.warn({ jobId: job.id, orphaned: r.orphaned }, 'usage events of tenants that no longer exist were skipped');
      logger.debug({ jobId: job.id, ...r }, 'usage events ingested');
      return r;
    },
    [maintenanceQueue.name]: async (job) => {
      const { task } = maintenanceQueue.parse(job.data);
      if (task === 'retention') {
        const deleted = await purgeExpiredLogs(prisma, config.RETENTION_BATCH_SIZE);
        logger.info({ deleted }, 'retention purge done');
        return { deleted };
      }
      if (task === 'rollup-compaction') {
        const deleted = await compactRollups(prisma, config.ROLLUP_HOURLY_RETENTION_DAYS, config.RETENTION_BATCH_SIZE);
        logger.info({ deleted }, 'rollup compaction done');
        return { deleted };
      }
      const r = await reconcileBudgets({ prisma, redis, alerts: queues[alertsQueue.name], redisPrefix: config.REDIS_PREFIX, logger });
      logger.info(r, 'budget reconciliation done');
      return r;
    },
    [alertsQueue.name]: (job) => deliverAlert(prisma, job.data),
  };

  const queues = {} as Record<QueueName, Queue>;
  const workers: Worker[] = [];
  for (const name of Object.keys(QUEUES) as QueueName[]) {
    queues[name] = new Queue(name, {
      connection,
      prefix,
      // retried with backoff; failed jobs stay visible (dead letters) for inspection and retry
      defaultJobOptions: USAGE_EVENTS_JOB_OPTIONS,
    });
    const worker = new Worker(name, processors[name], {
      connection,
      prefix,
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: config.WORKER_LOCK_DURATION_MS,
      stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
      maxStalledCount: config.WORKER_MAX_STALLED_COUNT,
    });
    worker.on('failed', (job, err) =>
      logger.error({ queue: name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'job failed'),
    );
    worker.on('error', (err) => logger.error({ queue: name, err: err.message }, 'worker error'));
    workers.push(worker);
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  // Repeatable jobs are schedulers with fixed ids: however many workers upsert them,
  // each produces one job per interval, which exactly one worker takes.
  const maintenance = queues[maintenanceQueue.name];
  const schedules = [
    ['retention', config.RETENTION_EVERY_MS],
    ['budget-reconcile', config.BUDGET_RECONCILE_EVERY_MS],
    ['rollup-compaction', config.ROLLUP_COMPACTION_EVERY_MS],
  ] as const;
  for (const [task, every] of schedules) {
    await maintenance.upsertJobScheduler(task, { every }, { name: task, data: { task } });
  }
  // Rebuild the Redis quota counters from PostgreSQL now rather than at the next tick.
  await maintenance.add('budget-reconcile', { task: 'budget-reconcile' });
  logger.info({ queues: Object.keys(QUEUES), prefix }, 'worker ready');

  return {
    prisma,
    queues,
    async close() {
      // Worker.close waits for the jobs in progress to finish.
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      connection.disconnect();
      redis.disconnect();
      await prisma.$disconnect();
    },
  };
}
