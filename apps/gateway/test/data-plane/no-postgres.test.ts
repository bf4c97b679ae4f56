import { baseDatabaseUrl } from '@conduit/db/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support.js';
import { startTcpProxy } from '../tcp-proxy.js';
import { DEMO } from './helpers.js';

let gw: TestGateway;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;

beforeAll(async () => {
  // The gateway reaches its database only through the proxy.
  const pg = new URL(baseDatabaseUrl());
  proxy = await startTcpProxy(pg.hostname, Number(pg.port || 5432));
  gw = await startTestGateway({ DB_VIA_PROXY_PORT: String(proxy.port) });
});
afterAll(async () => {
  await gw?.close();
  await proxy?.close();
});

describe('hot path without PostgreSQL', () => {
  it('keeps answering an already-configured key when the database goes away', async () => {
    const client = new OpenAI({ baseURL: gw.v1, apiKey: DEMO, maxRetries: 0 });
    const first = await client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'before' }] });
    expect(first.choices[0]!.message.content).toBeTruthy();

    proxy.cut();
    const ready = await fetch(`${gw.url}/ready`);
    expect(ready.status).toBe(503); // the database really is gone

    for (let i = 0; i < 5; i++) {
      const res = await client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: `during ${i}` }] });
      expect(res.choices[0]!.message.content).toBeTruthy();
    }
    const stream = await client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'stream too' }], stream: true });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);

    // a key never seen before cannot be verified: a clear 503, not a hang or a 500
    await expect(new OpenAI({ baseURL: gw.v1, apiKey: 'cdt_never_seen_before_key_0000000', maxRetries: 0 }).models.list()).rejects.toMatchObject({
      status: 503,
      code: 'service_unavailable',
    });
  });
});
