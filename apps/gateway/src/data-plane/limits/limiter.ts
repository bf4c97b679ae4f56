import { randomBytes } from 'node:crypto';
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
import { ADMIT_LUA, FLUSH_LUA } from './scripts.js';

type Scope = 'global' | 'tenant' | 'model' | 'key';
const WINDOW_MS = 60_000;
/** How long a replica may hold an unused allowance before giving it back. */
const LEASE_MS = 1000;
/** How long settlements of leased limits may wait to be batched. */
const SETTLE_BATCH_MS = 20;

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

/**
 * This replica's share of one limit (one Redis key): what it holds beyond its
 * in-flight requests (`avail`, leased from Redis and spent locally), and what it
 * owes Redis at the next flush (`release`: tokens to give back, or reserved units
 * to release; `settled`: actual quota usage to add).
 */
class Allowance {
  avail = 0;
  release = 0;
  settled = 0;
  leasePending = false;
  leasedAt = 0;
  /**
   * the last grant, 0 once given back: above zero, settlements may wait for a batch,
   * and a limit under half of it is topped up with the next round trip
   */
  granted = 0;
  /** units spent since the last lease (sizes the next one) */
  spent = 0;
  spentSince = Date.now();
  /** Redis's remaining after our last reservation there (headers) */
  remaining = 0;
  constructor(
    readonly kind: 'B' | 'C' | 'Q',
    readonly keys: string[],
    public cap: number,
    public expireAt = 0,
  ) {}
}

interface Check {
  kind: 'B' | 'C' | 'Q';
  scope: Scope;
  what?: 'requests' | 'tokens';
  /** B: bucket capacity; C/Q: limit */
  cap: number;
  quota?: QuotaEntry;
  resetAt: number;
  allowance: Allowance;
}

/** The checks of one (key, tenant, model), built once and reused until a period ends or a limit changes. */
interface CheckSet {
  tenant: TenantEntry;
  checks: Check[];
  validUntil: number;
}

/** The reservation of one admitted request, settled once when it ends. */
export interface Admission {
  requestId: string;
  checks: Check[];
  /** what the request reserved, per check */
  amounts: number[];
  estimate: Estimate;
  /** the deployment the limits chose first (others stay possible fallbacks) */
  deployment: DeploymentEntry | null;
  depTpm: Allowance | null;
  /** OpenAI-style headers for the answer */
  headers: Record<string, string>;
  settled: boolean;
}

type Redis4Limits = Redis & {
  conduitAdmit(numKeys: number, ...args: (string | number)[]): Promise<string[]>;
  conduitFlush(numKeys: number, ...args: (string | number)[]): Promise<number>;
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
 * checked and reserved atomically in Redis, so they hold across any number of
 * gateway replicas.
 *
 * The hot path rarely goes to Redis: when a limit has plenty of room, the
 * admission script also grants this replica an allowance (at most 1/32 of what is
 * left), reserved in Redis exactly like a request, which the replica spends
 * locally on the next requests. Settlements and unused allowances go back in one
 * idempotent batch every few milliseconds; leases are held ≤ 1 s (long enough that
 * a replica serving a few requests a second rarely waits on Redis). Nothing is
 * ever admitted that Redis did not reserve, so limits are never exceeded; near a
 * limit the grants shrink to nothing and every request is checked in Redis, and
 * its settlement is sent at once.
 */
export class Limiter {
  private readonly redis: Redis4Limits;
  private readonly member = `r:${randomBytes(6).toString('base64url')}`;
  private readonly seqKey: string;
  private seq = 0;
  private readonly allowances = new Map<string, Allowance>();
  private readonly sets = new WeakMap<KeyEntry, Map<string, CheckSet>>();
  private readonly dirty = new Set<Allowance>();
  private readonly leased = new Set<Allowance>();
  private timer: NodeJS.Timeout | null = null;
  private timerDue = 0;
  private flushing: Promise<void> | null = null;
  /** a batch whose reply was lost: resent as is (it is applied once) */
  private unsent: { keys: string[]; args: (string | number)[] } | null = null;
  private waiters: (() => void)[] = [];
  private failing = false;
  /** a settlement near a limit on its way to Redis */
  private settling: Promise<void> | null = null;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly global: GlobalLimits,
    private readonly reservationTtlMs: number,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    redis.defineCommand('conduitAdmit', { lua: ADMIT_LUA });
    redis.defineCommand('conduitFlush', { lua: FLUSH_LUA });
    this.redis = redis as Redis4Limits;
    this.seqKey = `${prefix}:rl:flushed:${this.member}`;
  }

  private k(...parts: string[]) {
    return `${this.prefix}:rl:${parts.join(':')}`;
  }

  private allowance(kind: Allowance['kind'], keys: string[], cap: number, expireAt = 0): Allowance {
    let a = this.allowances.get(keys[0]!);
    if (!a) {
      a = new Allowance(kind, keys, cap, expireAt);
      this.allowances.set(keys[0]!, a);
    } else if (a.cap !== cap) {
      // the limit changed: give back what was leased under the old one
      a.cap = cap;
      this.drain(a);
    }
    return a;
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

  /** The checks of this key × model, cached per key entry (a changed key, tenant or period builds them again). */
  private checkSet(key: KeyEntry, tenant: TenantEntry, model: ModelEntry, now: number): CheckSet {
    let byModel = this.sets.get(key);
    const cached = byModel?.get(model.name);
    if (cached && cached.tenant === tenant && now < cached.validUntil) return cached;
    const checks: Check[] = [];
    for (const s of this.rateScopes(key, tenant, model)) {
      if (s.rpm) checks.push({ kind: 'B', scope: s.scope, what: 'requests', cap: s.rpm, resetAt: 0, allowance: this.allowance('B', [this.k(s.scope, s.id, 'rpm')], s.rpm) });
      if (s.tpm) checks.push({ kind: 'B', scope: s.scope, what: 'tokens', cap: s.tpm, resetAt: 0, allowance: this.allowance('B', [this.k(s.scope, s.id, 'tpm')], s.tpm) });
      if (s.concurrency) {
        const res = this.k(s.scope, s.id, 'inflight', 'res');
        checks.push({ kind: 'C', scope: s.scope, cap: s.concurrency, resetAt: 0, allowance: this.allowance('C', [res, `${res}:exp`], s.concurrency) });
      }
    }
    let validUntil = now + 3_600_000;
    for (const q of tenant.quotas) {
      if (q.apiKeyId !== null && q.apiKeyId !== key.id) continue;
      const at = new Date(now);
      const counter = quotaCounterKey(this.prefix, q.id, q.period, at);
      const resetAt = periodEnd(q.period, at).getTime();
      validUntil = Math.min(validUntil, resetAt);
      const allowance = this.allowance('Q', [counter, `${counter}:reserved`, `${counter}:reserved-until`], q.limitUnits, quotaCounterExpiresAt(q.period, at).getTime());
      checks.push({ kind: 'Q', scope: q.apiKeyId ? 'key' : 'tenant', cap: q.limitUnits, quota: q, resetAt, allowance });
    }
    const set = { tenant, checks, validUntil };
    if (!byModel) this.sets.set(key, (byModel = new Map()));
    byModel.set(model.name, set);
    return set;
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
    const { checks } = this.checkSet(key, tenant, model, now);
    // what the request may use of each limit (a quota's units: requests, tokens, or nano-USD)
    const amounts = checks.map((c) =>
      c.kind === 'B' ? (c.what === 'requests' ? 1 : estimate.tokens) : c.kind === 'C' ? 1 : c.quota!.metric === 'requests' ? 1 : c.quota!.metric === 'tokens' ? estimate.tokens : Math.round(estimate.costNano),
    );
    // deployment capacity (the upstream's own quota) is checked in Redis on every request
    const limited = candidates.some((d) => d.maxRpm || d.maxTpm);
    if (checks.length === 0 && !limited) {
      return { admission: { requestId, checks, amounts, estimate, deployment: null, depTpm: null, headers: {}, settled: true }, candidates };
    }

    // the limits this replica cannot cover from what it holds go to Redis (none: no round trip)
    let must = limited;
    for (let i = 0; !must && i < checks.length; i++) if (checks[i]!.allowance.avail < amounts[i]!) must = true;
    const remote: number[] = [];
    // going anyway: the limits running low (under half their last grant) are topped up too,
    // so that they do not each cost a round trip of their own
    if (must) for (let i = 0; i < checks.length; i++) if (checks[i]!.allowance.avail < Math.max(amounts[i]!, checks[i]!.allowance.granted / 2)) remote.push(i);
    if (!must) {
      for (let i = 0; i < checks.length; i++) {
        const a = checks[i]!.allowance;
        a.avail -= amounts[i]!;
        a.spent += amounts[i]!;
      }
      return { admission: { requestId, checks, amounts, estimate, deployment: null, depTpm: null, headers: this.headers(checks), settled: false }, candidates };
    }
    // the others are taken from local allowances now, and given back if Redis refuses
    let r = 0;
    for (let i = 0; i < checks.length; i++) {
      if (remote[r] === i) r++;
      else checks[i]!.allowance.avail -= amounts[i]!;
    }
    const giveBackLocal = () => {
      let j = 0;
      for (let i = 0; i < checks.length; i++) {
        if (remote[j] === i) j++;
        else this.giveBack(checks[i]!.allowance, amounts[i]!);
      }
    };

    const keys: string[] = [];
    const args: (string | number)[] = [this.member, this.reservationTtlMs];
    const asked: boolean[] = [];
    for (const i of remote) {
      const c = checks[i]!;
      const a = c.allowance;
      // one lease request at a time per limit (the others reserve just themselves)
      const want = a.leasePending ? 0 : this.want(a, amounts[i]!, now);
      asked.push(want > 0);
      if (want > 0) a.leasePending = true;
      keys.push(...a.keys);
      if (c.kind === 'B') args.push('B', c.cap, WINDOW_MS, amounts[i]!, want);
      else if (c.kind === 'C') args.push('C', c.cap, want);
      else args.push('Q', c.cap, amounts[i]!, c.resetAt, want);
    }
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

    let reply: string[];
    try {
      if (this.settling) await this.settling;
      reply = await this.redis.conduitAdmit(keys.length, ...keys, ...args);
    } catch (err) {
      giveBackLocal();
      throw err;
    } finally {
      remote.forEach((i, j) => {
        if (asked[j]) checks[i]!.allowance.leasePending = false;
      });
    }
    const ok = Number(reply[0]) === 1;
    const failed = Number(reply[1]);
    const retryAfterMs = Number(reply[2]);
    const chosen = Number(reply[3]);
    const remaining: (number | undefined)[] = [];
    remote.forEach((i, j) => (remaining[i] = Number(reply[5 + j * 4])));
    if (!ok) {
      giveBackLocal();
      const headers = this.headers(checks, remaining);
      throw this.refusal(checks, amounts, failed > 0 ? remote[failed - 1]! + 1 : failed, retryAfterMs, estimate, headers, now);
    }
    const at = Date.now();
    for (let i = 0; i < checks.length; i++) checks[i]!.allowance.spent += amounts[i]!;
    remote.forEach((i, j) => {
      const a = checks[i]!.allowance;
      a.remaining = remaining[i]!;
      if (!asked[j]) return;
      const granted = Number(reply[7 + j * 4]);
      a.granted = granted;
      if (granted > 0) {
        a.avail += granted;
        a.leasedAt = at;
        this.leased.add(a);
        this.schedule(LEASE_MS);
      }
    });

    let ordered = candidates;
    let deployment: DeploymentEntry | null = null;
    if (limited && chosen > 0) {
      deployment = candidates[chosen - 1]!;
      ordered = [deployment, ...candidates.filter((d) => d !== deployment)];
    }
    const depTpm = deployment?.maxTpm ? this.allowance('B', [this.k('deployment', deployment.id, 'tpm')], deployment.maxTpm) : null;
    return { admission: { requestId, checks, amounts, estimate, deployment, depTpm, headers: this.headers(checks, remaining), settled: false }, candidates: ordered };
  }

  /** The allowance to ask for with a request that goes to Redis: about a lease period of recent use. */
  private want(a: Allowance, amount: number, now: number): number {
    const elapsed = Math.max(1, now - a.spentSince);
    const rate = a.spent / elapsed;
    a.spent = 0;
    a.spentSince = now;
    return Math.ceil(Math.max(amount * 16, rate * LEASE_MS * 2));
  }

  /**
   * x-ratelimit-* for the tightest requests and tokens limits that apply. What is
   * left counts what this replica holds; `fromRedis` has Redis's figures for the
   * limits the request was checked against there.
   */
  private headers(checks: Check[], fromRedis: (number | undefined)[] = []): Record<string, string> {
    const h: Record<string, string> = {};
    for (const what of ['requests', 'tokens'] as const) {
      let best = -1;
      let bestRemaining = 0;
      for (let i = 0; i < checks.length; i++) {
        const c = checks[i]!;
        if (c.kind !== 'B' || c.what !== what) continue;
        const remaining = Math.min(c.cap, Math.max(0, Math.floor((fromRedis[i] ?? c.allowance.remaining) + c.allowance.avail)));
        if (best < 0 || remaining < bestRemaining) {
          best = i;
          bestRemaining = remaining;
        }
      }
      if (best < 0) continue;
      const cap = checks[best]!.cap;
      h[`x-ratelimit-limit-${what}`] = String(cap);
      h[`x-ratelimit-remaining-${what}`] = String(bestRemaining);
      h[`x-ratelimit-reset-${what}`] = formatReset(Math.ceil(((cap - bestRemaining) * WINDOW_MS) / cap));
    }
    return h;
  }

  private refusal(checks: Check[], amounts: number[], failed: number, retryAfterMs: number, estimate: Estimate, headers: Record<string, string>, now: number): GatewayError {
    const retryHeaders = (ms: number) => ({ ...headers, 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))), 'retry-after-ms': String(Math.max(0, Math.ceil(ms))) });
    if (failed === -1) {
      return new GatewayError('deployment_capacity_exceeded', `Every deployment of this model is at its upstream capacity right now. Retry in ${Math.ceil(retryAfterMs / 1000)} s.`, {
        param: 'deployment',
        headers: retryHeaders(retryAfterMs),
      });
    }
    const c = checks[failed - 1]!;
    if (c.kind === 'Q') {
      const q = c.quota!;
      const amount = amounts[failed - 1]!;
      const resets = new Date(c.resetAt).toISOString();
      const limit = q.metric === 'cost' ? `$${q.limit} in cost` : `${q.limit} ${q.metric}`;
      const scope = q.apiKeyId ? 'this API key' : 'the tenant';
      return new GatewayError(
        'insufficient_quota',
        `The ${PERIOD_ADJECTIVE[q.period]} quota of ${limit} for ${scope} is used up (this request needs room for about ${q.metric === 'cost' ? '$' + nanoToUsd(amount) : amount + ' ' + q.metric}). It resets at ${resets}; ask an admin for an increase in the developer portal.`,
        { param: q.apiKeyId ? 'key' : 'tenant', headers: { ...headers, 'retry-after': String(Math.max(1, Math.ceil((c.resetAt - now) / 1000))) } },
      );
    }
    if (c.kind === 'C') {
      return new GatewayError('concurrent_requests_exceeded', `Too many requests in flight for ${SCOPE_NAME[c.scope]} (limit ${c.cap} at once). Retry when one finishes.`, {
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

  /**
   * Releases in-flight slots, corrects token buckets to the actual usage and settles
   * quotas — once per admission. The work is batched; the promise resolves when the
   * batch carrying it has been applied (or has failed and will be retried).
   */
  settle(a: Admission, actual: { promptTokens: number; completionTokens: number; costUsd: string }): Promise<void> {
    if (a.settled) return Promise.resolve();
    a.settled = true;
    const tokens = actual.promptTokens + actual.completionTokens;
    let prompt = false;
    for (let i = 0; i < a.checks.length; i++) {
      const c = a.checks[i]!;
      const al = c.allowance;
      if (c.kind === 'B') {
        if (c.what !== 'tokens') continue;
        al.release += a.amounts[i]! - tokens;
      } else {
        al.release += a.amounts[i]!;
        if (c.kind === 'Q') al.settled += quotaUsageUnits(c.quota!.metric, actual);
      }
      this.dirty.add(al);
      if (al.granted === 0) prompt = true;
    }
    if (a.depTpm) {
      a.depTpm.release += a.estimate.tokens - tokens;
      this.dirty.add(a.depTpm);
      prompt = true;
    }
    if (!this.dirty.size) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (prompt) {
      // near a limit (nothing leased) the next request may need this room: send it now,
      // and let admissions that go to Redis wait for it
      const settling = (this.settling = this.flush().then(() => {
        if (this.settling === settling) this.settling = null;
      }));
    } else {
      this.schedule(SETTLE_BATCH_MS);
    }
    return done;
  }

  /** Returns units taken from an allowance: to it while its lease runs, else to Redis. */
  private giveBack(a: Allowance, amount: number) {
    if (this.leased.has(a)) {
      a.avail += amount;
      return;
    }
    a.release += amount;
    this.dirty.add(a);
    this.schedule(SETTLE_BATCH_MS);
  }

  /** Gives back what the allowance holds unused (at the next flush). */
  private drain(a: Allowance) {
    if (a.avail === 0) return;
    a.release += a.avail;
    a.avail = 0;
    a.granted = 0;
    this.leased.delete(a);
    this.dirty.add(a);
  }

  private schedule(delayMs: number) {
    const due = Date.now() + delayMs;
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      // expired leases stop being spent now, even if Redis is slow to take them back
      const now = Date.now();
      let next = Infinity;
      for (const a of this.leased) {
        if (now - a.leasedAt >= LEASE_MS) this.drain(a);
        else next = Math.min(next, a.leasedAt + LEASE_MS - now);
      }
      if (next < Infinity) this.schedule(next);
      void this.flush();
    }, delayMs);
    this.timer.unref();
  }

  /** Sends the pending settlements and expired leases in one script call; one batch at a time. */
  flush(): Promise<void> {
    if (this.flushing) {
      // a batch is on its way: go again right after it
      return this.flushing.then(() => this.flush());
    }
    this.flushing = this.send().finally(() => {
      this.flushing = null;
      if (this.dirty.size || this.unsent) this.schedule(this.unsent ? 500 : 0);
    });
    return this.flushing;
  }

  private async send(): Promise<void> {
    const waiters = this.waiters;
    this.waiters = [];
    try {
      if (this.unsent) {
        await this.redis.conduitFlush(this.unsent.keys.length, ...this.unsent.keys, ...this.unsent.args);
        this.unsent = null;
        this.recovered();
      }
      if (!this.dirty.size) return;
      const keys = [this.seqKey];
      const args: (string | number)[] = [++this.seq, this.member, this.reservationTtlMs];
      for (const a of this.dirty) {
        if (a.kind === 'B') {
          if (a.release !== 0) {
            keys.push(a.keys[0]!);
            args.push('B', a.release, a.cap, WINDOW_MS);
          }
        } else if (a.kind === 'C') {
          keys.push(a.keys[0]!, a.keys[1]!);
          args.push('R', a.release);
        } else {
          keys.push(...a.keys);
          args.push('Q', a.release, a.settled, a.expireAt);
        }
        a.release = 0;
        a.settled = 0;
      }
      this.dirty.clear();
      this.unsent = { keys, args };
      await this.redis.conduitFlush(keys.length, ...keys, ...args);
      this.unsent = null;
      this.recovered();
    } catch (err) {
      // once per outage: the batch is kept and retried every 500 ms
      if (!this.failing) this.warn(`settling rate limits and budgets failed, retrying: ${(err as Error).message}`);
      this.failing = true;
    } finally {
      for (const w of waiters) w();
      // forget limits nobody used for a while
      if (this.allowances.size > 10_000) {
        for (const [k, a] of this.allowances) if (!this.dirty.has(a) && !this.leased.has(a)) this.allowances.delete(k);
      }
    }
  }

  private recovered() {
    if (this.failing) this.warn('settling rate limits and budgets works again; the pending batches were sent');
    this.failing = false;
  }

  /** Gives back every allowance and sends what is pending (shutdown). */
  async close(timeoutMs = 2_000): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const a of [...this.leased]) this.drain(a);
    const done = (async () => {
      await this.flush();
      if (this.unsent || this.dirty.size) await this.flush();
    })();
    await Promise.race([done, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
