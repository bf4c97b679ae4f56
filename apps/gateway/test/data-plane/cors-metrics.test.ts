import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support.js';
import { DEMO, publish, until } from './helpers.js';

let gw: TestGateway;
const APP = 'https://app.example.com';
beforeAll(async () => {
  gw = await startTestGateway();
  await gw.prisma.tenant.update({ where: { id: gw.seeded.tenant.id }, data: { settings: { corsOrigins: [APP] } } });
  await publish(gw, { kind: 'tenant', tenantId: gw.seeded.tenant.id });
});
afterAll(() => gw?.close());

const preflight = (origin: string) =>
  fetch(`${gw.v1}/chat/completions`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-stainless-os' },
  });

describe('CORS for browser apps', () => {
  it('answers the preflight for an allowed origin without authentication', async () => {
    const res = await until(async () => {
      const r = await preflight(APP);
      return r.headers.get('access-control-allow-origin') ? r : false;
    }, 2_000, 'origin allowed');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('x-stainless-os');
  });

  it('does not allow other origins', async () => {
    const res = await preflight('https://evil.example.net');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const call = await fetch(`${gw.v1}/models`, { headers: { authorization: `Bearer ${DEMO}`, origin: 'https://evil.example.net' } });
    expect(call.status).toBe(200);
    expect(call.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets the allowed origin read answers and their headers', async () => {
    const res = await fetch(`${gw.v1}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO}`, 'content-type': 'application/json', origin: APP },
      body: JSON.stringify({ model: 'demo-chat', messages: [{ role: 'user', content: 'hi from the browser' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });
});

describe('Prometheus metrics', () => {
  it('counts requests, tokens, cost and latency per model', async () => {
    const client = new OpenAI({ baseURL: gw.v1, apiKey: DEMO, maxRetries: 0 });
    await client.chat.completions.create({ model: 'demo-chat-mini', messages: [{ role: 'user', content: 'measure me' }] });
    const stream = await client.chat.completions.create({ model: 'demo-chat-mini', messages: [{ role: 'user', content: 'and me' }], stream: true });
    for await (const _ of stream);
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/conduit_requests_total\{endpoint="\/v1\/chat\/completions",model="demo-chat-mini",provider="simulator",status="success"\} 2/);
    expect(text).toMatch(/conduit_tokens_total\{model="demo-chat-mini",provider="simulator",kind="prompt"\} \d+/);
    expect(text).toMatch(/conduit_cost_usd_total\{model="demo-chat-mini",provider="simulator"\} [\d.e-]+/);
    expect(text).toMatch(/conduit_time_to_first_token_seconds_count\{model="demo-chat-mini"\} 1/);
    expect(text).toContain('conduit_request_duration_seconds_bucket');
  });
});
