export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitOptions {
  /** consecutive failures that open the circuit */
  failureThreshold: number;
  /** how long an open circuit refuses traffic before letting one probe through */
  openMs: number;
  /** ceiling of the open time as repeated failed probes double it */
  maxOpenMs: number;
}

export const DEFAULT_CIRCUIT: CircuitOptions = { failureThreshold: 5, openMs: 10_000, maxOpenMs: 120_000 };

interface Circuit {
  state: CircuitState;
  failures: number;
  openedAt: number;
  openMs: number;
  /** a half-open probe is in flight */
  probing: boolean;
  /** upstream said "retry after": no traffic until then (429 / 503 with Retry-After) */
  coolUntil: number;
}

/**
 * One breaker per deployment, per gateway process: closed → open after N
 * consecutive failures → half-open after a pause, where one probe request decides
 * between closed and open again (with a doubled pause).
 */
export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();
  constructor(
    private readonly opts: CircuitOptions = DEFAULT_CIRCUIT,
    private readonly onChange: (deploymentId: string, state: CircuitState) => void = () => undefined,
  ) {}

  private get(id: string): Circuit {
    let c = this.circuits.get(id);
    if (!c) this.circuits.set(id, (c = { state: 'closed', failures: 0, openedAt: 0, openMs: this.opts.openMs, probing: false, coolUntil: 0 }));
    return c;
  }

  state(id: string): CircuitState {
    return this.circuits.get(id)?.state ?? 'closed';
  }

  /** Whether a request may go to this deployment now; claims the probe slot when half-open. */
  tryAcquire(id: string, now = Date.now()): boolean {
    const c = this.circuits.get(id);
    if (!c) return true;
    if (c.coolUntil > now) return false;
    if (c.state === 'closed') return true;
    if (c.state === 'open') {
      if (now - c.openedAt < c.openMs) return false;
      this.set(id, c, 'half_open');
    }
    if (c.probing) return false;
    c.probing = true;
    return true;
  }

  /** Whether the deployment would take traffic (no side effects): used to order candidates. */
  available(id: string, now = Date.now()): boolean {
    const c = this.circuits.get(id);
    if (!c) return true;
    if (c.coolUntil > now) return false;
    if (c.state === 'closed') return true;
    if (c.state === 'open') return now - c.openedAt >= c.openMs;
    return !c.probing;
  }

  success(id: string) {
    const c = this.circuits.get(id);
    if (!c) return;
    c.failures = 0;
    c.probing = false;
    c.openMs = this.opts.openMs;
    if (c.state !== 'closed') this.set(id, c, 'closed');
  }

  failure(id: string, now = Date.now()) {
    const c = this.get(id);
    c.probing = false;
    if (c.state === 'half_open') {
      c.openMs = Math.min(c.openMs * 2, this.opts.maxOpenMs);
      c.openedAt = now;
      this.set(id, c, 'open');
      return;
    }
    c.failures++;
    if (c.state === 'closed' && c.failures >= this.opts.failureThreshold) {
      c.openedAt = now;
      this.set(id, c, 'open');
    }
  }

  /** The upstream asked for a pause (Retry-After): send it nothing until then. */
  coolDown(id: string, ms: number, now = Date.now()) {
    const c = this.get(id);
    c.probing = false;
    c.coolUntil = Math.max(c.coolUntil, now + Math.min(ms, 60_000));
  }

  /** Releases a probe slot claimed by a request that ended without a verdict (client went away). */
  release(id: string) {
    const c = this.circuits.get(id);
    if (c) c.probing = false;
  }

  snapshot(): { deploymentId: string; state: CircuitState }[] {
    return [...this.circuits].map(([deploymentId, c]) => ({ deploymentId, state: c.state }));
  }

  private set(id: string, c: Circuit, state: CircuitState) {
    c.state = state;
    this.onChange(id, state);
  }
}
