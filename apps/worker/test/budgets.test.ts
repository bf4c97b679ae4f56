import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maintenanceQueue, nanoToUsd, quotaCounterKey, type UsageEvent, usageEventsQueue, usdToNano } from '@conduit/contracts';
import { createPrismaClient, type PrismaClient } from '@conduit/db';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '@conduit/db/testing';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileBudgets } from '../src/budgets/budget-reconcile.js';
import { loadConfig } from '../src/config.js';
import { type ConduitWorker, startWorker } from '../src/worker.js';
import { eventMix, scaled, until } from './usage-fixtures.js';

let db: TestDatabase;
let prisma: PrismaClient;
let redis: Redis;
let worker: ConduitWorker;
let webhook: Server;
let webhookUrl: string;
const received: Record<string, unknown>[] = [];
const prefix = testRedisPrefix('worker_budgets');
let tenantId: string;
let keyId: string;
const quota: Record<'cost' | 'tokens' | 'requests' | 'disabled', string> = { cost: '', tokens: '', requests: '', disabled: '' };
let events: UsageEvent[];

beforeAll(async () => {
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;

  db = await createTestDatabase('worker_budgets');
  prisma = createPrismaClient({ url: db.url, max: 2 });
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  tenantId = (await prisma.tenant.create({ data: { slug: 'spender', name: 'Spender' } })).id;
  keyId = (await prisma.apiKey.create({ data: { tenantId, name: 'k', keyHash: randomUUID(), prefix: 'cdt_x' } })).id;
  // events of this hour (so inside today's, this week's and this month's periods), one key and keyless
  events = eventMix(300, { tenantId, apiKeyIds: [keyId, null], providerIds: ['p'], models: ['m'], hours: 0.001 }, 5);
  const cost = events.reduce((n, e) => n + usdToNano(e.costUsd), 0);
  const keyTokens = events.filter((e) => e.apiKeyId === keyId).reduce((n, e) => n + e.promptTokens + e.completionTokens, 0);
  const mk = (data: object) => prisma.quota.create({ data: { tenantId, ...data } as never }).then((q) => q.id);
  // tenant budget: spent ~ 120% of the limit → both thresholds
  quota.cost = await mk({ scope: 'tenant', metric: 'cost', period: 'month', limit: nanoToUsd(Math.floor(cost / 1.2)), alertThresholds: [50, 100], webhookUrl });
  // key token quota: ~ 60% → only the 50% alert, no webhook
  quota.tokens = await mk({ scope: 'key', apiKeyId: keyId, metric: 'tokens', period: 'day', limit: Math.ceil(keyTokens / 0.6), alertThresholds: [50, 90] });
  quota.requests = await mk({ scope: 'tenant', metric: 'requests', period: 'week', limit: 1_000_000 });
  quota.disabled = await mk({ scope: 'tenant', metric: 'requests', period: 'day', limit: 1, enabled: false });

  worker = await startWorker(
    loadConfig({ DATABASE_URL: db.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', BUDGET_RECONCILE_EVERY_MS: '3600000' }),
    pino({ level: 'silent' }),
  );
  const job = await worker.queues[usageEventsQueue.name].add('batch', { events });
  await until(async () => (await job.getState()) === 'completed');
});
afterAll(async () => {
  await worker?.close();
  redis?.disconnect();
  await prisma?.$disconnect();
  await db?.drop();
  await new Promise((r) => webhook?.close(r));
});

const counter = (id: string, period: 'day' | 'week' | 'month') => redis.get(quotaCounterKey(prefix, id, period)).then((v) => (v === null ? null : Number(v)));
const reconcile = () => reconcileBudgets({ prisma, redis, alerts: worker.queues.alerts, redisPrefix: prefix, logger: pino({ level: 'silent' }) });

describe('budget reconciliation', () => {
  it('rebuilds the Redis counters from PostgreSQL, in each quota metric, for the quota scope', async () => {
    await reconcile();
    // the exact spend, truncated to whole nano-USD once (not per request)
    expect(await counter(quota.cost, 'month')).toBe(Number(events.reduce((n, e) => n + scaled(e.costUsd), 0n) / 10n));
    expect(await counter(quota.tokens, 'day')).toBe(
      events.filter((e) => e.apiKeyId === keyId).reduce((n, e) => n + e.promptTokens + e.completionTokens, 0),
    );
    expect(await counter(quota.requests, 'week')).toBe(events.length);
    expect(await counter(quota.disabled, 'day')).toBeNull();
    const ttl = await redis.pttl(quotaCounterKey(prefix, quota.requests, 'week'));
    expect(ttl).toBeGreaterThan(86_400_000); // expires a day after the period ends, not before
  });

  it('rebuilds counters when the worker starts', async () => {
    await redis.del(quotaCounterKey(prefix, quota.requests, 'week'));
    const second = await startWorker(
      loadConfig({ DATABASE_URL: db.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', BUDGET_RECONCILE_EVERY_MS: '3600000' }),
      pino({ level: 'silent' }),
    );
    try {
      await until(async () => (await counter(quota.requests, 'week')) === events.length, 15_000, 'counter rebuilt at start');
    } finally {
      await second.close();
    }
  });

  it('raises a counter that fell behind, and never lowers one that is ahead (usage still in the queue)', async () => {
    const key = quotaCounterKey(prefix, quota.requests, 'week');
    await redis.set(key, 3);
    let r = await reconcile();
    expect(r.corrected).toBe(1);
    expect(await counter(quota.requests, 'week')).toBe(events.length);
    await redis.set(key, events.length + 7);
    r = await reconcile();
    expect(r.corrected).toBe(0);
    expect(await counter(quota.requests, 'week')).toBe(events.length + 7);
  });

  it('raises each threshold alert once per period and delivers it to the webhook once', async () => {
    await reconcile();
    await reconcile();
    const alerts = await prisma.budgetAlert.findMany({ orderBy: [{ quotaId: 'asc' }, { threshold: 'asc' }] });
    expect(alerts.map((a) => [a.quotaId, a.threshold]).sort()).toEqual([[quota.cost, 100], [quota.cost, 50], [quota.tokens, 50]].sort());
    await until(async () => received.length === 2 && (await prisma.budgetAlert.count({ where: { quotaId: quota.cost, deliveredAt: { not: null } } })) === 2);
    expect(received.map((p) => p.threshold).sort()).toEqual([100, 50]);
    expect(received[0]).toMatchObject({ type: 'budget.threshold_crossed', quotaId: quota.cost, tenantId, metric: 'cost', period: 'month' });
    await reconcile();
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(2);
  });

  it('schedules reconciliation, compaction and retention once, however many workers start', async () => {
    const second = await startWorker(loadConfig({ DATABASE_URL: db.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' }), pino({ level: 'silent' }));
    try {
      const schedulers = await worker.queues[maintenanceQueue.name].getJobSchedulers();
      expect(schedulers.map((s) => s.key ?? s.id).sort()).toEqual(['budget-reconcile', 'retention', 'rollup-compaction']);
    } finally {
      await second.close();
    }
  });
});
