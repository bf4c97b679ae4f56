import { startSimulator, type SimulatorHandle } from '@conduit/providers/simulators';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support.js';
import { addModel, DEMO, publish, until, usageEventsOf } from './helpers.js';

let gw: TestGateway;
let primary: SimulatorHandle;
let backup: SimulatorHandle;
let client: OpenAI;
const OPEN_MS = 400;

beforeAll(async () => {
  gw = await startTestGateway({ CIRCUIT_FAILURE_THRESHOLD: '3', CIRCUIT_OPEN_MS: String(OPEN_MS), USAGE_FLUSH_MS: '5' });
  primary = await startSimulator({ provider: 'openai' });
  backup = await startSimulator({ provider: 'openai' });
  client = new OpenAI({ baseURL: gw.v1, apiKey: DEMO, maxRetries: 0 });
  await addModel(gw, 'resilient', [primary, backup]);
  await addModel(gw, 'solo', [primary], { maxRetries: 2 });
  await addModel(gw, 'solo-once', [primary], { maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await primary?.close();
  await backup?.close();
});
beforeEach(() => {
  primary.reset();
  backup.reset();
});

const chat = (model: string, content = 'hello') => client.chat.completions.create({ model, messages: [{ role: 'user', content }] }).withResponse();

describe('fallback, retries and circuit breaking', () => {
  it('falls back to the next deployment when the first fails, and says so in headers', async () => {
    primary.script({ error: 'server_error' });
    const { data, response } = await chat('resilient');
    expect(data.choices[0]!.message.content).toBeTruthy();
    expect(response.headers.get('x-conduit-provider')).toBe('sim-resilient-1');
    expect(response.headers.get('x-conduit-attempts')).toBe('2');
    expect(response.headers.get('x-conduit-fallbacks')).toBe('1');
    expect(primary.requests).toHaveLength(1);
    expect(backup.requests).toHaveLength(1);
    expect(backup.requests[0]!.headers['x-request-id']).toBe(response.headers.get('x-request-id'));
  });

  it('retries the same deployment after Retry-After when there is nowhere to fall back to', async () => {
    primary.script({ error: 'rate_limit', retryAfter: 1 });
    const started = Date.now();
    const { response } = await chat('solo');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(response.headers.get('x-conduit-attempts')).toBe('2');
    expect(primary.requests).toHaveLength(2);
  });

  it('gives up after the retries with a clear upstream error', async () => {
    primary.setDefault({ error: 'overloaded' });
    try {
      await expect(chat('solo')).rejects.toMatchObject({ status: 503, code: 'upstream_overloaded' });
      expect(primary.requests).toHaveLength(3); // first try + maxRetries 2
    } finally {
      primary.setDefault(undefined);
    }
  });

  it('does not retry or fall back on the caller’s own bad request', async () => {
    primary.script({ error: 'bad_request' });
    await expect(chat('resilient')).rejects.toMatchObject({ status: 400 });
    expect(backup.requests).toHaveLength(0);
  });

  it('opens the circuit of a dead deployment and closes it when it recovers', async () => {
    await new Promise((r) => setTimeout(r, OPEN_MS)); // let earlier failures' circuits settle
    await chat('resilient'); // a success resets the failure count
    primary.reset();
    backup.reset();
    primary.setDefault({ error: 'server_error' });
    for (let i = 0; i < 6; i++) await chat('resilient'); // every call still succeeds through the backup
    // 3 failures open the circuit: the dead deployment stops getting traffic
    expect(primary.requests.length).toBe(3);
    expect(backup.requests.length).toBe(6);

    primary.setDefault(undefined); // it recovers
    await new Promise((r) => setTimeout(r, OPEN_MS + 50));
    const { response } = await chat('resilient'); // the half-open probe succeeds
    expect(response.headers.get('x-conduit-provider')).toBe('sim-resilient-0');
    const again = await chat('resilient');
    expect(again.response.headers.get('x-conduit-provider')).toBe('sim-resilient-0');
  });
});

describe('active health checks', () => {
  it('probe failures open a circuit and a passing probe closes it, without user traffic', async () => {
    const { deployments } = await addModel(gw, 'probed', [primary]);
    await gw.prisma.modelDeployment.update({ where: { id: deployments[0]!.id }, data: { healthCheck: true } });
    await publish(gw, { kind: 'catalogue' });
    const app = gw.dataPlane();
    await until(async () => app.catalogue.models.get('probed')?.deployments[0]?.healthCheck === true, 2_000, 'catalogue reloaded');
    primary.setDefault({ error: 'server_error' });
    for (let i = 0; i < 3; i++) await app.health.probeAll(); // threshold 3
    expect(app.breakers.state(deployments[0]!.id)).toBe('open');
    expect(primary.requests.every((r) => (r.body as { max_tokens?: number }).max_tokens === 1)).toBe(true);
    primary.setDefault(undefined);
    await app.health.probeAll();
    expect(app.breakers.state(deployments[0]!.id)).toBe('closed');
  });
});

describe('route rules from the catalogue', () => {
  it('sends requests matching a header rule to the rule’s deployments', async () => {
    const { model, deployments } = await addModel(gw, 'ruled', [primary, backup]);
    await gw.prisma.routeRule.create({
      data: { modelId: model.id, name: 'eu traffic', condition: { type: 'header', key: 'x-data-region', equals: 'eu' }, deploymentIds: [deployments[1]!.id] },
    });
    await publish(gw, { kind: 'catalogue' });
    const eu = new OpenAI({ baseURL: gw.v1, apiKey: DEMO, maxRetries: 0, defaultHeaders: { 'x-data-region': 'eu' } });
    const routed = await until(async () => {
      const { response } = await eu.chat.completions.create({ model: 'ruled', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      return response.headers.get('x-conduit-provider') === 'sim-ruled-1';
    }, 2_000, 'rule applied');
    expect(routed).toBe(true);
    const { response } = await chat('ruled');
    expect(response.headers.get('x-conduit-provider')).toBe('sim-ruled-0');
  });
});

describe('streams never cut silently', () => {
  it('falls back before the first byte', async () => {
    primary.script({ error: 'overloaded' });
    const { data: stream, response } = await client.chat.completions.create({ model: 'resilient', messages: [{ role: 'user', content: 'stream' }], stream: true }).withResponse();
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(response.headers.get('x-conduit-fallbacks')).toBe('1');
  });

  it('sends the stream’s headers once a deployment accepts the call, while the model is still thinking', async () => {
    primary.script({ firstFrameDelayMs: 60_000 }); // headers now, the first token in a minute
    const ac = new AbortController();
    const res = await fetch(`${gw.v1}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'solo', stream: true, messages: [{ role: 'user', content: 'think first' }] }),
      signal: ac.signal,
    });
    // fetch resolved: the headers arrived with no chunk behind them
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('x-conduit-provider')).toBe('sim-solo-0');
    expect(res.headers.get('x-conduit-attempts')).toBe('1');
    const id = res.headers.get('x-request-id');
    ac.abort();
    const [event] = await usageEventsOf(gw, id, 3_000, 'aborted usage event');
    expect(event).toMatchObject({ status: 'aborted', errorCategory: 'client_aborted', stream: true });
  });

  it('still falls back when the accepting deployment fails before its first token; the usage event names the one that answered', async () => {
    primary.script({ streamErrorAt: 0, error: 'overloaded' }); // 200, then an error event instead of the first chunk
    const { data: stream, response } = await client.chat.completions.create({ model: 'resilient', messages: [{ role: 'user', content: 'stream' }], stream: true }).withResponse();
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(backup.requests).toHaveLength(1);
    // the headers left when the primary accepted; the request log has the truth
    expect(response.headers.get('x-conduit-provider')).toBe('sim-resilient-0');
    const id = response.headers.get('x-request-id');
    const [event] = await usageEventsOf(gw, id, 3_000, 'usage event');
    expect(event).toMatchObject({ status: 'success', fallbacks: 1, attempts: 2 });
    expect(event!.deploymentId).not.toBe(null);
  });

  it('ends the stream with an explicit error event when every deployment fails after the headers went out', async () => {
    primary.script({ streamErrorAt: 0, error: 'overloaded' });
    const { data: stream, response } = await client.chat.completions.create({ model: 'solo-once', messages: [{ role: 'user', content: 'stream' }], stream: true }).withResponse();
    expect(response.status).toBe(200);
    let chunks = 0;
    const err = await (async () => {
      for await (const _ of stream) chunks++;
    })().catch((e) => e);
    expect(chunks).toBe(0);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const body = err.error?.error ?? err.error; // the SDK hands over the event's data
    expect(body).toMatchObject({ code: 'upstream_error', type: 'server_error', message: expect.stringContaining('error in stream') });
    expect(primary.requests).toHaveLength(1);
    const id = response.headers.get('x-request-id');
    const [event] = await usageEventsOf(gw, id, 3_000, 'usage event');
    expect(event).toMatchObject({ status: 'error', errorCode: 'upstream_error', stream: true });
  });

  it('ends a stream cut half-way upstream with an explicit error the client sees', async () => {
    primary.script({ cutAfter: 5, tokensPerSecond: 100 }); // paced, so the first chunks reach the client before the cut
    const stream = await client.chat.completions.create({ model: 'solo', messages: [{ role: 'user', content: 'a long answer with many words please' }], stream: true });
    let chunks = 0;
    const err = await (async () => {
      for await (const _ of stream) chunks++;
    })().catch((e) => e);
    expect(chunks).toBeGreaterThan(0);
    expect(err).toBeInstanceOf(Error);
    expect(String(err.message)).toMatch(/upstream|failed|connection/i);
  });

  it('aborts the upstream call at once when the client disconnects, and records an aborted request', async () => {
    primary.script({ tokensPerSecond: 20 });
    const ac = new AbortController();
    const res = await fetch(`${gw.v1}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'solo', stream: true, messages: [{ role: 'user', content: 'tell me a very long story about gateways and streams' }] }),
      signal: ac.signal,
    });
    const id = res.headers.get('x-request-id');
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    const [event] = await usageEventsOf(gw, id, 3_000, 'aborted usage event');
    expect(event).toMatchObject({ status: 'aborted', errorCategory: 'client_aborted', stream: true });
    expect(event!.latencyMs).toBeLessThan(2_000); // the story would take far longer at 20 tokens/s
  });
});
