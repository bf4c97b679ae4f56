import { env, parseConfig } from '@conduit/contracts';
import { z } from 'zod';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: env.port(8080),
  DATABASE_URL: env.url('postgresql://postgres@127.0.0.1:5432/conduit', ['postgres', 'postgresql']),
  REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis', 'rediss']),
  /** prefix of every Redis key and BullMQ queue this deployment owns */
  REDIS_PREFIX: z.string().regex(/^[\w:.-]*$/, 'letters, digits and : . - _ only').default('conduit'),
  LOG_LEVEL: env.logLevel(),
  CONDUIT_JWT_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 48`)'),
  CONDUIT_ENCRYPTION_KEYS: z.string().min(1, 'is required: "<keyId>:<base64 32-byte key>" (e.g. `k1:$(openssl rand -base64 32)`)'),
  ACCESS_TOKEN_TTL_SECONDS: env.int(900, 60),
  REFRESH_TOKEN_TTL_SECONDS: env.int(30 * 24 * 3600, 300),
  /** failed sign-ins before an account is locked, and for how long */
  LOGIN_MAX_FAILURES: env.int(10, 1),
  LOGIN_LOCK_SECONDS: env.int(15 * 60, 1),
  /** allow provider base URLs on loopback, link-local and private networks (SSRF guard off) */
  CONDUIT_ALLOW_PRIVATE_UPSTREAMS: env.bool(false),
  SHUTDOWN_GRACE_MS: env.int(10_000, 0),
  DB_POOL_SIZE: env.int(10, 1),
  /** usage events are sent to the worker in batches of at most this many… */
  USAGE_BATCH_SIZE: env.int(200, 1),
  /** …or after this many milliseconds */
  USAGE_FLUSH_MS: env.int(100, 1),
  /** events held in memory while Redis is away before they spill to disk */
  USAGE_MAX_BUFFERED: env.int(50_000, 1),
  /** where usage events wait on disk for Redis to come back */
  USAGE_SPILL_DIR: z.string().default('.conduit/usage-spill'),
  /** consecutive upstream failures that open a deployment's circuit */
  CIRCUIT_FAILURE_THRESHOLD: env.int(5, 1),
  /** how long an open circuit sends no traffic before one probe (doubles per failed probe, up to 2 min) */
  CIRCUIT_OPEN_MS: env.int(10_000, 1),
  /** limits over the whole gateway (all tenants); unset = none */
  GLOBAL_RPM: z.coerce.number().int().positive().optional(),
  GLOBAL_TPM: z.coerce.number().int().positive().optional(),
  GLOBAL_CONCURRENCY: z.coerce.number().int().positive().optional(),
  /** how long a reservation (in-flight slot, quota hold) lives if its request never settles (a crashed replica) */
  RESERVATION_TTL_MS: env.int(15 * 60_000, 1000),
  /** tokens reserved for the answer when a request sets no max_tokens and the model has no maxOutputTokens */
  DEFAULT_MAX_OUTPUT_TOKENS: env.int(4096, 1),
  /** answers larger than this are not cached */
  CACHE_MAX_ENTRY_BYTES: env.int(1024 * 1024, 1),
  /** how often deployments with health checks on are probed (0 = never) */
  HEALTH_CHECK_INTERVAL_MS: env.int(30_000, 0),
  /** when set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>` */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** port of the built-in simulator (demo provider); 0 = any free port */
  SIMULATOR_PORT: env.port(0),
});

export type GatewayConfig = z.output<typeof schema>;

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return parseConfig('gateway', schema, environment);
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
