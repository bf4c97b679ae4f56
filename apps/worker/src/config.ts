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
});

export type WorkerConfig = z.output<typeof schema>;
export const loadConfig = (environment: NodeJS.ProcessEnv = process.env): WorkerConfig => parseConfig('worker', schema, environment);
