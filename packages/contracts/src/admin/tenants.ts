import { z } from 'zod';
import { MEMBER_ROLES, TENANT_PLANS, guardrailsPolicySchema, rateLimitsSchema, tenantRateLimitsSchema, type MemberRole, type RateLimits, type TenantPlan, type TenantSettings } from '../tenants';
import { slugSchema } from './common';

/** Partial tenant settings: only the fields given change (merged over the current policy). */
export const tenantSettingsPatchSchema = z
  .object({
    cache: z.object({ enabled: z.boolean().optional(), ttlSeconds: z.number().int().positive().max(30 * 86400).optional() }).strict(),
    retentionDays: z.number().int().min(1).max(3650),
    logBodies: z.boolean(),
    redisFailMode: z.enum(['open', 'closed']),
    corsOrigins: z.array(z.string().max(300)).max(100),
    requireKeyApproval: z.boolean(),
    /** the whole guardrail policy (replaces the current one; see README "Guardrails and prompts") */
    guardrails: guardrailsPolicySchema,
  })
  .partial()
  .strict();
export type TenantSettingsPatch = z.input<typeof tenantSettingsPatchSchema>;

export const tenantLimitsSchema = tenantRateLimitsSchema.strict();

export const createTenantInputSchema = z
  .object({
    slug: slugSchema,
    name: z.string().trim().min(1, 'is required').max(200),
    plan: z.enum(TENANT_PLANS).default('free'),
    limits: tenantLimitsSchema.default({}),
    settings: tenantSettingsPatchSchema.default({}),
    /** an existing user (by email) or a new one (with a password) who becomes the tenant's owner */
    owner: z
      .object({
        email: z.string().trim().toLowerCase().email('must be an email address'),
        name: z.string().trim().max(200).optional(),
        password: z.string().min(10, 'must be at least 10 characters').max(1024).optional(),
      })
      .optional(),
  })
  .strict();
export type CreateTenantInput = z.input<typeof createTenantInputSchema>;

export const updateTenantInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    plan: z.enum(TENANT_PLANS),
    /** replaces the tenant's limit overrides (null = unlimited, absent = the plan's default) */
    limits: tenantLimitsSchema,
    settings: tenantSettingsPatchSchema,
  })
  .partial()
  .strict();
export type UpdateTenantInput = z.input<typeof updateTenantInputSchema>;

export const suspendTenantInputSchema = z.object({ reason: z.string().trim().max(1000).optional() }).strict();

export interface TenantOutput {
  id: string;
  slug: string;
  name: string;
  plan: TenantPlan;
  status: 'active' | 'suspended';
  /** the tenant's own overrides */
  limits: z.output<typeof rateLimitsSchema>;
  /** what applies: the plan's defaults overridden by the tenant's limits */
  effectiveLimits: RateLimits & { maxCostPerRequestUsd: number | null };
  settings: TenantSettings;
  suspendedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** the caller's role in this tenant (null for a platform admin who is not a member) */
  myRole?: MemberRole | null;
}

export const memberRoleSchema = z.enum(MEMBER_ROLES);
