import 'server-only';
import { z } from 'zod';
import { adminRequest } from './client';

// What the dashboard reads from the keys, catalogue and approvals endpoints
// (shapes: @conduit/contracts admin/api-keys.ts, catalogue.ts, approvals.ts).

const who = z.object({ id: z.string(), email: z.string() });

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  status: z.enum(['pending', 'active', 'revoked', 'expired']),
  allowedModels: z.array(z.string()),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  rotatedFromId: z.string().nullable(),
  rotatedToId: z.string().nullable(),
  createdBy: who.nullable(),
  createdAt: z.string(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

const createdKeySchema = z.object({ key: apiKeySchema, secret: z.string(), accessRequestId: z.string().nullable() });
export type CreatedKey = z.infer<typeof createdKeySchema>;

export const tenantModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string(),
  description: z.string(),
  kind: z.string(),
  contextWindow: z.number().nullable(),
  requiresApproval: z.boolean(),
  access: z.enum(['available', 'granted', 'requires_approval', 'pending']),
  price: z.object({ inputPerMTokUsd: z.string(), outputPerMTokUsd: z.string(), cachedInputPerMTokUsd: z.string() }).nullable(),
});
export type TenantModel = z.infer<typeof tenantModelSchema>;

export const accessRequestSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  type: z.enum(['model_access', 'quota_increase', 'key_approval']),
  status: z.enum(['pending', 'approved', 'rejected', 'cancelled']),
  requester: who,
  model: z.object({ id: z.string(), name: z.string(), approvalPolicy: z.string() }).nullable(),
  apiKeyId: z.string().nullable(),
  quotaId: z.string().nullable(),
  requested: z.record(z.string(), z.unknown()),
  reason: z.string(),
  reviewableBy: z.enum(['tenant_admin', 'platform_admin']),
  reviewer: who.nullable(),
  reviewNote: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type AccessRequest = z.infer<typeof accessRequestSchema>;

const t = (tenant: string) => `/admin/tenants/${encodeURIComponent(tenant)}`;

export const listKeys = (token: string, tenant: string, mine = false) =>
  adminRequest({ path: `${t(tenant)}/api-keys${mine ? '?mine=true' : ''}`, accessToken: token, schema: z.array(apiKeySchema) });

export const createKey = (token: string, tenant: string, body: { name: string; allowedModels: string[]; expiresInDays?: number }) =>
  adminRequest({ method: 'POST', path: `${t(tenant)}/api-keys`, accessToken: token, body, schema: createdKeySchema });

export const rotateKey = (token: string, tenant: string, keyId: string, gracePeriodSeconds: number) =>
  adminRequest({
    method: 'POST',
    path: `${t(tenant)}/api-keys/${encodeURIComponent(keyId)}/rotate`,
    accessToken: token,
    body: { gracePeriodSeconds },
    schema: z.looseObject({ secret: z.string(), key: apiKeySchema }),
  });

export const revokeKey = (token: string, tenant: string, keyId: string) =>
  adminRequest({ method: 'POST', path: `${t(tenant)}/api-keys/${encodeURIComponent(keyId)}/revoke`, accessToken: token, schema: z.unknown() });

export const listTenantModels = (token: string, tenant: string) =>
  adminRequest({ path: `${t(tenant)}/models`, accessToken: token, schema: z.array(tenantModelSchema) });

export const listAccessRequests = (token: string, tenant: string, mine = false) =>
  adminRequest({ path: `${t(tenant)}/access-requests${mine ? '?mine=true' : ''}`, accessToken: token, schema: z.array(accessRequestSchema) });

export const createAccessRequest = (
  token: string,
  tenant: string,
  body:
    | { type: 'model_access'; model: string; reason: string }
    | { type: 'quota_increase'; scope: 'tenant'; metric: 'requests' | 'tokens' | 'cost'; period: 'day' | 'week' | 'month'; limit: number; reason: string },
) => adminRequest({ method: 'POST', path: `${t(tenant)}/access-requests`, accessToken: token, body, schema: accessRequestSchema });

export const cancelAccessRequest = (token: string, tenant: string, id: string) =>
  adminRequest({ method: 'POST', path: `${t(tenant)}/access-requests/${encodeURIComponent(id)}/cancel`, accessToken: token, schema: z.unknown() });

/** The platform admin's queue across tenants. */
export const listAllAccessRequests = (token: string, status?: AccessRequest['status']) =>
  adminRequest({ path: `/admin/access-requests${status ? `?status=${status}` : ''}`, accessToken: token, schema: z.array(accessRequestSchema) });

export const reviewAccessRequest = (token: string, tenantId: string, id: string, decision: 'approve' | 'reject', note?: string) =>
  adminRequest({
    method: 'POST',
    path: `${t(tenantId)}/access-requests/${encodeURIComponent(id)}/${decision}`,
    accessToken: token,
    body: note ? { note } : {},
    schema: accessRequestSchema,
  });

export const tenantSummarySchema = z.object({ id: z.string(), slug: z.string(), name: z.string(), status: z.string(), plan: z.string(), createdAt: z.string() });
export type TenantSummary = z.infer<typeof tenantSummarySchema>;

export const listTenants = (token: string) =>
  adminRequest({ path: '/admin/tenants', accessToken: token, schema: z.array(tenantSummarySchema) });
