/**
 * The usage pipeline end to end: requests through the real gateway (successes,
 * upstream errors, streams, aborted streams), the real worker ingesting the
 * gateway's usage events (plus replayed duplicates), and the analytics summary
 * equal to the ground truth the clients observed.
 */
import { usageEventsQueue, type UsageEvent } from '@conduit/contracts';
import { usageSummary } from '@conduit/db';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig as loadWorkerConfig } from '../../worker/src/config.js';
import { type ConduitWorker, startWorker } from '../../worker/src/worker.js';
import { DEMO, until } from './data-plane/helpers.js';
import { startTestGateway, type TestGateway } from './support.js';

let gw: TestGateway;
let worker: ConduitWorker;

beforeAll(async () => {
  gw = await startTestGateway({ USAGE_FLUSH_MS: '5' });
  // the worker shares the gateway's database and Redis prefix, as in production
  worker = await startWorker(
    loadWorkerConfig({ DATABASE_URL: gw.db.url, REDIS_URL: gw.config.REDIS_URL, REDIS_PREFIX: gw.config.REDIS_PREFIX, LOG_LEVEL: 'silent' }),
    pino({ level: 'silent' }),
  );
});
afterAll(async () => {
  await worker?.close();
  await gw?.close();
});

describe('usage pipeline: gateway → queue → worker → rollups', () => {
  it('rollups and the summary equal what the clients saw, replays counted once', async () => {
    const client = new OpenAI({ baseURL: gw.v1, apiKey: DEMO, maxRetries: 0 });
    const truth = { requests: 0, errors: 0, prompt: 0, completion: 0, cost: 0 };

    for (let i = 0; i < 6; i++) {
      const { data, response } = await client.chat.completions.create({ model: i % 2 ? 'demo-chat' : 'demo-chat-mini', messages: [{ role: 'user', content: `question ${i}` }] }).withResponse();
      truth.requests++;
      truth.prompt += data.usage!.prompt_tokens;
      truth.completion += data.usage!.completion_tokens;
      truth.cost += Number(response.headers.get('x-conduit-cost-usd'));
    }
    for (let i = 0; i < 3; i++) {
      const stream = await client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: `stream ${i}` }], stream: true, stream_options: { include_usage: true } });
      for await (const c of stream) {
        if (c.usage) {
          truth.prompt += c.usage.prompt_tokens;
          truth.completion += c.usage.completion_tokens;
        }
      }
      truth.requests++;
    }
    const emb = await client.embeddings.create({ model: 'demo-embedding', input: ['a b c', 'd e'] });
    truth.requests++;
    truth.prompt += emb.usage.prompt_tokens;
    for (let i = 0; i < 2; i++) {
      await client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: '[[sim:error=bad_request]]' }] }).catch(() => undefined);
      truth.requests++;
      truth.errors++;
    }
    // an aborted stream
    const ac = new AbortController();
    const res = await fetch(`${gw.v1}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'demo-chat', stream: true, messages: [{ role: 'user', content: 'a long story [[sim:tps=20]]' }] }),
      signal: ac.signal,
    });
    await res.body!.getReader().read();
    ac.abort();
    truth.requests++;

    // wait until the worker has written every request
    await until(async () => (await gw.prisma.requestLog.count()) === truth.requests, 10_000, 'all requests logged');

    // replay every batch the gateway sent: nothing may count twice
    const connection = new Redis(gw.config.REDIS_URL, { maxRetriesPerRequest: null });
    const q = new Queue(usageEventsQueue.name, { connection, prefix: `${gw.config.REDIS_PREFIX}:bull` });
    const sent = (await q.getJobs(['completed'])).flatMap((j) => (j.data as { events: UsageEvent[] }).events);
    expect(sent).toHaveLength(truth.requests);
    for (let i = 0; i < sent.length; i += 4) await q.add('replay', { events: sent.slice(i, i + 4) });
    await until(async () => (await q.getJobCounts('waiting', 'active')).waiting === 0 && (await q.getJobCounts('active')).active === 0, 10_000, 'replays processed');
    await q.close();
    connection.disconnect();

    const hour = 3_600_000;
    const from = new Date(Math.floor(Date.now() / hour) * hour - hour); // rollup buckets are whole hours
    const s = await usageSummary(gw.prisma, { tenantId: gw.seeded.tenant.id, from, to: new Date(from.getTime() + 3 * hour) });
    expect(s.requests).toBe(truth.requests);
    expect(s.errors).toBe(truth.errors);
    expect(s.errorsByCategory).toEqual({ bad_request: 2 });
    // the aborted stream's tokens are counted by the gateway from what was streamed, so compare
    // the totals the clients saw plus whatever the aborted request recorded
    const aborted = await gw.prisma.requestLog.findFirstOrThrow({ where: { status: 'aborted' } });
    expect(s.promptTokens).toBe(truth.prompt + aborted.promptTokens);
    expect(s.completionTokens).toBe(truth.completion + aborted.completionTokens);
    const loggedCost = (await gw.prisma.requestLog.findMany()).reduce((sum, r) => sum + Number(r.costUsd), 0);
    expect(Number(s.costUsd)).toBeCloseTo(loggedCost, 9);
    expect(Number(s.costUsd)).toBeGreaterThanOrEqual(truth.cost);
    expect(await gw.prisma.requestLog.count()).toBe(truth.requests);
  });
});
