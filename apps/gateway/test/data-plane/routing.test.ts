import type { ProviderAdapter } from '@conduit/providers';
import { describe, expect, it } from 'vitest';
import type { DeploymentEntry, ModelEntry, RouteRuleEntry } from '../../src/data-plane/catalogue.js';
import { CircuitBreakers } from '../../src/data-plane/circuit-breaker.js';
import { Router, type RouteInput } from '../../src/data-plane/router.js';

const adapter = {} as ProviderAdapter;
const dep = (id: string, over: Partial<DeploymentEntry> = {}): DeploymentEntry => ({
  id,
  modelId: 'm',
  providerId: `p-${id}`,
  providerSlug: `p-${id}`,
  providerType: 'openai',
  upstreamModel: id,
  weight: 1,
  priority: 0,
  timeoutMs: 1000,
  healthCheck: false,
  maxRpm: null,
  maxTpm: null,
  prices: [],
  adapters: [adapter],
  ...over,
});
const model = (deployments: DeploymentEntry[], over: Partial<ModelEntry> = {}): ModelEntry => ({
  id: 'm',
  name: 'm',
  kind: 'chat',
  displayName: '',
  routingStrategy: 'priority',
  requiresApproval: false,
  visibility: 'public',
  tenants: new Set(),
  fallbackOn: new Set(['server_error']),
  maxRetries: 0,
  maxOutputTokens: null,
  created: 0,
  deployments,
  rules: [],
  prices: [],
  ...over,
});
const input = (over: Partial<RouteInput> = {}): RouteInput => ({ headers: {}, tags: {}, prompt: () => '', ...over });
const ids = (r: Router, m: ModelEntry, i = input()) => r.plan(m, i).candidates.map((d) => d.id);

describe('routing strategies', () => {
  it('priority: lowest priority first, the rest as fallbacks', () => {
    const r = new Router(new CircuitBreakers());
    expect(ids(r, model([dep('b', { priority: 2 }), dep('a', { priority: 1 }), dep('c', { priority: 3 })]))).toEqual(['a', 'b', 'c']);
  });

  it('weighted: traffic follows the weights', () => {
    const r = new Router(new CircuitBreakers());
    const m = model([dep('heavy', { weight: 9 }), dep('light', { weight: 1 }), dep('off', { weight: 0 })], { routingStrategy: 'weighted' });
    const firsts: Record<string, number> = { heavy: 0, light: 0, off: 0 };
    for (let i = 0; i < 5000; i++) firsts[ids(r, m)[0]!]!++;
    expect(firsts.heavy! / 5000).toBeGreaterThan(0.85);
    expect(firsts.heavy! / 5000).toBeLessThan(0.95);
    expect(firsts.off).toBe(0);
  });

  it('round-robin: each deployment first in turn', () => {
    const r = new Router(new CircuitBreakers());
    const m = model([dep('a'), dep('b'), dep('c')], { routingStrategy: 'round_robin' });
    expect([0, 1, 2, 3].map(() => ids(r, m)[0])).toEqual(['a', 'b', 'c', 'a']);
  });

  it('least-latency: the fastest by moving average, untried ones get measured first', () => {
    const r = new Router(new CircuitBreakers());
    const m = model([dep('slow'), dep('fast'), dep('new')], { routingStrategy: 'least_latency' });
    r.latency.observe('slow', 400);
    r.latency.observe('fast', 40);
    expect(ids(r, m)).toEqual(['new', 'fast', 'slow']);
    r.latency.observe('new', 1000);
    expect(ids(r, m)[0]).toBe('fast');
    for (let i = 0; i < 20; i++) r.latency.observe('fast', 900); // it got slow
    expect(ids(r, m)[0]).toBe('slow');
  });

  it('lowest-cost: the cheapest price in force, deployment prices over model prices', () => {
    const r = new Router(new CircuitBreakers());
    const m = model(
      [
        dep('pricey', { prices: [{ effectiveFrom: 0, input: 5, output: 15, cachedInput: 0 }] }),
        dep('model-price'),
        dep('cheap', { prices: [{ effectiveFrom: 0, input: 0.1, output: 0.2, cachedInput: 0 }] }),
      ],
      { routingStrategy: 'lowest_cost', prices: [{ effectiveFrom: 0, input: 1, output: 2, cachedInput: 0 }] },
    );
    expect(ids(r, m)).toEqual(['cheap', 'model-price', 'pricey']);
  });

  it('puts deployments with an open circuit last', () => {
    const breakers = new CircuitBreakers({ failureThreshold: 1, openMs: 60_000, maxOpenMs: 60_000 });
    const r = new Router(breakers);
    breakers.failure('a');
    expect(ids(r, model([dep('a', { priority: 0 }), dep('b', { priority: 1 })]))).toEqual(['b', 'a']);
  });

  it('skips deployments with no usable credentials', () => {
    const r = new Router(new CircuitBreakers());
    expect(ids(r, model([dep('broken', { adapters: [] }), dep('ok')]))).toEqual(['ok']);
  });
});

describe('conditional route rules', () => {
  const rule = (over: Partial<RouteRuleEntry>): RouteRuleEntry => ({ id: 'r', name: 'r', condition: { type: 'prompt_pattern', pattern: '' }, deploymentIds: [], strategy: null, ...over });
  const deployments = [dep('eu', { priority: 1 }), dep('us', { priority: 0 }), dep('big', { priority: 2 })];

  it('routes on a header', () => {
    const m = model(deployments, { rules: [rule({ condition: { type: 'header', key: 'X-Region', equals: 'eu' }, deploymentIds: ['eu'] })] });
    const r = new Router(new CircuitBreakers());
    expect(ids(r, m, input({ headers: { 'x-region': 'eu' } }))).toEqual(['eu']);
    expect(ids(r, m, input({ headers: { 'x-region': 'us' } }))).toEqual(['us', 'eu', 'big']);
  });

  it('routes on a tag', () => {
    const m = model(deployments, { rules: [rule({ condition: { type: 'tag', key: 'tier', equals: 'batch' }, deploymentIds: ['big', 'us'] })] });
    expect(ids(new Router(new CircuitBreakers()), m, input({ tags: { tier: 'batch' } }))).toEqual(['us', 'big']);
  });

  it('routes on a pattern in the prompt, computing the prompt text only when a rule needs it', () => {
    let computed = 0;
    const prompt = () => {
      computed++;
      return 'please summarise this LONG document';
    };
    const m = model(deployments, {
      rules: [rule({ condition: { type: 'prompt_pattern', pattern: 'long document' }, regex: /long document/i, deploymentIds: ['big'], strategy: 'priority' })],
    });
    const r = new Router(new CircuitBreakers());
    expect(ids(r, m, input({ prompt }))).toEqual(['big']);
    expect(computed).toBe(1);
    r.plan(model(deployments), input({ prompt }));
    expect(computed).toBe(1);
  });

  it('the first matching rule wins', () => {
    const m = model(deployments, {
      rules: [
        rule({ id: '1', condition: { type: 'header', key: 'x-a', equals: '1' }, deploymentIds: ['eu'] }),
        rule({ id: '2', condition: { type: 'header', key: 'x-a', pattern: '.*' }, regex: /.*/, deploymentIds: ['big'] }),
      ],
    });
    const plan = new Router(new CircuitBreakers()).plan(m, input({ headers: { 'x-a': '1' } }));
    expect(plan.rule?.id).toBe('1');
  });
});
