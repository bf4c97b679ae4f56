import { usdToNano } from '@conduit/contracts';
import { describe, expect, it } from 'vitest';
import { formatUsd, usdToNanoRounded } from './pricing.js';

describe('usdToNanoRounded', () => {
  it('gives exactly what formatting to a USD string and parsing it back gives', () => {
    const values = [0, -1, 1e-12, 4.9e-11, 5e-11, 1.5e-10, 0.000001234567891, 0.15, 1 / 3, 2 / 3, 12.3456789012, 99_999.999999999];
    for (let i = 0; i < 5_000; i++) values.push(Math.random() * 10 ** (Math.floor(Math.random() * 8) - 6));
    for (const usd of values) expect(usdToNanoRounded(usd), String(usd)).toBe(usdToNano(formatUsd(usd)));
  });
});
