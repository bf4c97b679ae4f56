import { asProviderError } from './executor.js';
import type { CatalogueSnapshot } from './catalogue.js';
import type { CircuitBreakers } from './circuit-breaker.js';

/**
 * Active health checks for deployments that opt in: a minimal request every
 * interval (one output token, or a one-word embedding). A failing probe counts as
 * a failure for the circuit breaker; a passing one closes an open circuit without
 * waiting for user traffic to find out.
 */
export class HealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly catalogue: () => CatalogueSnapshot,
    private readonly breakers: CircuitBreakers,
    private readonly intervalMs: number,
    private readonly onResult: (deploymentId: string, ok: boolean, detail?: string) => void = () => undefined,
  ) {}

  start() {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.probeAll(), this.intervalMs);
    this.timer.unref();
  }

  stop() {
    clearInterval(this.timer);
  }

  async probeAll(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const probes: Promise<void>[] = [];
      for (const model of this.catalogue().models.values()) {
        for (const d of model.deployments) {
          if (!d.healthCheck || d.adapters.length === 0) continue;
          const adapter = d.adapters[0]!;
          const signal = AbortSignal.timeout(Math.min(d.timeoutMs, 15_000));
          const call =
            model.kind === 'embedding'
              ? adapter.embed({ model: d.upstreamModel, input: 'ping' }, { signal, requestId: `health-${d.id}` })
              : adapter.chat({ model: d.upstreamModel, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }, { signal, requestId: `health-${d.id}` });
          probes.push(
            call.then(
              () => {
                this.breakers.success(d.id);
                this.onResult(d.id, true);
              },
              (err: unknown) => {
                const pe = asProviderError(err, d.providerSlug);
                if (pe.category !== 'bad_request') this.breakers.failure(d.id);
                this.onResult(d.id, false, `${pe.category}: ${pe.message}`);
              },
            ),
          );
        }
      }
      await Promise.all(probes);
    } finally {
      this.running = false;
    }
  }
}
