import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CircuitState } from './circuit-breaker.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** the bounds as prom-client's bucket keys (a fractional number key is turned into this string on every access) */
const BUCKET_KEYS = LATENCY_BUCKETS.map(String);
const CIRCUIT_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

/** prom-client keeps one entry per label set in `hashMap` (counters: `value`; histograms: `sum`, `count`, `bucketValues`). */
interface Entry {
  labels: object;
  value: number;
  sum: number;
  count: number;
  bucketValues: Record<number, number>;
}
type WithEntries = { hashMap?: Record<string, Entry> };

/**
 * One labelled series of a counter or histogram, updated without hashing its labels
 * on every request. It goes through prom-client's public API once to create its
 * entry, then bumps that entry; if the metric was reset (or prom-client keeps its
 * values elsewhere), it goes through the public API again.
 */
class Series {
  private key: string | undefined;
  private entry: Entry | undefined;
  constructor(
    private readonly metric: Counter<string> | Histogram<string>,
    private readonly labels: Record<string, string>,
  ) {}

  private live(): Entry | undefined {
    const e = this.entry;
    return e !== undefined && (this.metric as unknown as WithEntries).hashMap?.[this.key!] === e ? e : undefined;
  }

  private attach() {
    const map = (this.metric as unknown as WithEntries).hashMap;
    this.entry = this.key = undefined;
    if (map === undefined) return;
    const names = Object.keys(this.labels);
    for (const key in map) {
      const labels = map[key]!.labels as Record<string, unknown>;
      if (names.every((n) => labels[n] === this.labels[n]) && Object.keys(labels).length === names.length) {
        this.key = key;
        this.entry = map[key];
        return;
      }
    }
  }

  inc(value: number) {
    const e = this.live();
    if (e !== undefined && Number.isFinite(value) && value >= 0) {
      e.value += value;
      return;
    }
    (this.metric as Counter<string>).inc(this.labels, value);
    this.attach();
  }

  observe(value: number) {
    const e = this.live();
    if (e !== undefined && Number.isFinite(value)) {
      const bounds = LATENCY_BUCKETS;
      e.sum += value;
      e.count += 1;
      for (let i = 0; i < bounds.length; i++) {
        if (value <= bounds[i]!) {
          (e.bucketValues as Record<string, number>)[BUCKET_KEYS[i]!]! += 1;
          break;
        }
      }
      return;
    }
    (this.metric as Histogram<string>).observe(this.labels, value);
    this.attach();
  }
}

/** The series one (endpoint, model, provider) touches, made once. */
interface RequestSeries {
  requests: Map<string, Series>;
  latency: Series;
  ttft: Series;
  prompt: Series;
  completion: Series;
  cached: Series;
  reasoning: Series;
  cost: Series;
  cacheHits: Series;
}

/** What one request adds to the metrics. */
export interface RequestOutcome {
  status: string;
  latencySeconds: number;
  ttftSeconds: number | null;
  promptTokens?: number;
  completionTokens?: number;
  cachedTokens?: number;
  reasoningTokens?: number;
  cost: number;
  cacheHit?: boolean;
}

/** Prometheus metrics of the data plane, served at /metrics. Labels stay low-cardinality (no tenant or key). */
export class DataPlaneMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'conduit_requests_total',
    help: 'Model requests by endpoint, model, provider and outcome',
    labelNames: ['endpoint', 'model', 'provider', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'conduit_request_duration_seconds',
    help: 'Time from request to the last byte of the answer',
    labelNames: ['endpoint', 'model'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly ttft = new Histogram({
    name: 'conduit_time_to_first_token_seconds',
    help: 'Time from request to the first streamed chunk',
    labelNames: ['model'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: 'conduit_tokens_total',
    help: 'Tokens by model, provider and kind (prompt, completion, cached, reasoning)',
    labelNames: ['model', 'provider', 'kind'] as const,
    registers: [this.registry],
  });
  readonly cost = new Counter({
    name: 'conduit_cost_usd_total',
    help: 'Cost in USD at the configured prices',
    labelNames: ['model', 'provider'] as const,
    registers: [this.registry],
  });
  readonly upstreamErrors = new Counter({
    name: 'conduit_upstream_errors_total',
    help: 'Failed upstream attempts by provider and error category',
    labelNames: ['provider', 'category'] as const,
    registers: [this.registry],
  });
  readonly cacheHits = new Counter({
    name: 'conduit_cache_hits_total',
    help: 'Requests answered from the response cache',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  readonly circuit = new Gauge({
    name: 'conduit_circuit_state',
    help: 'Circuit breaker state per deployment: 0 closed, 1 half-open, 2 open',
    labelNames: ['deployment'] as const,
    registers: [this.registry],
  });

  /** endpoint → model → provider → series (as many as label sets, like prom-client's own maps) */
  private readonly series = new Map<string, Map<string, Map<string, RequestSeries>>>();
  /** series labelled by model only, shared by every endpoint and provider */
  private readonly byModel = new Map<string, { ttft: Series; cacheHits: Series }>();

  private seriesFor(endpoint: string, model: string, provider: string): RequestSeries {
    let models = this.series.get(endpoint);
    if (models === undefined) this.series.set(endpoint, (models = new Map()));
    let providers = models.get(model);
    if (providers === undefined) models.set(model, (providers = new Map()));
    let s = providers.get(provider);
    if (s === undefined) {
      let m = this.byModel.get(model);
      if (m === undefined) this.byModel.set(model, (m = { ttft: new Series(this.ttft, { model }), cacheHits: new Series(this.cacheHits, { model }) }));
      let latency: Series | undefined;
      for (const other of providers.values()) latency = other.latency;
      const tokens = (kind: string) => new Series(this.tokens, { model, provider, kind });
      s = {
        requests: new Map(),
        latency: latency ?? new Series(this.latency, { endpoint, model }),
        ttft: m.ttft,
        prompt: tokens('prompt'),
        completion: tokens('completion'),
        cached: tokens('cached'),
        reasoning: tokens('reasoning'),
        cost: new Series(this.cost, { model, provider }),
        cacheHits: m.cacheHits,
      };
      providers.set(provider, s);
    }
    return s;
  }

  /** Records one request (every model call ends here once). */
  record(endpoint: string, model: string, provider: string, o: RequestOutcome) {
    const s = this.seriesFor(endpoint, model, provider);
    let requests = s.requests.get(o.status);
    if (requests === undefined) s.requests.set(o.status, (requests = new Series(this.requests, { endpoint, model, provider, status: o.status })));
    requests.inc(1);
    s.latency.observe(o.latencySeconds);
    if (o.ttftSeconds !== null) s.ttft.observe(o.ttftSeconds);
    if (o.promptTokens) s.prompt.inc(o.promptTokens);
    if (o.completionTokens) s.completion.inc(o.completionTokens);
    if (o.cachedTokens) s.cached.inc(o.cachedTokens);
    if (o.reasoningTokens) s.reasoning.inc(o.reasoningTokens);
    if (o.cost > 0) s.cost.inc(o.cost);
    if (o.cacheHit) s.cacheHits.inc(1);
  }

  circuitChanged(deploymentId: string, state: CircuitState) {
    this.circuit.set({ deployment: deploymentId }, CIRCUIT_VALUE[state]);
  }
}
