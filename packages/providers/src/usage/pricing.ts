/**
 * Versioned prices: each entry is effective from a date, and a request is
 * billed with the entry in force at its time. Prices are USD per million
 * tokens: input (uncached), cached input (cache reads), cache writes, output
 * (reasoning tokens are output tokens, as every provider bills them).
 */
import type { Usage } from '../core/types';

export interface ModelPrice {
  /** Provider id (registry key), or `*` for any provider serving the model. */
  provider: string;
  /** Model id; a trailing `*` makes it a prefix (`gpt-4o-2024-*`). */
  model: string;
  /** ISO date or date-time from which this price applies (inclusive). */
  effectiveFrom: string;
  inputPerMTok: number;
  outputPerMTok: number;
  /** Cache reads; defaults to `inputPerMTok`. */
  cachedInputPerMTok?: number;
  /** Cache writes (Anthropic, Bedrock); defaults to `inputPerMTok`. */
  cacheWritePerMTok?: number;
}

export interface Cost {
  /** Uncached input. */
  input: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
  total: number;
  currency: 'USD';
}

const round = (n: number): number => Math.round(n * 1e10) / 1e10;

/** Cost of one request's usage at one price. */
export function computeCost(usage: Usage, price: ModelPrice): Cost {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const written = usage.prompt_tokens_details?.cache_write_tokens ?? 0;
  const uncached = Math.max(0, usage.prompt_tokens - cached - written);
  const input = (uncached * price.inputPerMTok) / 1e6;
  const cachedInput = (cached * (price.cachedInputPerMTok ?? price.inputPerMTok)) / 1e6;
  const cacheWrite = (written * (price.cacheWritePerMTok ?? price.inputPerMTok)) / 1e6;
  const output = (usage.completion_tokens * price.outputPerMTok) / 1e6;
  return {
    input: round(input),
    cachedInput: round(cachedInput),
    cacheWrite: round(cacheWrite),
    output: round(output),
    total: round(input + cachedInput + cacheWrite + output),
    currency: 'USD',
  };
}

interface Versions {
  /** Sorted by effectiveFrom, newest first. */
  entries: Array<{ from: number; price: ModelPrice }>;
}

/**
 * Lookup structure over a list of prices. Exact model ids win over prefixes
 * (longest prefix first), a provider-specific entry over `*`. Build it once
 * (e.g. when the admin changes prices) and query it on the hot path.
 */
export class PriceTable {
  private readonly exact = new Map<string, Versions>();
  private readonly prefixes: Array<{ provider: string; prefix: string; versions: Versions }> = [];

  constructor(prices: readonly ModelPrice[]) {
    for (const p of prices) {
      const from = Date.parse(p.effectiveFrom);
      if (Number.isNaN(from)) throw new Error(`price for ${p.provider}/${p.model} has an invalid effectiveFrom "${p.effectiveFrom}"`);
      let versions: Versions;
      if (p.model.endsWith('*')) {
        const prefix = p.model.slice(0, -1);
        let found = this.prefixes.find((x) => x.provider === p.provider && x.prefix === prefix);
        if (found === undefined) {
          found = { provider: p.provider, prefix, versions: { entries: [] } };
          this.prefixes.push(found);
        }
        versions = found.versions;
      } else {
        const key = `${p.provider}\u0000${p.model}`;
        versions = this.exact.get(key) ?? { entries: [] };
        this.exact.set(key, versions);
      }
      versions.entries.push({ from, price: p });
    }
    for (const v of this.exact.values()) v.entries.sort((a, b) => b.from - a.from);
    for (const x of this.prefixes) x.versions.entries.sort((a, b) => b.from - a.from);
    this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length || (a.provider === '*' ? 1 : 0) - (b.provider === '*' ? 1 : 0));
  }

  /** The price in force for `provider`/`model` at `at` (default now), if any. */
  find(provider: string, model: string, at: Date | number = Date.now()): ModelPrice | undefined {
    const t = typeof at === 'number' ? at : at.getTime();
    return (
      pick(this.exact.get(`${provider}\u0000${model}`), t) ??
      pick(this.exact.get(`*\u0000${model}`), t) ??
      this.findPrefix(provider, model, t)
    );
  }

  private findPrefix(provider: string, model: string, t: number): ModelPrice | undefined {
    for (const x of this.prefixes) {
      if ((x.provider === provider || x.provider === '*') && model.startsWith(x.prefix)) {
        const p = pick(x.versions, t);
        if (p !== undefined) return p;
      }
    }
    return undefined;
  }

  /** Cost of a request, or undefined when no price is known for the model at that time. */
  cost(provider: string, model: string, usage: Usage, at?: Date | number): Cost | undefined {
    const price = this.find(provider, model, at);
    return price === undefined ? undefined : computeCost(usage, price);
  }
}

function pick(v: Versions | undefined, t: number): ModelPrice | undefined {
  if (v === undefined) return undefined;
  for (const e of v.entries) if (e.from <= t) return e.price;
  return undefined;
}

/**
 * Starter prices (USD per 1M tokens, public list prices as published by the
 * providers). The gateway seeds its editable price table from these; admins
 * keep them current by adding entries with a later `effectiveFrom`.
 */
export const defaultPrices: readonly ModelPrice[] = [
  { provider: 'openai', model: 'gpt-4o', effectiveFrom: '2024-10-01', inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10 },
  { provider: 'openai', model: 'gpt-4o-mini', effectiveFrom: '2024-07-18', inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6 },
  { provider: 'openai', model: 'gpt-4.1', effectiveFrom: '2025-04-14', inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 },
  { provider: 'openai', model: 'gpt-4.1-mini', effectiveFrom: '2025-04-14', inputPerMTok: 0.4, cachedInputPerMTok: 0.1, outputPerMTok: 1.6 },
  { provider: 'openai', model: 'o3-mini', effectiveFrom: '2025-01-31', inputPerMTok: 1.1, cachedInputPerMTok: 0.55, outputPerMTok: 4.4 },
  { provider: 'openai', model: 'text-embedding-3-small', effectiveFrom: '2024-01-25', inputPerMTok: 0.02, outputPerMTok: 0 },
  { provider: 'openai', model: 'text-embedding-3-large', effectiveFrom: '2024-01-25', inputPerMTok: 0.13, outputPerMTok: 0 },
  { provider: 'anthropic', model: 'claude-sonnet-4-5*', effectiveFrom: '2025-09-29', inputPerMTok: 3, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75, outputPerMTok: 15 },
  { provider: 'anthropic', model: 'claude-3-5-haiku*', effectiveFrom: '2024-11-04', inputPerMTok: 0.8, cachedInputPerMTok: 0.08, cacheWritePerMTok: 1, outputPerMTok: 4 },
  { provider: 'gemini', model: 'gemini-2.5-flash', effectiveFrom: '2025-06-17', inputPerMTok: 0.3, cachedInputPerMTok: 0.075, outputPerMTok: 2.5 },
  { provider: 'gemini', model: 'gemini-2.5-pro', effectiveFrom: '2025-06-17', inputPerMTok: 1.25, cachedInputPerMTok: 0.31, outputPerMTok: 10 },
  { provider: 'mistral', model: 'mistral-small-latest', effectiveFrom: '2025-03-17', inputPerMTok: 0.1, outputPerMTok: 0.3 },
  { provider: 'mistral', model: 'mistral-embed', effectiveFrom: '2024-01-01', inputPerMTok: 0.1, outputPerMTok: 0 },
  { provider: 'bedrock', model: 'anthropic.claude-3-5-sonnet-*', effectiveFrom: '2024-06-20', inputPerMTok: 3, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75, outputPerMTok: 15 },
  { provider: 'ollama', model: '*', effectiveFrom: '2023-01-01', inputPerMTok: 0, outputPerMTok: 0 },
];
