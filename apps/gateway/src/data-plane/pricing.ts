import type { Usage } from '@conduit/providers';
import { type DeploymentEntry, type ModelEntry, priceAt } from './catalogue.js';

export interface UsageFigures {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  costUsd: string;
}

/** Tokens as reported (cached and reasoning included) and their cost at the price in force. */
export function usageFigures(usage: Usage | undefined | null, model: ModelEntry, deployment: DeploymentEntry | null, at: number): UsageFigures {
  const promptTokens = usage?.prompt_tokens ?? 0;
  const completionTokens = usage?.completion_tokens ?? 0;
  const cachedTokens = Math.min(usage?.prompt_tokens_details?.cached_tokens ?? 0, promptTokens);
  const reasoningTokens = usage?.completion_tokens_details?.reasoning_tokens ?? 0;
  const price = priceAt(model, deployment ?? undefined, at);
  let cost = 0;
  if (price) cost = ((promptTokens - cachedTokens) * price.input + cachedTokens * price.cachedInput + completionTokens * price.output) / 1_000_000;
  return { promptTokens, completionTokens, cachedTokens, reasoningTokens, costUsd: formatUsd(cost) };
}

/** A decimal string with at most 10 decimals, no exponent. */
export function formatUsd(n: number): string {
  if (!(n > 0)) return '0';
  return n.toFixed(10).replace(/\.?0+$/, '');
}
