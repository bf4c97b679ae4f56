import net from 'node:net';
import { baseDatabaseUrl } from '@conduit/db/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support.js';
import { DEMO } from './helpers.js';

/** A TCP proxy in front of PostgreSQL that the test can cut, to take the database away from the gateway. */
async function startPgProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let open = true;
  const server = net.createServer((client) => {
    if (!open) return client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let gw: TestGateway;
let proxy: Awaited<ReturnType<typeof startPgProxy>>;

beforeAll(async () => {
  // The gateway reaches its database only through the proxy.
  proxy = await startPgProxy(new URL(baseDatabaseUrl()));
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
