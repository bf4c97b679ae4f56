import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type UsageEvent, usageEventsQueue } from '@conduit/contracts';
import { testRedisPrefix } from '@conduit/db/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageEmitter } from '../../src/data-plane/usage-emitter.js';
import { startTcpProxy } from '../tcp-proxy.js';
import { until } from './helpers.js';

const REDIS = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!().catch(() => undefined);
});

const event = (i: number): UsageEvent => ({
  requestId: `req-${i}`,
  tenantId: 't',
  apiKeyId: null,
  endpoint: '/v1/chat/completions',
  model: 'm',
  providerId: null,
  deploymentId: null,
  status: 'success',
  httpStatus: 200,
  errorCategory: null,
  errorCode: null,
  promptTokens: 1,
  completionTokens: 1,
  costUsd: '0',
  latencyMs: 1,
  ttftMs: null,
  attempts: 1,
  cacheHit: false,
  stream: false,
  createdAt: new Date().toISOString(),
});

/** A producer reaching Redis through a proxy the test can cut, and a reader of what arrived. */
async function setup(opts: { maxBuffered?: number } = {}) {
  const proxy = await startTcpProxy(REDIS.hostname, Number(REDIS.port || 6379));
  const prefix = testRedisPrefix('usage');
  // the same connection settings as the gateway's producer
  const conn = new Redis({ host: '127.0.0.1', port: proxy.port, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 500, retryStrategy: () => 100 });
  conn.on('error', () => undefined);
  const producer = new Queue(usageEventsQueue.name, { connection: conn, prefix });
  producer.on('error', () => undefined);
  const readerConn = new Redis(REDIS.toString(), { maxRetriesPerRequest: null });
  const reader = new Queue(usageEventsQueue.name, { connection: readerConn, prefix });
  const spillDir = mkdtempSync(path.join(os.tmpdir(), 'conduit-spill-'));
  const make = () =>
    new UsageEmitter(producer, { maxBatch: 10, flushEveryMs: 5, maxBuffered: opts.maxBuffered ?? 10_000, spillDir, onError: () => undefined });
  cleanup.push(async () => {
    await producer.close();
    conn.disconnect();
    await reader.obliterate({ force: true });
    await reader.close();
    readerConn.disconnect();
    await proxy.close();
  });
  const received = async () => {
    const jobs = await reader.getJobs(['waiting']);
    return jobs.flatMap((j) => (j.data as { events: UsageEvent[] }).events.map((e) => e.requestId));
  };
  await until(async () => conn.status === 'ready', 3_000, 'producer connected');
  return { proxy, make, received, spillDir };
}

describe('usage emitter', () => {
  it('batches events into BullMQ jobs', async () => {
    const { make, received } = await setup();
    const emitter = make();
    cleanup.push(() => emitter.close());
    for (let i = 0; i < 25; i++) emitter.emit(event(i));
    const ids = await until(async () => {
      const r = await received();
      return r.length === 25 && r;
    });
    expect(new Set(ids).size).toBe(25);
  });

  it('buffers while Redis is away and delivers every event exactly once when it is back', async () => {
    const { proxy, make, received } = await setup();
    const emitter = make();
    cleanup.push(() => emitter.close());
    proxy.cut();
    for (let i = 0; i < 40; i++) emitter.emit(event(i));
    await new Promise((r) => setTimeout(r, 300));
    expect(await received()).toHaveLength(0);
    proxy.restore();
    const ids = await until(async () => {
      const r = await received();
      return r.length >= 40 && r;
    }, 10_000, 'events delivered after reconnect');
    await new Promise((r) => setTimeout(r, 200));
    expect((await received()).length).toBe(40);
    expect(new Set(ids).size).toBe(40);
  });

  it('spills to disk past its memory bound and at shutdown, and replays the files later', async () => {
    const { proxy, make, received, spillDir } = await setup({ maxBuffered: 15 });
    const first = make();
    proxy.cut();
    for (let i = 0; i < 30; i++) first.emit(event(i));
    await until(async () => readdirSync(spillDir).length > 0, 5_000, 'spill file');
    await first.close(); // Redis still away: the rest is spilled too
    expect(await received()).toHaveLength(0);

    proxy.restore();
    const second = make(); // e.g. the gateway restarted: it replays what is on disk
    cleanup.push(() => second.close());
    const ids = await until(async () => {
      const r = await received();
      return r.length >= 30 && r;
    }, 10_000, 'spilled events replayed');
    expect(new Set(ids).size).toBe(30);
    // a replayed file is deleted once all its batches are in the queue: just after the last one lands
    await until(async () => readdirSync(spillDir).length === 0, 5_000, 'replayed files deleted');
  });
});
