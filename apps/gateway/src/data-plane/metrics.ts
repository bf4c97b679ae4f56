import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CircuitState } from './circuit-breaker.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const CIRCUIT_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

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

  circuitChanged(deploymentId: string, state: CircuitState) {
    this.circuit.set({ deployment: deploymentId }, CIRCUIT_VALUE[state]);
  }
}
