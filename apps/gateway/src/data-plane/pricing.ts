import { computeCost, type Usage } from '@conduit/providers';
import { type DeploymentEntry, type ModelEntry, priceAt } from './catalogue.js';

export interface UsageFigures {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  costUsd: string;
}

/** Tokens as reported (cached and reasoning included) and their cost at the catalogue price in force. */
export function usageFigures(usage: Usage | undefined | null, model: ModelEntry, deployment: DeploymentEntry | null, at: number): UsageFigures {
  const promptTokens = usage?.prompt_tokens ?? 0;
  const completionTokens = usage?.completion_tokens ?? 0;
  const price = priceAt(model, deployment ?? undefined, at);
  const cost =
    usage && price
      ? computeCost(usage, { provider: '*', model: model.name, effectiveFrom: '', inputPerMTok: price.input, outputPerMTok: price.output, cachedInputPerMTok: price.cachedInput }).total
      : 0;
  return {
    promptTokens,
    completionTokens,
    cachedTokens: Math.min(usage?.prompt_tokens_details?.cached_tokens ?? 0, promptTokens),
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    costUsd: formatUsd(cost),
  };
}

/** A decimal string with at most 10 decimals, no exponent. */
export function formatUsd(n: number): string {
  if (!(n > 0)) return '0';
  const s = n.toFixed(10);
  // drop trailing zeros, and the point if nothing is left after it
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48 /* 0 */) end--;
  if (end === s.length) return s;
  if (s.charCodeAt(end - 1) === 46 /* . */) end--;
  return s.slice(0, end);
}

/** `usdToNano(formatUsd(usd))` without the string round trip: rounded at 10 decimals, cut at 9. */
export function usdToNanoRounded(usd: number): number {
  return usd > 0 ? Math.floor(Math.round(usd * 1e10) / 10) : 0;
}
