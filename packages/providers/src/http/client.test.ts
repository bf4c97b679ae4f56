import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvider } from '../registry';
import { ProviderError } from '../core/errors';
import { poolCount } from './client';
import { startSimulator } from '../simulators';
import type { SimulatorHandle } from '../simulators';

describe('upstream HTTP', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ provider: 'openai' });
  });
  afterAll(() => sim.close());

  it('shares one keep-alive pool per origin: sequential calls reuse connections', async () => {
    const before = poolCount();
    const a = createProvider({ type: 'openai', baseUrl: sim.baseUrl, apiKey: 'k1' });
    const b = createProvider({ type: 'openai-compatible', baseUrl: sim.baseUrl, apiKey: 'k2' });
    sim.reset();
    for (let i = 0; i < 3; i++) await a.chat({ model: 'm', messages: [{ role: 'user', content: `n${i}` }] });
    await b.chat({ model: 'm', messages: [{ role: 'user', content: 'other adapter' }] });
    expect(poolCount()).toBe(before + 1);
    const ports = new Set(sim.requests.map((r) => r.remotePort));
    // keep-alive: 4 sequential requests over one socket (it is back in the pool before the answer is handed over)
    expect(sim.requests).toHaveLength(4);
    expect(ports.size).toBe(1);
  });

  it('an abort mid-stream closes the upstream connection', async () => {
    const a = createProvider({ type: 'openai', baseUrl: sim.baseUrl, apiKey: 'k' });
    sim.reset();
    sim.script({ tokensPerSecond: 10 });
    const ac = new AbortController();
    let got = 0;
    const err = await (async () => {
      for await (const _ of a.chatStream({ model: 'm', messages: [{ role: 'user', content: 'a b c d e f g h i j k l' }] }, { signal: ac.signal })) {
        if (++got === 2) ac.abort();
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).category).toBe('aborted');
    for (let i = 0; i < 50 && !sim.requests[0]!.clientClosedEarly; i++) await new Promise((r) => setTimeout(r, 20));
    expect(sim.requests[0]!.clientClosedEarly).toBe(true);
  });

  it('an abort of a non-streamed call closes the upstream connection and reports aborted', async () => {
    const a = createProvider({ type: 'openai', baseUrl: sim.baseUrl, apiKey: 'k' });
    sim.reset();
    sim.script({ latencyMs: 2000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await a.chat({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, { signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).category).toBe('aborted');
    for (let i = 0; i < 50 && !sim.requests[0]?.clientClosedEarly; i++) await new Promise((r) => setTimeout(r, 20));
    expect(sim.requests[0]!.clientClosedEarly).toBe(true);
    // already aborted: nothing is sent
    sim.reset();
    const early = await a.chat({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((early as ProviderError).category).toBe('aborted');
  });

  it('breaking out of the loop also releases the upstream', async () => {
    const a = createProvider({ type: 'openai', baseUrl: sim.baseUrl, apiKey: 'k' });
    sim.reset();
    sim.script({ tokensPerSecond: 10 });
    for await (const c of a.chatStream({ model: 'm', messages: [{ role: 'user', content: 'a b c d e f g h' }] })) {
      if (c.choices.length > 0) break;
    }
    for (let i = 0; i < 50 && !sim.requests[0]!.clientClosedEarly; i++) await new Promise((r) => setTimeout(r, 20));
    expect(sim.requests[0]!.clientClosedEarly).toBe(true);
  });

  it('a refused connection is a retryable server_error', async () => {
    const dead = await startSimulator({ provider: 'openai' });
    const url = dead.baseUrl;
    await dead.close();
    const a = createProvider({ type: 'openai', baseUrl: url, apiKey: 'k' });
    const err = await a.chat({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((err as ProviderError).category).toBe('server_error');
    expect((err as ProviderError).code).toBe('connection_refused');
    expect((err as ProviderError).retryable).toBe(true);
  });

  it('a credential with a line break is refused before anything is sent, without echoing it', async () => {
    const a = createProvider({ type: 'openai', baseUrl: sim.baseUrl, apiKey: 'sk-pasted-SECRET\n' });
    sim.reset();
    const err = await a.chat({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe('invalid_upstream_request');
    expect((err as ProviderError).message).toContain('line break');
    expect(JSON.stringify(err)).not.toContain('SECRET');
    expect((err as ProviderError).message).not.toContain('SECRET');
    expect(sim.requests).toHaveLength(0);
  });
});

describe('adapter hygiene', () => {
  it('never exposes credentials when an adapter is logged or serialised', () => {
    const a = createProvider({ type: 'anthropic', apiKey: 'sk-ant-SECRET' });
    expect(JSON.stringify(a)).not.toContain('SECRET');
    expect(Object.keys(a)).not.toContain('config');
    expect(a.baseUrl).toBe('https://api.anthropic.com');
  });
});

describe('timeouts', () => {
  it('per-call timeouts override the deployment’s field by field', async () => {
    const sim = await startSimulator({ provider: 'openai' });
    try {
      const a = createProvider({ type: 'openai', baseUrl: sim.baseUrl, apiKey: 'k', timeouts: { firstByteMs: 150 } });
      sim.script({ hang: true });
      const err = await a.chat({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, { timeouts: { totalMs: 10_000 } }).catch((e: unknown) => e);
      expect((err as ProviderError).code).toBe('first_byte_timeout');
    } finally {
      await sim.close();
    }
  });
});
