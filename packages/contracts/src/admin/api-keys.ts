import { z } from 'zod';
import { guardrailsOverrideSchema, rateLimitsSchema } from '../tenants';
import { isoDate, jsonObject } from './common';

/** A key's limits (no higher than the tenant's) and, set by tenant admins only, its guardrails override. */
const keyLimitsSchema = rateLimitsSchema.extend({ guardrails: guardrailsOverrideSchema.optional() }).strict();

export const createApiKeyInputSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100),
    /** public model names this key may call; empty = every model the tenant may use */
    allowedModels: z.array(z.string().min(1).max(200)).max(200).default([]),
    /** absolute expiry, or */
    expiresAt: isoDate.optional(),
    /** days from now */
    expiresInDays: z.number().int().min(1).max(3650).optional(),
    /** no higher than the tenant's limits */
    limits: keyLimitsSchema.default({}),
    metadata: jsonObject.default({}),
  })
  .strict()
  .refine((v) => !(v.expiresAt && v.expiresInDays), { message: 'give expiresAt or expiresInDays, not both', path: ['expiresAt'] });
export type CreateApiKeyInput = z.input<typeof createApiKeyInputSchema>;

export const updateApiKeyInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    allowedModels: z.array(z.string().min(1).max(200)).max(200),
    expiresAt: isoDate.nullable(),
    limits: keyLimitsSchema,
    metadata: jsonObject,
  })
  .partial()
  .strict();
export type UpdateApiKeyInput = z.input<typeof updateApiKeyInputSchema>;

export const rotateApiKeyInputSchema = z
  .object({
    /** how long the old secret keeps working (0 = stops at once); at most 30 days */
    gracePeriodSeconds: z.number().int().min(0).max(30 * 86400).default(86400),
  })
  .strict();

export const listApiKeysQuerySchema = z.object({
  status: z.enum(['pending', 'active', 'revoked']).optional(),
  /** only the caller's own keys */
  mine: z.enum(['true', 'false']).optional(),
});

export interface ApiKeyOutput {
  id: string;
  name: string;
  /** e.g. "cdt_3kF9xQ2a": enough to recognise a key, useless to call with */
  prefix: string;
  /** pending (awaiting approval), active, revoked — or expired when active but past expiresAt */
  status: 'pending' | 'active' | 'revoked' | 'expired';
  allowedModels: string[];
  limits: z.output<typeof keyLimitsSchema>;
  metadata: Record<string, unknown>;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  rotatedFromId: string | null;
  rotatedToId: string | null;
  createdBy: { id: string; email: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** The only time the secret is ever shown. */
export interface CreatedApiKeyOutput {
  key: ApiKeyOutput;
  secret: string;
  /** set when the tenant requires approval of new keys: the key works once it is approved */
  accessRequestId: string | null;
}
