import {
  GatewayError,
  nanoToUsd,
  PLAN_LIMITS,
  periodEnd,
  quotaCounterExpiresAt,
  quotaCounterKey,
  quotaUsageUnits,
  type TenantRateLimits,
} from '@conduit/contracts';
import type { Redis } from 'ioredis';
import type { KeyEntry, QuotaEntry, TenantEntry } from '../access-cache.js';
import type { DeploymentEntry, ModelEntry } from '../catalogue.js';
import { ADMIT_LUA, SETTLE_LUA } from './scripts.js';

type Scope = 'global' | 'tenant' | 'model' | 'key';
const WINDOW_MS = 60_000;

export interface GlobalLimits {
  rpm: number | null;
  tpm: number | null;
  concurrency: number | null;
}

/** What a request is expected to use, reserved before the call. */
export interface Estimate {
  /** prompt tokens (estimated) + the most it may generate */
  tokens: number;
  promptTokens: number;
  /** at the price in force, in nano-USD */
  costNano: number;
}

interface BucketCheck {
  kind: 'B';
  scope: Scope;
  what: 'requests' | 'tokens';
  key: string;
  cap: number;
  cost: number;
}
interface ConcurrencyCheck {
  kind: 'C';
  scope: Scope;
  key: string;
  limit: number;
}
interface QuotaCheck {
  kind: 'Q';
  quota: QuotaEntry;
  key: string;
  res: string;
  exp: string;
  amount: number;
  resetAt: number;
  expireAt: number;
}
type Check = BucketCheck | ConcurrencyCheck | QuotaCheck;

/** The reservation of one admitted request, settled once when it ends. */
export interface Admission {
  requestId: string;
  checks: Check[];
  estimate: Estimate;
  /** the deployment the limits chose first (others stay possible fallbacks) */
  deployment: DeploymentEntry | null;
  depTpmKey: string | null;
  depTpmCap: number;
  /** OpenAI-style headers for the answer */
  headers: Record<string, string>;
  settled: boolean;
}

type Redis4Limits = Redis & {
  conduitAdmit(numKeys: number, ...args: (string | number)[]): Promise<(string | number)[]>;
  conduitSettle(numKeys: number, ...args: (string | number)[]): Promise<number>;
};

/** OpenAI's duration format for x-ratelimit-reset-*: "1s", "6m0s", "250ms". */
export function formatReset(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60}s`;
  return `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`;
}

const PERIOD_ADJECTIVE = { day: 'daily', week: 'weekly', month: 'monthly' } as const;
const SCOPE_NAME: Record<Scope, string> = { global: 'the gateway', tenant: 'the tenant', model: 'the tenant for this model', key: 'this API key' };

/**
 * Rate limits (requests and tokens per minute, in-flight requests) per key,
 * tenant, tenant × model and globally, deployment capacity, and quotas/budgets —
 * all checked and reserved in ONE atomic Redis script per request, so they hold
 * across any number of gateway replicas. Settled once when the request ends.
 */
export class Limiter {
  private readonly redis: Redis4Limits;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly global: GlobalLimits,
    private readonly reservationTtlMs: number,
  ) {
    redis.defineCommand('conduitAdmit', { lua: ADMIT_LUA });
    redis.defineCommand('conduitSettle', { lua: SETTLE_LUA });
    this.redis = redis as Redis4Limits;
  }

  private k(...parts: string[]) {
    return `${this.prefix}:rl:${parts.join(':')}`;
  }

  /** Limits that apply to this request, most specific last. */
  private rateScopes(key: KeyEntry, tenant: TenantEntry, model: ModelEntry) {
    const tl = tenant.limits as TenantRateLimits;
    const plan = PLAN_LIMITS[tenant.plan];
    const pick = (v: number | null | undefined, d: number | null) => (v === undefined ? d : v);
    const kl = key.limits as TenantRateLimits;
    const ml = tl.models?.[model.name];
    return [
      { scope: 'global' as const, id: 'all', rpm: this.global.rpm, tpm: this.global.tpm, concurrency: this.global.concurrency },
      { scope: 'tenant' as const, id: tenant.id, rpm: pick(tl.rpm, plan.rpm), tpm: pick(tl.tpm, plan.tpm), concurrency: pick(tl.concurrency, plan.concurrency) },
      { scope: 'model' as const, id: `${tenant.id}:${model.name}`, rpm: ml?.rpm ?? null, tpm: ml?.tpm ?? null, concurrency: null },
      { scope: 'key' as const, id: key.id, rpm: kl.rpm ?? null, tpm: kl.tpm ?? null, concurrency: kl.concurrency ?? null },
    ];
  }

  /** The per-request cost cap of the key (or else the tenant), in USD. */
  maxCostPerRequest(key: KeyEntry, tenant: TenantEntry): number | null {
    return (key.limits as TenantRateLimits).maxCostPerRequestUsd ?? (tenant.limits as TenantRateLimits).maxCostPerRequestUsd ?? null;
  }

  /**
   * Admits the request or throws the 429 (or 400 for a request over its cost cap)
   * that says which limit was hit and when to retry. Returns the reservation and
   * the candidates re-ordered so a deployment with capacity goes first.
   */
  async admit(
    requestId: string,
    key: KeyEntry,
    tenant: TenantEntry,
    model: ModelEntry,
    estimate: Estimate,
    candidates: DeploymentEntry[],
    now = Date.now(),
  ): Promise<{ admission: Admission; candidates: DeploymentEntry[] }> {
    const cap = this.maxCostPerRequest(key, tenant);
    if (cap !== null && estimate.costNano > cap * 1e9) {
      throw new GatewayError(
        'max_cost_per_request_exceeded',
        `This request could cost up to $${nanoToUsd(estimate.costNano)}, over the limit of $${cap} per request. Lower max_tokens (or shorten the prompt).`,
        { param: 'max_tokens' },
      );
    }
    const checks: Check[] = [];
    for (const s of this.rateScopes(key, tenant, model)) {
      if (s.rpm) checks.push({ kind: 'B', scope: s.scope, what: 'requests', key: this.k(s.scope, s.id, 'rpm'), cap: s.rpm, cost: 1 });
      if (s.tpm) checks.push({ kind: 'B', scope: s.scope, what: 'tokens', key: this.k(s.scope, s.id, 'tpm'), cap: s.tpm, cost: estimate.tokens });
      if (s.concurrency) checks.push({ kind: 'C', scope: s.scope, key: this.k(s.scope, s.id, 'inflight'), limit: s.concurrency });
    }
    for (const q of tenant.quotas) {
      if (q.apiKeyId !== null && q.apiKeyId !== key.id) continue;
      const key0 = quotaCounterKey(this.prefix, q.id, q.period, new Date(now));
      checks.push({
        kind: 'Q',
        quota: q,
        key: key0,
        res: `${key0}:reserved`,
        exp: `${key0}:reserved-until`,
        amount: quotaUsageUnits(q.metric, { promptTokens: estimate.promptTokens, completionTokens: estimate.tokens - estimate.promptTokens, costUsd: nanoToUsd(estimate.costNano) }),
        resetAt: periodEnd(q.period, new Date(now)).getTime(),
        expireAt: quotaCounterExpiresAt(q.period, new Date(now)).getTime(),
      });
    }

    const keys: string[] = [];
    const args: (string | number)[] = [];
    for (const c of checks) {
      if (c.kind === 'B') {
        keys.push(c.key);
        args.push('B', c.cap, WINDOW_MS, c.cost);
      } else if (c.kind === 'C') {
        keys.push(c.key);
        args.push('C', c.limit, requestId, this.reservationTtlMs);
      } else {
        keys.push(c.key, c.res, c.exp);
        args.push('Q', c.quota.limitUnits, c.amount, requestId, this.reservationTtlMs, c.resetAt);
      }
    }
    // deployment capacity (the upstream's own quota): only when some candidate has one
    const limited = candidates.some((d) => d.maxRpm || d.maxTpm);
    if (limited) {
      args.push(candidates.length);
      for (const d of candidates) {
        const buckets: [string, number, number][] = [];
        if (d.maxRpm) buckets.push([this.k('deployment', d.id, 'rpm'), d.maxRpm, 1]);
        if (d.maxTpm) buckets.push([this.k('deployment', d.id, 'tpm'), d.maxTpm, estimate.tokens]);
        args.push(buckets.length);
        for (const [bk, c, cost] of buckets) {
          keys.push(bk);
          args.push(c, WINDOW_MS, cost);
        }
      }
    }
    if (keys.length === 0) {
      return { admission: this.emptyAdmission(requestId, estimate), candidates };
    }

    const reply = await this.redis.conduitAdmit(keys.length, ...keys, ...args);
    const ok = Number(reply[0]) === 1;
    const failed = Number(reply[1]);
    const retryAfterMs = Number(reply[2]);
    const chosen = Number(reply[3]);
    const stats = checks.map((_, i) => ({ limit: Number(reply[4 + i * 3]), remaining: Number(reply[5 + i * 3]), reset: Number(reply[6 + i * 3]) }));
    const headers = this.headers(checks, stats);

    if (!ok) throw this.refusal(checks, failed, retryAfterMs, estimate, headers, now);

    let ordered = candidates;
    let deployment: DeploymentEntry | null = null;
    if (limited && chosen > 0) {
      deployment = candidates[chosen - 1]!;
      ordered = [deployment, ...candidates.filter((d) => d !== deployment)];
    }
    return {
      admission: {
        requestId,
        checks,
        estimate,
        deployment,
        depTpmKey: deployment?.maxTpm ? this.k('deployment', deployment.id, 'tpm') : null,
        depTpmCap: deployment?.maxTpm ?? 0,
        headers,
        settled: false,
      },
      candidates: ordered,
    };
  }

  private emptyAdmission(requestId: string, estimate: Estimate): Admission {
    return { requestId, checks: [], estimate, deployment: null, depTpmKey: null, depTpmCap: 0, headers: {}, settled: true };
  }

  /** x-ratelimit-* for the tightest requests and tokens limits that apply. */
  private headers(checks: Check[], stats: { limit: number; remaining: number; reset: number }[]): Record<string, string> {
    const h: Record<string, string> = {};
    for (const what of ['requests', 'tokens'] as const) {
      let best = -1;
      checks.forEach((c, i) => {
        if (c.kind === 'B' && c.what === what && (best < 0 || stats[i]!.remaining < stats[best]!.remaining)) best = i;
      });
      if (best < 0) continue;
      h[`x-ratelimit-limit-${what}`] = String(stats[best]!.limit);
      h[`x-ratelimit-remaining-${what}`] = String(stats[best]!.remaining);
      h[`x-ratelimit-reset-${what}`] = formatReset(stats[best]!.reset);
    }
    return h;
  }

  private refusal(checks: Check[], failed: number, retryAfterMs: number, estimate: Estimate, headers: Record<string, string>, now: number): GatewayError {
    const retryHeaders = (ms: number) => ({ ...headers, 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))), 'retry-after-ms': String(Math.max(0, Math.ceil(ms))) });
    if (failed === -1) {
      return new GatewayError('deployment_capacity_exceeded', `Every deployment of this model is at its upstream capacity right now. Retry in ${Math.ceil(retryAfterMs / 1000)} s.`, {
        param: 'deployment',
        headers: retryHeaders(retryAfterMs),
      });
    }
    const c = checks[failed - 1]!;
    if (c.kind === 'Q') {
      const q = c.quota;
      const resets = new Date(c.resetAt).toISOString();
      const limit = q.metric === 'cost' ? `$${q.limit} in cost` : `${q.limit} ${q.metric}`;
      const scope = q.apiKeyId ? 'this API key' : 'the tenant';
      return new GatewayError(
        'insufficient_quota',
        `The ${PERIOD_ADJECTIVE[q.period]} quota of ${limit} for ${scope} is used up (this request needs room for about ${q.metric === 'cost' ? '$' + nanoToUsd(c.amount) : c.amount + ' ' + q.metric}). It resets at ${resets}; ask an admin for an increase in the developer portal.`,
        { param: q.apiKeyId ? 'key' : 'tenant', headers: { ...headers, 'retry-after': String(Math.max(1, Math.ceil((c.resetAt - now) / 1000))) } },
      );
    }
    if (c.kind === 'C') {
      return new GatewayError('concurrent_requests_exceeded', `Too many requests in flight for ${SCOPE_NAME[c.scope]} (limit ${c.limit} at once). Retry when one finishes.`, {
        param: c.scope,
        headers: retryHeaders(retryAfterMs),
      });
    }
    if (retryAfterMs < 0) {
      return new GatewayError(
        'tokens_per_minute_exceeded',
        `This request needs about ${estimate.tokens} tokens, more than the ${c.cap} tokens per minute allowed for ${SCOPE_NAME[c.scope]}. Lower max_tokens or shorten the prompt.`,
        { param: c.scope, headers },
      );
    }
    const code = c.what === 'requests' ? 'requests_per_minute_exceeded' : 'tokens_per_minute_exceeded';
    return new GatewayError(code, `Rate limit reached for ${SCOPE_NAME[c.scope]}: ${c.cap} ${c.what} per minute. Retry in ${Math.ceil(retryAfterMs / 1000)} s.`, {
      param: c.scope,
      headers: retryHeaders(retryAfterMs),
    });
  }

  /** Releases in-flight slots, corrects token buckets to the actual usage and settles quotas. Once per admission. */
  async settle(a: Admission, actual: { promptTokens: number; completionTokens: number; costUsd: string }): Promise<void> {
    if (a.settled) return;
    a.settled = true;
    const tokens = actual.promptTokens + actual.completionTokens;
    const keys: string[] = [];
    const args: (string | number)[] = [];
    for (const c of a.checks) {
      if (c.kind === 'C') {
        keys.push(c.key);
        args.push('C', a.requestId);
      } else if (c.kind === 'B') {
        if (c.what !== 'tokens') continue;
        keys.push(c.key);
        args.push('B', a.estimate.tokens - tokens, c.cap, WINDOW_MS);
      } else {
        keys.push(c.key, c.res, c.exp);
        args.push('Q', a.requestId, quotaUsageUnits(c.quota.metric, actual), c.expireAt);
      }
    }
    if (a.depTpmKey) {
      keys.push(a.depTpmKey);
      args.push('B', a.estimate.tokens - tokens, a.depTpmCap, WINDOW_MS);
    }
    if (keys.length) await this.redis.conduitSettle(keys.length, ...keys, ...args);
  }
}
