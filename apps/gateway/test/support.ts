import { createPrismaClient, type PrismaClient } from '@conduit/db';
import { seed, type SeedResult } from '@conduit/db/seed';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '@conduit/db/testing';
import pino from 'pino';
import { createGateway } from '../src/bootstrap.js';
import { type GatewayConfig, loadConfig } from '../src/config.js';
import { DataPlane } from '../src/data-plane/data-plane.service.js';

export const TEST_ENCRYPTION_KEYS = 'k1:' + Buffer.alloc(32, 9).toString('base64');
export const ADMIN = { email: 'admin@test.local', password: 'admin-password-123' };
export const DEMO_KEY = 'cdt_test_demo_key_0123456789abcdef';

export interface TestGateway {
  url: string;
  /** OpenAI-compatible base URL */
  v1: string;
  config: GatewayConfig;
  db: TestDatabase;
  prisma: PrismaClient;
  seeded: SeedResult;
  /** the running data plane, for tests that drive its internals (health probes, breakers) */
  dataPlane(): DataPlane;
  close(): Promise<void>;
}

/** Starts the real gateway (createGateway, as main.ts does) on its own database and Redis prefix. */
export async function startTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const db = await createTestDatabase('gateway');
  const prisma = createPrismaClient({ url: db.url, max: 2 });
  const seeded = await seed(prisma, {
    CONDUIT_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
    CONDUIT_ADMIN_EMAIL: ADMIN.email,
    CONDUIT_ADMIN_PASSWORD: ADMIN.password,
    CONDUIT_DEMO_API_KEY: DEMO_KEY,
  });
  // DB_VIA_PROXY_PORT (tests only): the gateway reaches the database through a proxy the test controls.
  const { DB_VIA_PROXY_PORT, ...rest } = env;
  const gatewayDbUrl = DB_VIA_PROXY_PORT ? Object.assign(new URL(db.url), { host: `127.0.0.1:${DB_VIA_PROXY_PORT}` }).toString() : db.url;
  const config = loadConfig({
    DATABASE_URL: gatewayDbUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: testRedisPrefix('gw'),
    CONDUIT_JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    CONDUIT_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
    LOG_LEVEL: 'silent',
    DB_POOL_SIZE: '3',
    ...rest,
  });
  const { app } = await createGateway(config, pino({ level: 'silent' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    v1: `http://127.0.0.1:${address.port}/v1`,
    config,
    db,
    prisma,
    seeded,
    dataPlane: () => app.get(DataPlane),
    async close() {
      await app.close();
      await prisma.$disconnect();
      await db.drop();
    },
  };
}

export async function json(res: Response): Promise<any> {
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
