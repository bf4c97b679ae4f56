import { describe, expect, it } from 'vitest';
import { PriceTable, computeCost, defaultPrices } from './pricing';
import type { ModelPrice } from './pricing';

const usage = { prompt_tokens: 1_000_000, completion_tokens: 500_000, total_tokens: 1_500_000, prompt_tokens_details: { cached_tokens: 200_000 } };

describe('computeCost', () => {
  it('bills uncached input, cached input and output separately', () => {
    const price: ModelPrice = { provider: 'openai', model: 'gpt-4o', effectiveFrom: '2024-01-01', inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10 };
    expect(computeCost(usage, price)).toEqual({ input: 2, cachedInput: 0.25, cacheWrite: 0, output: 5, total: 7.25, currency: 'USD' });
  });

  it('bills cache writes at their own rate and defaults cached rates to input', () => {
    const price: ModelPrice = { provider: 'anthropic', model: 'x', effectiveFrom: '2024-01-01', inputPerMTok: 3, cacheWritePerMTok: 3.75, outputPerMTok: 15 };
    const c = computeCost({ prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100, prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 400 } }, price);
    expect(c.input).toBeCloseTo(0.0015, 10); // 500 uncached × 3 / 1M
    expect(c.cachedInput).toBeCloseTo(0.0003, 10); // 100 × 3 / 1M (defaults to input)
    expect(c.cacheWrite).toBeCloseTo(0.0015, 10); // 400 × 3.75 / 1M
    expect(c.output).toBeCloseTo(0.0015, 10);
    expect(c.total).toBeCloseTo(0.0048, 10);
  });
});

describe('PriceTable', () => {
  const table = new PriceTable([
    { provider: 'openai', model: 'gpt-4o', effectiveFrom: '2024-05-13', inputPerMTok: 5, outputPerMTok: 15 },
    { provider: 'openai', model: 'gpt-4o', effectiveFrom: '2024-10-01', inputPerMTok: 2.5, outputPerMTok: 10 },
    { provider: '*', model: 'llama-3*', effectiveFrom: '2024-01-01', inputPerMTok: 0.2, outputPerMTok: 0.2 },
    { provider: 'together', model: 'llama-3.1*', effectiveFrom: '2024-01-01', inputPerMTok: 0.18, outputPerMTok: 0.18 },
  ]);

  it('picks the price in force at the request time', () => {
    expect(table.find('openai', 'gpt-4o', new Date('2024-06-01'))!.inputPerMTok).toBe(5);
    expect(table.find('openai', 'gpt-4o', new Date('2024-10-01T00:00:00Z'))!.inputPerMTok).toBe(2.5);
    expect(table.find('openai', 'gpt-4o', new Date('2026-01-01'))!.inputPerMTok).toBe(2.5);
    expect(table.find('openai', 'gpt-4o', new Date('2023-01-01'))).toBeUndefined();
  });

  it('prefers the longest prefix and a provider-specific entry', () => {
    expect(table.find('together', 'llama-3.1-70b')!.inputPerMTok).toBe(0.18);
    expect(table.find('groq', 'llama-3.1-70b')!.inputPerMTok).toBe(0.2);
    expect(table.find('groq', 'mixtral')).toBeUndefined();
  });

  it('computes a request cost, or undefined for an unknown model', () => {
    expect(table.cost('openai', 'gpt-4o', { prompt_tokens: 1000, completion_tokens: 1000, total_tokens: 2000 }, new Date('2025-01-01'))!.total).toBeCloseTo(0.0125, 10);
    expect(table.cost('openai', 'unknown', { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 })).toBeUndefined();
  });

  it('loads the default price list', () => {
    const defaults = new PriceTable(defaultPrices);
    expect(defaults.find('anthropic', 'claude-sonnet-4-5-20250929')!.outputPerMTok).toBe(15);
    expect(defaults.find('ollama', 'llama3.2')!.inputPerMTok).toBe(0);
  });

  it('rejects an invalid date', () => {
    expect(() => new PriceTable([{ provider: 'x', model: 'y', effectiveFrom: 'soon', inputPerMTok: 1, outputPerMTok: 1 }])).toThrow(/effectiveFrom/);
  });
});
