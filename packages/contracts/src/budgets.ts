/**
 * Shared arithmetic of quotas and budgets, used by the gateway (reserve/settle in
 * Redis) and the worker (rebuild and reconcile counters from PostgreSQL).
 */
export type QuotaPeriod = 'day' | 'week' | 'month';
export type QuotaMetric = 'requests' | 'tokens' | 'cost';

/** Cost counters hold integer nano-USD (1e-9 USD) so Redis can add them exactly. */
export const NANO_USD_PER_USD = 1_000_000_000;

export function usdToNano(usd: string | number): number {
  const [whole, frac = ''] = String(usd).split('.');
  return Number(whole) * NANO_USD_PER_USD + Number((frac + '000000000').slice(0, 9));
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
  const s = periodStart(period, at);
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
  return `${prefix ? prefix + ':' : ''}quota:${quotaId}:${periodStart(period, at).toISOString().slice(0, 10)}`;
}

/** When a period's counter may expire: a day after the period ends (late settles still land). */
export function quotaCounterExpiresAt(period: QuotaPeriod, at: Date = new Date()): Date {
  return new Date(periodEnd(period, at).getTime() + 86_400_000);
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
