import { env, parseConfig } from '@conduit/contracts';
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: env.url('postgresql://postgres@127.0.0.1:5432/conduit', ['postgres', 'postgresql']),
  REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis', 'rediss']),
  REDIS_PREFIX: z.string().regex(/^[\w:.-]*$/, 'letters, digits and : . - _ only').default('conduit'),
  LOG_LEVEL: env.logLevel(),
  /** jobs processed at once per queue */
  WORKER_CONCURRENCY: env.int(4, 1),
  /** rows deleted per statement by the retention purge (keeps locks short) */
  RETENTION_BATCH_SIZE: env.int(5000, 1),
  /** how often the retention purge runs */
  RETENTION_EVERY_MS: env.int(60 * 60 * 1000, 1000),
  DB_POOL_SIZE: env.int(5, 1),
  SHUTDOWN_GRACE_MS: env.int(30_000, 0),
  /** how long a job's lock lasts without renewal: a worker killed mid-batch gives its batch back after this */
  WORKER_LOCK_DURATION_MS: env.int(30_000, 1000),
  /** how often each worker looks for stalled jobs (locks of dead workers) and puts them back in the queue */
  WORKER_STALLED_INTERVAL_MS: env.int(30_000, 500),
  /** how many times a batch may be recovered from a dead worker before it is failed (and kept as a dead letter) */
  WORKER_MAX_STALLED_COUNT: env.int(5, 0),
  /** how often Redis quota counters are reconciled with PostgreSQL and budget alerts checked (also once at start) */
  BUDGET_RECONCILE_EVERY_MS: env.int(60_000, 1000),
  /** how often rollup compaction runs */
  ROLLUP_COMPACTION_EVERY_MS: env.int(6 * 60 * 60 * 1000, 1000),
  /** hourly rollups older than this many days are deleted by compaction (daily rollups are kept); 0 keeps them all */
  ROLLUP_HOURLY_RETENTION_DAYS: env.int(400, 0),
  /**
   * TEST-ONLY: milliseconds the worker waits inside each usage-ingest transaction
   * before committing, so a test can kill it while a batch is half done. Leave 0.
   */
  CONDUIT_TEST_INGEST_DELAY_MS: env.int(0, 0),
});

export type WorkerConfig = z.output<typeof schema>;
export const loadConfig = (environment: NodeJS.ProcessEnv = process.env): WorkerConfig => parseConfig('worker', schema, environment);
