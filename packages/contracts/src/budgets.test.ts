import { describe, expect, it } from 'vitest';
import { nanoToUsd, periodEnd, periodStart, quotaCounterKey, usdToNano } from './budgets';

describe('budget arithmetic', () => {
  it('converts USD to integer nano-USD and back without float drift', () => {
    expect(usdToNano('0.0000125')).toBe(12_500);
    expect(usdToNano('12.5')).toBe(12_500_000_000);
    expect(usdToNano(3)).toBe(3_000_000_000);
    expect(nanoToUsd(12_500)).toBe('0.0000125');
    expect(nanoToUsd(3_000_000_000)).toBe('3');
    let sum = 0;
    for (let i = 0; i < 1000; i++) sum += usdToNano('0.0000001');
    expect(nanoToUsd(sum)).toBe('0.0001');
  });

  it('computes UTC calendar periods (weeks start on Monday)', () => {
    const at = new Date('2026-11-22T15:30:00Z'); // a Sunday
    expect(periodStart('day', at).toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(periodStart('week', at).toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(periodStart('month', at).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(periodEnd('day', at).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(periodEnd('week', at).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(periodEnd('month', new Date('2026-12-31T23:59:59Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(quotaCounterKey('conduit', 'q1', 'month', at)).toBe('conduit:quota:q1:2026-11-01');
  });
});
