import type { CircuitBreakers } from './circuit-breaker.js';
import { type DeploymentEntry, type ModelEntry, priceAt, type RouteRuleEntry, type RoutingStrategy } from './catalogue.js';

/** What routing rules may look at. */
export interface RouteInput {
  headers: Record<string, string | string[] | undefined>;
  /** request metadata / tags (body `metadata`, header `x-conduit-tags: k=v,k2=v2`) */
  tags: Record<string, string>;
  /** the prompt's text, computed only when a rule needs it */
  prompt: () => string;
}

export interface RoutePlan {
  candidates: DeploymentEntry[];
  rule: RouteRuleEntry | null;
  strategy: RoutingStrategy;
}

/** Exponentially weighted moving average of each deployment's latency. */
export class LatencyTracker {
  private readonly ewma = new Map<string, number>();
  observe(deploymentId: string, ms: number) {
    const prev = this.ewma.get(deploymentId);
    this.ewma.set(deploymentId, prev === undefined ? ms : prev * 0.8 + ms * 0.2);
  }
  /** unknown deployments count as fastest, so each gets tried and measured */
  get(deploymentId: string): number {
    return this.ewma.get(deploymentId) ?? 0;
  }
}

function matches(rule: RouteRuleEntry, input: RouteInput): boolean {
  const c = rule.condition;
  let value: string | undefined;
  if (c.type === 'header') {
    const h = input.headers[c.key.toLowerCase()];
    value = Array.isArray(h) ? h[0] : h;
  } else if (c.type === 'tag') {
    value = input.tags[c.key];
  } else {
    value = input.prompt();
  }
  if (value === undefined) return false;
  if ('equals' in c && c.equals !== undefined) return value === c.equals;
  return rule.regex ? rule.regex.test(value) : true;
}

/** Orders a model's deployments for one request: route rules, then the strategy, healthy ones first. */
export class Router {
  private readonly rr = new Map<string, number>();
  constructor(
    private readonly breakers: CircuitBreakers,
    readonly latency: LatencyTracker = new LatencyTracker(),
  ) {}

  plan(model: ModelEntry, input: RouteInput, now = Date.now()): RoutePlan {
    let pool = model.deployments;
    let rule: RouteRuleEntry | null = null;
    for (const r of model.rules) {
      if (matches(r, input)) {
        rule = r;
        const byId = new Map(pool.map((d) => [d.id, d]));
        pool = r.deploymentIds.map((id) => byId.get(id)).filter((d): d is DeploymentEntry => d !== undefined);
        break;
      }
    }
    const strategy = rule?.strategy ?? model.routingStrategy;
    const ordered = this.order(model, pool.filter((d) => d.adapters.length > 0), strategy, now);
    // deployments whose circuit is open go last: tried only when nothing healthy is left
    const healthy: DeploymentEntry[] = [];
    const unhealthy: DeploymentEntry[] = [];
    for (const d of ordered) (this.breakers.available(d.id, now) ? healthy : unhealthy).push(d);
    return { candidates: healthy.concat(unhealthy), rule, strategy };
  }

  private order(model: ModelEntry, list: DeploymentEntry[], strategy: RoutingStrategy, now: number): DeploymentEntry[] {
    if (list.length <= 1) return list;
    switch (strategy) {
      case 'priority':
        return [...list].sort((a, b) => a.priority - b.priority);
      case 'weighted': {
        // weighted random order (Efraimidis–Spirakis): each key = u^(1/w)
        const keyed = list.map((d) => ({ d, k: d.weight > 0 ? Math.random() ** (1 / d.weight) : -1 }));
        return keyed.sort((a, b) => b.k - a.k).map((x) => x.d);
      }
      case 'round_robin': {
        const n = this.rr.get(model.id) ?? 0;
        this.rr.set(model.id, (n + 1) % 1_000_000);
        const start = n % list.length;
        return list.slice(start).concat(list.slice(0, start));
      }
      case 'least_latency':
        return [...list].sort((a, b) => this.latency.get(a.id) - this.latency.get(b.id) || a.priority - b.priority);
      case 'lowest_cost': {
        const cost = (d: DeploymentEntry) => {
          const p = priceAt(model, d, now);
          return p ? p.input + p.output : Number.POSITIVE_INFINITY;
        };
        return [...list].sort((a, b) => cost(a) - cost(b) || a.priority - b.priority);
      }
    }
  }
}
