import { PLAN_LIMITS, type RateLimits, type TenantPlan, type TenantSettings, rateLimitsSchema, tenantSettingsSchema } from '@conduit/contracts';
import type { z } from 'zod';
import { obj } from './output.js';

export type LimitOverrides = z.output<typeof rateLimitsSchema>;
export type EffectiveLimits = RateLimits & { maxCostPerRequestUsd: number | null };

/** A tenant's stored limit overrides (ignoring anything malformed). */
export function limitOverrides(json: unknown): LimitOverrides {
  const res = rateLimitsSchema.safeParse(obj(json));
  return res.success ? res.data : {};
}

/** The plan's defaults with the tenant's overrides on top (null = unlimited). */
export function effectiveLimits(plan: TenantPlan, json: unknown): EffectiveLimits {
  const o = limitOverrides(json);
  const base = PLAN_LIMITS[plan];
  const pick = (k: keyof RateLimits) => (o[k] === undefined ? base[k] : o[k]);
  return { rpm: pick('rpm'), tpm: pick('tpm'), concurrency: pick('concurrency'), maxCostPerRequestUsd: o.maxCostPerRequestUsd ?? null };
}

/** A tenant's policy with every default filled in. */
export function tenantSettings(json: unknown): TenantSettings {
  const res = tenantSettingsSchema.safeParse(obj(json));
  return res.success ? res.data : tenantSettingsSchema.parse({});
}

/** Merges a settings patch over the current policy (cache merges one level deep). */
export function mergeSettings(current: TenantSettings, patch: Record<string, unknown>): TenantSettings {
  const cache = patch.cache ? { ...current.cache, ...(patch.cache as object) } : current.cache;
  return tenantSettingsSchema.parse({ ...current, ...patch, cache });
}

/**
 * Fields of `requested` that exceed `ceiling` (null in the ceiling = unlimited;
 * null or absent in the request = inherit, which never exceeds).
 */
export function limitsAbove(requested: LimitOverrides, ceiling: EffectiveLimits): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const k of ['rpm', 'tpm', 'concurrency', 'maxCostPerRequestUsd'] as const) {
    const want = requested[k];
    const max = ceiling[k];
    if (want !== undefined && want !== null && max !== null && want > max) out.push({ field: `limits.${k}`, message: `must be at most the tenant's ${max}` });
  }
  return out;
}
