import { z } from 'zod';

export const TENANT_PLANS = ['free', 'basic', 'pro', 'enterprise'] as const;
export type TenantPlan = (typeof TENANT_PLANS)[number];
export const MEMBER_ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export interface RateLimits {
  /** requests per minute */
  rpm: number | null;
  /** tokens per minute */
  tpm: number | null;
  /** in-flight requests */
  concurrency: number | null;
}

/** Default limits per plan; a tenant's `limits` and a key's `limits` override them. null = unlimited. */
export const PLAN_LIMITS: Record<TenantPlan, RateLimits> = {
  free: { rpm: 60, tpm: 40_000, concurrency: 5 },
  basic: { rpm: 600, tpm: 400_000, concurrency: 20 },
  pro: { rpm: 3_000, tpm: 2_000_000, concurrency: 100 },
  enterprise: { rpm: null, tpm: null, concurrency: null },
};

export const rateLimitsSchema = z.object({
  rpm: z.number().int().positive().nullable().optional(),
  tpm: z.number().int().positive().nullable().optional(),
  concurrency: z.number().int().positive().nullable().optional(),
  maxCostPerRequestUsd: z.number().positive().nullable().optional(),
});

/** A tenant's limits: overall, and per model (public name) for tenant × model limits. */
export const tenantRateLimitsSchema = rateLimitsSchema.extend({
  models: z
    .record(
      z.string().min(1),
      z.object({ rpm: z.number().int().positive().nullable().optional(), tpm: z.number().int().positive().nullable().optional() }).strict(),
    )
    .optional(),
});
export type TenantRateLimits = z.output<typeof tenantRateLimitsSchema>;

/** A tenant's policy. Every field has a default, so `{}` is a valid policy. */
export const tenantSettingsSchema = z.object({
  cache: z
    .object({
      enabled: z.boolean().default(true),
      ttlSeconds: z.number().int().positive().default(3600),
      /** per-model TTL overrides, by public model name */
      modelTtlSeconds: z.record(z.string(), z.number().int().positive()).default({}),
      /** entries kept per tenant; the oldest are evicted past this */
      maxEntries: z.number().int().positive().default(10_000),
    })
    .default({ enabled: true, ttlSeconds: 3600, modelTtlSeconds: {}, maxEntries: 10_000 }),
  /** days request logs are kept */
  retentionDays: z.number().int().min(1).max(3650).default(90),
  /** store prompt and response bodies in the request log (redacted) */
  logBodies: z.boolean().default(false),
  /** what to do when Redis is unreachable: serve now and reconcile later, or refuse with 503 */
  redisFailMode: z.enum(['open', 'closed']).default('open'),
  /** browser origins allowed to call the data plane with this tenant's keys */
  corsOrigins: z.array(z.string()).default([]),
  /** new API keys need an admin's approval */
  requireKeyApproval: z.boolean().default(false),
  /** guardrail policy (see the guardrails module) */
  guardrails: z.record(z.string(), z.unknown()).default({}),
});
export type TenantSettings = z.output<typeof tenantSettingsSchema>;
