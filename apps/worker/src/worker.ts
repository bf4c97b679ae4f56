import { alertsQueue, maintenanceQueue, QUEUES, type QueueName, usageEventsQueue } from '@conduit/contracts';
import { createPrismaClient, type PrismaClient } from '@conduit/db';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config.js';
import { deliverAlert } from './processors/alerts.processor.js';
import { purgeExpiredLogs } from './processors/retention.js';
import { processUsageEvents } from './processors/usage-events.processor.js';

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

  const processors: Record<QueueName, Processor> = {
    [usageEventsQueue.name]: async (job) => {
      const r = await processUsageEvents(prisma, job.data);
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
      throw new Error(`maintenance task "${task}" is not handled by this worker version`);
    },
    [alertsQueue.name]: (job) => deliverAlert(prisma, job.data),
  };

  const queues = {} as Record<QueueName, Queue>;
  const workers: Worker[] = [];
  for (const name of Object.keys(QUEUES) as QueueName[]) {
    queues[name] = new Queue(name, {
      connection,
      prefix,
      defaultJobOptions: {
        attempts: 8,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { count: 1000 },
        // failed jobs stay visible (dead letters) for inspection and retry
        removeOnFail: false,
      },
    });
    const worker = new Worker(name, processors[name], { connection, prefix, concurrency: config.WORKER_CONCURRENCY });
    worker.on('failed', (job, err) =>
      logger.error({ queue: name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'job failed'),
    );
    worker.on('error', (err) => logger.error({ queue: name, err: err.message }, 'worker error'));
    workers.push(worker);
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  await queues[maintenanceQueue.name].upsertJobScheduler(
    'retention',
    { every: config.RETENTION_EVERY_MS },
    { name: 'retention', data: { task: 'retention' } },
  );
  logger.info({ queues: Object.keys(QUEUES), prefix }, 'worker ready');

  return {
    prisma,
    queues,
    async close() {
      // Worker.close waits for the jobs in progress to finish.
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      connection.disconnect();
      await prisma.$disconnect();
    },
  };
}
