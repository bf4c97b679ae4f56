import 'server-only';
import { z } from 'zod';
import { adminRequest } from './client';

// Shapes: @conduit/contracts admin/providers.ts.
export const PROVIDER_TYPES = ['openai', 'azure_openai', 'anthropic', 'gemini', 'mistral', 'ollama', 'bedrock', 'openai_compatible', 'simulator'] as const;

const credentialSchema = z.object({
  id: z.string(),
  name: z.string(),
  hint: z.string(),
  status: z.enum(['active', 'draining', 'disabled']),
  weight: z.number(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const providerSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  type: z.string(),
  baseUrl: z.string(),
  source: z.string(),
  enabled: z.boolean(),
  tenantId: z.string().nullable(),
  credentials: z.array(credentialSchema),
  createdAt: z.string(),
});
export type Provider = z.infer<typeof providerSchema>;

const testSchema = z.object({
  ok: z.boolean(),
  status: z.number().nullable(),
  latencyMs: z.number(),
  url: z.string(),
  models: z.array(z.string()),
  message: z.string(),
  credentialId: z.string().nullable(),
});
export type ConnectionTest = z.infer<typeof testSchema>;

const p = (id: string) => `/admin/providers/${encodeURIComponent(id)}`;

export const listProviders = (token: string) => adminRequest({ path: '/admin/providers', accessToken: token, schema: z.array(providerSchema) });

export const createProvider = (
  token: string,
  body: { slug: string; name: string; type: (typeof PROVIDER_TYPES)[number]; baseUrl: string; credentials: { name: string; secret: string }[] },
) => adminRequest({ method: 'POST', path: '/admin/providers', body, accessToken: token, schema: providerSchema });

export const setProviderEnabled = (token: string, id: string, enabled: boolean) =>
  adminRequest({ method: 'PATCH', path: p(id), body: { enabled }, accessToken: token, schema: z.unknown() });

export const addCredential = (token: string, id: string, body: { name: string; secret: string }) =>
  adminRequest({ method: 'POST', path: `${p(id)}/credentials`, body, accessToken: token, schema: z.unknown() });

export const setCredentialStatus = (token: string, id: string, credentialId: string, status: 'active' | 'draining' | 'disabled') =>
  adminRequest({ method: 'PATCH', path: `${p(id)}/credentials/${encodeURIComponent(credentialId)}`, body: { status }, accessToken: token, schema: z.unknown() });

export const testConnection = (token: string, id: string, credentialId?: string) =>
  adminRequest({ method: 'POST', path: `${p(id)}/test`, body: credentialId ? { credentialId } : {}, accessToken: token, schema: testSchema });
