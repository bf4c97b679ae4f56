import { GatewayError } from '@conduit/contracts';
import { type AbortSignalLike, isProviderError, type ProviderAdapter, ProviderError } from '@conduit/providers';
import type { DeploymentEntry, ModelEntry } from './catalogue.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import type { LatencyTracker } from './router.js';

export interface Attempted<T> {
  result: T;
  deployment: DeploymentEntry;
  attempts: number;
  fallbacks: number;
}

export interface ExecutionTrace {
  attempts: number;
  fallbacks: number;
  deployment: DeploymentEntry | null;
}

/** longest Retry-After the gateway waits out itself before giving the 429 to the client */
const MAX_RETRY_WAIT_MS = 10_000;
const BACKOFF_BASE_MS = 150;
const BACKOFF_CAP_MS = 4_000;

const FAILURES_THAT_TRIP = new Set(['server_error', 'timeout', 'overloaded']);

export function asProviderError(err: unknown, provider: string): ProviderError {
  if (isProviderError(err)) return err;
  return new ProviderError({ category: 'server_error', provider, message: (err as Error)?.message ?? String(err), cause: err });
}

function sleep(ms: number, signal: AbortSignalLike): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Calls deployments in the planned order: retries with exponential backoff and
 * full jitter (honouring Retry-After), falls back to the next deployment on the
 * model's fallback categories, and feeds the circuit breakers and latency EWMA.
 */
export class Executor {
  private readonly rotation = new Map<string, number>();

  constructor(
    private readonly breakers: CircuitBreakers,
    private readonly latency: LatencyTracker,
    private readonly onAttemptError: (deployment: DeploymentEntry, error: ProviderError) => void = () => undefined,
  ) {}

  /** Spreads calls over a deployment's credentials. */
  adapterFor(d: DeploymentEntry): ProviderAdapter {
    if (d.adapters.length === 1) return d.adapters[0]!;
    const n = this.rotation.get(d.providerId) ?? 0;
    this.rotation.set(d.providerId, (n + 1) % 1_000_000);
    return d.adapters[n % d.adapters.length]!;
  }

  async run<T>(
    model: ModelEntry,
    candidates: DeploymentEntry[],
    signal: AbortSignalLike,
    trace: ExecutionTrace,
    call: (deployment: DeploymentEntry, adapter: ProviderAdapter) => Promise<T>,
  ): Promise<Attempted<T>> {
    let lastError: ProviderError | undefined;
    let tried = 0;
    for (let i = 0; i < candidates.length; i++) {
      const d = candidates[i]!;
      if (!this.breakers.tryAcquire(d.id)) continue;
      if (tried > 0) trace.fallbacks++;
      tried++;
      for (let retry = 0; ; retry++) {
        trace.attempts++;
        trace.deployment = d;
        const started = performance.now();
        try {
          const result = await call(d, this.adapterFor(d));
          this.breakers.success(d.id);
          this.latency.observe(d.id, performance.now() - started);
          return { result, deployment: d, attempts: trace.attempts, fallbacks: trace.fallbacks };
        } catch (err) {
          const pe = asProviderError(err, d.providerSlug);
          if (signal.aborted || pe.category === 'aborted') {
            this.breakers.release(d.id);
            throw pe;
          }
          lastError = pe;
          this.onAttemptError(d, pe);
          if (FAILURES_THAT_TRIP.has(pe.category)) this.breakers.failure(d.id);
          else if (pe.category === 'rate_limit') this.breakers.coolDown(d.id, pe.retryAfterMs ?? 1000);
          else this.breakers.release(d.id);

          const hasNext = candidates.slice(i + 1).some((c) => this.breakers.available(c.id));
          if (hasNext && model.fallbackOn.has(pe.category)) break; // on to the next deployment
          if (!pe.retryable || retry >= model.maxRetries) throw pe;
          const wait = pe.retryAfterMs ?? Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry);
          if (wait > MAX_RETRY_WAIT_MS) throw pe;
          await sleep(wait, signal);
        }
      }
    }
    if (lastError) throw lastError;
    throw new GatewayError('no_healthy_deployment', `No deployment of ${model.name} can take traffic right now (all are failing); try again shortly.`, {
      headers: { 'retry-after': '5' },
    });
  }
}
