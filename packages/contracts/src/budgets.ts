/**
 * Shared arithmetic of quotas and budgets, used by the gateway (reserve/settle in
 * Redis) and the worker (rebuild and reconcile counters from PostgreSQL).
 */
export type QuotaPeriod = 'day' | 'week' | 'month';
export type QuotaMetric = 'requests' | 'tokens' | 'cost';

/** Cost counters hold integer nano-USD (1e-9 USD) so Redis can add them exactly. */
export const NANO_USD_PER_USD = 1_000_000_000;

export function usdToNano(usd: string | number): number {
  const s = typeof usd === 'string' ? usd : String(usd);
  const dot = s.indexOf('.');
  if (dot === -1) return Number(s) * NANO_USD_PER_USD;
  const next = s.indexOf('.', dot + 1);
  const frac = next === -1 ? s.slice(dot + 1) : s.slice(dot + 1, next);
  return Number(s.slice(0, dot)) * NANO_USD_PER_USD + Number(frac.length >= 9 ? frac.slice(0, 9) : frac + '000000000'.slice(frac.length));
}

export function nanoToUsd(nano: number): string {
  const sign = nano < 0 ? '-' : '';
  const abs = Math.abs(Math.round(nano));
  const whole = Math.floor(abs / NANO_USD_PER_USD);
  const frac = String(abs % NANO_USD_PER_USD).padStart(9, '0').replace(/0+$/, '');
  return `${sign}${whole}${frac ? '.' + frac : ''}`;
}

/** Start of the calendar period (UTC) containing `at`; weeks start on Monday. */
export function periodStart(period: QuotaPeriod, at: Date = new Date()): Date {
  return new Date(periodStartMs(period, at));
}

const DAY_MS = 86_400_000;

/** Per period, the last UTC day asked about and what it gave: every request of a day asks the same. */
interface DayMemo {
  day: number;
  startMs: number;
  endMs: number;
  /** YYYY-MM-DD of the period start, once asked for */
  label: string | undefined;
}
const memo: Record<QuotaPeriod, DayMemo | undefined> = { day: undefined, week: undefined, month: undefined };

function dayMemo(period: QuotaPeriod, at: Date): DayMemo | undefined {
  const t = at.getTime();
  if (!Number.isFinite(t)) return undefined;
  const day = Math.floor(t / DAY_MS);
  let m = memo[period];
  if (m === undefined || m.day !== day) {
    const start = computePeriodStart(period, at);
    memo[period] = m = { day, startMs: start.getTime(), endMs: computePeriodEnd(period, start).getTime(), label: undefined };
  }
  return m;
}

function periodStartMs(period: QuotaPeriod, at: Date): number {
  return dayMemo(period, at)?.startMs ?? computePeriodStart(period, at).getTime();
}

function computePeriodStart(period: QuotaPeriod, at: Date): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  if (period === 'day') return new Date(Date.UTC(y, m, d));
  if (period === 'month') return new Date(Date.UTC(y, m, 1));
  const dow = (at.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(Date.UTC(y, m, d - dow));
}

/** Start of the next period: when a quota resets. */
export function periodEnd(period: QuotaPeriod, at: Date = new Date()): Date {
  const m = dayMemo(period, at);
  return m !== undefined ? new Date(m.endMs) : computePeriodEnd(period, computePeriodStart(period, at));
}

function computePeriodEnd(period: QuotaPeriod, s: Date): Date {
  if (period === 'day') return new Date(s.getTime() + 86_400_000);
  if (period === 'week') return new Date(s.getTime() + 7 * 86_400_000);
  return new Date(Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, 1));
}

/**
 * Redis key of a quota's usage counter for one period (prefix is REDIS_PREFIX).
 *
 * Who touches which key:
 * - `quotaCounterKey(...)` = `<prefix>:quota:<quotaId>:<YYYY-MM-DD of period start>`
 *   holds the **settled** usage of the period as an integer in the quota's units
 *   (see `quotaUsageUnits`). The gateway INCRBYs it when it settles a request; the
 *   worker (job `budget-reconcile`, on start and every BUDGET_RECONCILE_EVERY_MS)
 *   recomputes the period's usage from PostgreSQL rollups and raises the counter to
 *   that value when it is lower (Redis lost it, a settle went missing). It never
 *   lowers it: usage the gateway settled may still be in the queue, not yet in
 *   PostgreSQL. The worker sets the key's expiry to `quotaCounterExpiresAt(...)`
 *   when it writes it. Cost: the worker truncates the period's exact total to whole
 *   nano-USD once, so when requests cost fractions of a nano-USD (usdToNano
 *   truncates each one) the rebuilt counter may be ahead by < 1 nano-USD per request.
 * - The gateway's in-flight reservations live in keys the gateway owns (not
 *   `quotaCounterKey`); the worker never reads or writes them.
 */
export function quotaCounterKey(prefix: string, quotaId: string, period: QuotaPeriod, at: Date = new Date()): string {
  const m = dayMemo(period, at);
  const label = m !== undefined ? (m.label ??= new Date(m.startMs).toISOString().slice(0, 10)) : computePeriodStart(period, at).toISOString().slice(0, 10);
  return `${prefix ? prefix + ':' : ''}quota:${quotaId}:${label}`;
}

/** When a period's counter may expire: a day after the period ends (late settles still land). */
export function quotaCounterExpiresAt(period: QuotaPeriod, at: Date = new Date()): Date {
  const m = dayMemo(period, at);
  return new Date((m !== undefined ? m.endMs : periodEnd(period, at).getTime()) + 86_400_000);
}

/**
 * What one request adds to a quota, in the counter's integer units: `requests`
 * counts every request that produced a usage event (errors included), `tokens`
 * counts prompt + completion tokens, `cost` counts nano-USD. The gateway settles
 * with this and the worker rebuilds counters with the same definition.
 */
export function quotaUsageUnits(
  metric: QuotaMetric,
  usage: { promptTokens: number; completionTokens: number; costUsd: string | number },
): number {
  if (metric === 'requests') return 1;
  if (metric === 'tokens') return usage.promptTokens + usage.completionTokens;
  return usdToNano(usage.costUsd);
}
