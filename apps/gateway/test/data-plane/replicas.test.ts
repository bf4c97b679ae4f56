/**
 * Limits and budgets hold across replicas: two real gateway processes (the built
 * dist, as deployed) share one Redis; concurrent load at one key through both.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CONFIG_CHANGES_CHANNEL } from '@conduit/contracts';
import { createPrismaClient, type PrismaClient } from '@conduit/db';
import { seed } from '@conduit/db/seed';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '@conduit/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENCRYPTION_KEYS } from '../support.js';
import { createKeyIn } from './helpers.js';

const MAIN = path.resolve(__dirname, '../../dist/main.js');
let db: TestDatabase;
let prisma: PrismaClient;
const gateways: { url: string; child: ChildProcess }[] = [];
let prefix: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error('apps/gateway/dist/main.js is missing: build first (npm test does)');
  db = await createTestDatabase('replicas');
  prisma = createPrismaClient({ url: db.url, max: 2 });
  await seed(prisma, { CONDUIT_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS, CONDUIT_ADMIN_PASSWORD: 'replica-admin-pass' });
  prefix = testRedisPrefix('replicas');
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: db.url,
        REDIS_PREFIX: prefix,
        CONDUIT_JWT_SECRET: 'replica-test-jwt-secret-0123456789abcdefgh',
        CONDUIT_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
        LOG_LEVEL: 'warn',
        USAGE_SPILL_DIR: path.join(os.tmpdir(), `conduit-replica-spill-${prefix}`),
      },
      stdio: 'ignore',
    });
    gateways.push({ url: `http://127.0.0.1:${port}`, child });
  }
  for (const g of gateways) {
    const end = Date.now() + 30_000;
    while (!(await fetch(`${g.url}/ready`).then((r) => r.ok, () => false))) {
      if (Date.now() > end || g.child.exitCode !== null) throw new Error(`gateway ${g.url} did not start`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}, 60_000);

afterAll(async () => {
  for (const g of gateways) g.child.kill('SIGTERM');
  await Promise.all(gateways.map((g) => (g.child.exitCode === null ? new Promise((r) => g.child.once('exit', r)) : undefined)));
  await prisma?.$disconnect();
  await db?.drop();
});

/** `n` concurrent chat requests, alternating between the two replicas. */
async function burst(secret: string, n: number, body: Record<string, unknown> = {}) {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      fetch(`${gateways[i % 2]!.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'demo-chat', max_tokens: 40, messages: [{ role: 'user', content: `request ${i} [[sim:latency=20]]` }], ...body }),
      }).then(async (r) => ({ status: r.status, cost: Number(r.headers.get('x-conduit-cost-usd') ?? 0), body: (await r.json()) as { error?: { code: string } } })),
    ),
  );
}

describe('limits across two gateway processes on one Redis', () => {
  it('never admits more requests than the per-minute limit', async () => {
    const tenant = await prisma.tenant.findUniqueOrThrow({ where: { slug: 'demo' } });
    const { secret, key } = await createKeyIn(prisma, tenant.id);
    await prisma.apiKey.update({ where: { id: key.id }, data: { limits: { rpm: 25 } } });
    const results = await burst(secret, 80);
    const admitted = results.filter((r) => r.status === 200).length;
    const limited = results.filter((r) => r.status === 429);
    expect(admitted).toBe(25);
    expect(limited).toHaveLength(55);
    expect(limited.every((r) => r.body.error?.code === 'requests_per_minute_exceeded')).toBe(true);
  });

  it('never lets spend pass the budget by more than one request’s reservation', async () => {
    const tenant = await prisma.tenant.findUniqueOrThrow({ where: { slug: 'demo' } });
    const { secret, key } = await createKeyIn(prisma, tenant.id);
    // demo-chat: $0.50 in / $1.50 out per million tokens; a request reserves up to ~$0.00007
    const budgetUsd = 0.0005;
    await prisma.quota.create({ data: { tenantId: tenant.id, scope: 'key', apiKeyId: key.id, metric: 'cost', period: 'day', limit: budgetUsd } });
    // as the admin API does: tell every replica
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await redis.publish(`${prefix}:${CONFIG_CHANGES_CHANNEL}`, JSON.stringify({ kind: 'quota', tenantId: tenant.id, keyId: key.id }));
    redis.disconnect();
    await new Promise((r) => setTimeout(r, 200));
    let spent = 0;
    let refused = 0;
    for (let wave = 0; wave < 4; wave++) {
      const results = await burst(secret, 30);
      spent += results.filter((r) => r.status === 200).reduce((s, r) => s + r.cost, 0);
      refused += results.filter((r) => r.status === 429 && r.body.error?.code === 'insufficient_quota').length;
    }
    const oneReservation = (12 * 0.5 + 40 * 1.5) / 1e6;
    expect(refused).toBeGreaterThan(0);
    expect(spent).toBeGreaterThan(budgetUsd / 2);
    expect(spent).toBeLessThanOrEqual(budgetUsd + oneReservation);
  });
});
