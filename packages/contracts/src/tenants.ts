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

export const PII_TYPES = ['email', 'phone', 'card', 'iban', 'ip', 'secret'] as const;
export type PiiType = (typeof PII_TYPES)[number];

function compiles(pattern: string, flags: string): boolean {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
}

/** A tenant's own regex rule, checked on the prompt, the answer or both. */
export const guardrailCustomRuleSchema = z
  .object({
    name: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/),
    pattern: z.string().min(1).max(1000),
    /** RegExp flags besides `g` (added): any of i, m, s, u */
    flags: z.string().regex(/^[imsu]*$/).default('i'),
    /** block: refuse (400 guardrail_blocked); flag/log: record it; mask: replace the match */
    action: z.enum(['block', 'flag', 'mask', 'log']).default('flag'),
    appliesTo: z.enum(['input', 'output', 'both']).default('input'),
    /** text that replaces a masked match */
    replacement: z.string().max(100).default('[REDACTED]'),
  })
  .refine((r) => compiles(r.pattern, r.flags), { message: 'pattern is not a valid regular expression', path: ['pattern'] });

/**
 * Guardrails: PII redaction, prompt-injection detection, output checks, custom
 * rules and size limits. Off unless `enabled`; every section has defaults, so
 * `{ enabled: true, pii: { action: 'tokenize' } }` is a complete policy.
 */
export const guardrailsPolicySchema = z.object({
  enabled: z.boolean().default(false),
  pii: z
    .object({
      /** mask: replace with [EMAIL]; tokenize: [EMAIL_1] upstream, the original restored in the answer; block: refuse; log: record only */
      action: z.enum(['off', 'log', 'mask', 'tokenize', 'block']).default('off'),
      types: z.array(z.enum(PII_TYPES)).default([...PII_TYPES]),
    })
    .prefault({}),
  injection: z
    .object({
      /** block: refuse with 400 guardrail_blocked; flag: serve, mark the log and the x-conduit-guardrails header; log: record only */
      action: z.enum(['off', 'log', 'flag', 'block']).default('off'),
      /** score (0–1) from which the action applies */
      threshold: z.number().min(0).max(1).default(0.7),
    })
    .prefault({}),
  output: z
    .object({
      /** PII and secrets in the model's answer: mask them, block the answer, or record them */
      action: z.enum(['off', 'log', 'mask', 'block']).default('off'),
      types: z.array(z.enum(PII_TYPES)).default([...PII_TYPES]),
    })
    .prefault({}),
  customRules: z.array(guardrailCustomRuleSchema).max(100).default([]),
  /** characters of message text a request may carry (null = no limit) */
  maxRequestChars: z.number().int().positive().nullable().default(null),
  /** characters of text an answer may carry (null = no limit) */
  maxResponseChars: z.number().int().positive().nullable().default(null),
});
export type GuardrailsPolicy = z.output<typeof guardrailsPolicySchema>;
export type GuardrailsPolicyInput = z.input<typeof guardrailsPolicySchema>;

/**
 * A key's override (in the key's `limits.guardrails`): any top-level section given
 * replaces the tenant's section of the same name; sections left out are inherited.
 */
export const guardrailsOverrideSchema = z.object({
  enabled: z.boolean().optional(),
  pii: guardrailsPolicySchema.shape.pii.optional(),
  injection: guardrailsPolicySchema.shape.injection.optional(),
  output: guardrailsPolicySchema.shape.output.optional(),
  customRules: z.array(guardrailCustomRuleSchema).max(100).optional(),
  maxRequestChars: z.number().int().positive().nullable().optional(),
  maxResponseChars: z.number().int().positive().nullable().optional(),
});
export type GuardrailsOverride = z.output<typeof guardrailsOverrideSchema>;

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
  /** guardrail policy (see README "Guardrails and prompts"); off by default */
  guardrails: guardrailsPolicySchema.prefault({}),
});
export type TenantSettings = z.output<typeof tenantSettingsSchema>;
