import { describe, expect, it, vi } from 'vitest';
import { DataPlaneMetrics, type RequestOutcome } from './metrics.js';

/** What `record` stood for before it cached series: prom-client's public API, labels per call. */
function recordPlainly(m: DataPlaneMetrics, endpoint: string, model: string, provider: string, o: RequestOutcome) {
  m.requests.inc({ endpoint, model, provider, status: o.status });
  m.latency.observe({ endpoint, model }, o.latencySeconds);
  if (o.ttftSeconds !== null) m.ttft.observe({ model }, o.ttftSeconds);
  if (o.promptTokens) m.tokens.inc({ model, provider, kind: 'prompt' }, o.promptTokens);
  if (o.completionTokens) m.tokens.inc({ model, provider, kind: 'completion' }, o.completionTokens);
  if (o.cachedTokens) m.tokens.inc({ model, provider, kind: 'cached' }, o.cachedTokens);
  if (o.reasoningTokens) m.tokens.inc({ model, provider, kind: 'reasoning' }, o.reasoningTokens);
  if (o.cost > 0) m.cost.inc({ model, provider }, o.cost);
  if (o.cacheHit) m.cacheHits.inc({ model });
}

const calls: [string, string, string, RequestOutcome][] = [
  ['/v1/chat/completions', 'gpt', 'openai', { status: 'success', latencySeconds: 0.003, ttftSeconds: null, promptTokens: 10, completionTokens: 5, cost: 0.0001 }],
  ['/v1/chat/completions', 'gpt', 'openai', { status: 'success', latencySeconds: 0.2, ttftSeconds: 0.05, promptTokens: 7, completionTokens: 3, cachedTokens: 2, reasoningTokens: 1, cost: 0.00002 }],
  ['/v1/chat/completions', 'gpt', 'azure', { status: 'error', latencySeconds: 200, ttftSeconds: null, cost: 0 }],
  ['/v1/completions', 'gpt', 'openai', { status: 'success', latencySeconds: 0.01, ttftSeconds: null, promptTokens: 1, completionTokens: 1, cost: 0.5 }],
  ['/v1/chat/completions', 'other', 'none', { status: 'aborted', latencySeconds: 1, ttftSeconds: 0.5, cacheHit: true, cost: 0 }],
  ['/v1/chat/completions', 'gpt', 'openai', { status: 'success', latencySeconds: 0.025, ttftSeconds: 120, promptTokens: 3, cost: 0, cacheHit: true }],
];

describe('data-plane metrics', () => {
  it('expose exactly what labelled prom-client calls would', async () => {
    const fast = new DataPlaneMetrics();
    const plain = new DataPlaneMetrics();
    for (let round = 0; round < 3; round++) {
      for (const [e, model, p, o] of calls) {
        fast.record(e, model, p, o);
        recordPlainly(plain, e, model, p, o);
      }
    }
    expect(await fast.registry.metrics()).toBe(await plain.registry.metrics());
    expect(await fast.registry.metrics()).toMatch(/conduit_requests_total\{endpoint="\/v1\/chat\/completions",model="gpt",provider="openai",status="success"\} 9/);
  });

  it('keep counting from zero after the registry is reset', async () => {
    const fast = new DataPlaneMetrics();
    const plain = new DataPlaneMetrics();
    for (const [e, model, p, o] of calls) fast.record(e, model, p, o);
    fast.registry.resetMetrics();
    for (const [e, model, p, o] of calls) {
      fast.record(e, model, p, o);
      recordPlainly(plain, e, model, p, o);
    }
    expect(await fast.registry.metrics()).toBe(await plain.registry.metrics());
  });

  it('go through prom-client once per series, then bump it directly', () => {
    const m = new DataPlaneMetrics();
    const spies = [m.requests, m.tokens, m.cost, m.cacheHits].map((c) => vi.spyOn(c, 'inc')).concat([m.latency, m.ttft].map((h) => vi.spyOn(h, 'observe')) as never[]);
    const slowCalls = () => spies.reduce((n, s) => n + s.mock.calls.length, 0);
    const o: RequestOutcome = { status: 'success', latencySeconds: 0.1, ttftSeconds: 0.01, promptTokens: 1, completionTokens: 1, cost: 1, cacheHit: true };
    m.record('/v1/chat/completions', 'gpt', 'openai', o);
    expect(slowCalls()).toBe(7);
    for (let i = 0; i < 10; i++) m.record('/v1/chat/completions', 'gpt', 'openai', o);
    expect(slowCalls()).toBe(7);
  });
});
