import { z } from 'zod';
import { jsonObject, slugSchema } from './common';

export const PROVIDER_TYPES = ['openai', 'azure_openai', 'anthropic', 'gemini', 'mistral', 'ollama', 'bedrock', 'openai_compatible', 'simulator'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

const baseUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials')
  .transform((v) => v.replace(/\/+$/, ''));

export const credentialInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100).default('default'),
    /** the provider's API key; stored encrypted, never returned */
    secret: z.string().min(1, 'is required').max(10_000),
    /** share of traffic among the provider's active credentials */
    weight: z.number().int().min(1).max(1000).default(1),
  })
  .strict();
export type CredentialInput = z.input<typeof credentialInputSchema>;

export const createProviderInputSchema = z
  .object({
    slug: slugSchema,
    name: z.string().trim().min(1, 'is required').max(200),
    type: z.enum(PROVIDER_TYPES),
    baseUrl: baseUrlSchema,
    /** provider-specific settings: Azure apiVersion, Bedrock region, extra headers */
    config: jsonObject.default({}),
    enabled: z.boolean().default(true),
    credentials: z.array(credentialInputSchema).max(20).default([]),
  })
  .strict();
export type CreateProviderInput = z.input<typeof createProviderInputSchema>;

export const updateProviderInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    baseUrl: baseUrlSchema,
    config: jsonObject,
    enabled: z.boolean(),
  })
  .partial()
  .strict();
export type UpdateProviderInput = z.input<typeof updateProviderInputSchema>;

export const updateCredentialInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    weight: z.number().int().min(1).max(1000),
    /** draining: still valid, receives no new traffic (rotation: add the new one, drain the old, then disable) */
    status: z.enum(['active', 'draining', 'disabled']),
  })
  .partial()
  .strict();

export const testConnectionInputSchema = z
  .object({ credentialId: z.string().optional(), timeoutMs: z.number().int().min(100).max(30_000).default(10_000) })
  .strict();

export interface CredentialOutput {
  id: string;
  name: string;
  /** last four characters of the secret */
  hint: string;
  status: 'active' | 'draining' | 'disabled';
  weight: number;
  /** the encryption key the secret is sealed with */
  keyId: string;
  lastUsedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ProviderOutput {
  id: string;
  slug: string;
  name: string;
  type: ProviderType;
  baseUrl: string;
  config: Record<string, unknown>;
  source: 'env' | 'admin' | 'seed';
  enabled: boolean;
  tenantId: string | null;
  credentials: CredentialOutput[];
  createdAt: string;
  updatedAt: string;
}

export interface TestConnectionOutput {
  ok: boolean;
  /** the upstream's HTTP status, when it answered */
  status: number | null;
  latencyMs: number;
  /** what was called */
  url: string;
  /** models the upstream listed (first 50) */
  models: string[];
  /** the upstream's error message, or why no call was made */
  message: string;
  credentialId: string | null;
}
