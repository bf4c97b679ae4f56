import 'server-only';
import { z } from 'zod';
import { adminRequest } from './client';

// Shapes: @conduit/contracts admin/quotas.ts.
export const quotaSchema = z.object({
  id: z.string(),
  scope: z.enum(['tenant', 'key']),
  apiKeyId: z.string().nullable(),
  metric: z.enum(['requests', 'tokens', 'cost']),
  period: z.enum(['day', 'week', 'month']),
  limit: z.string(),
  alertThresholds: z.array(z.number()),
  webhookUrl: z.string().nullable(),
  enabled: z.boolean(),
  used: z.string().optional(),
  resetsAt: z.string().optional(),
});
export type Quota = z.infer<typeof quotaSchema>;

const alertSchema = z.object({
  id: z.string(),
  quotaId: z.string(),
  metric: z.string(),
  period: z.string(),
  apiKeyId: z.string().nullable(),
  threshold: z.number(),
  value: z.string(),
  limit: z.string(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type QuotaAlert = z.infer<typeof alertSchema>;

const q = (tenant: string) => `/admin/tenants/${encodeURIComponent(tenant)}/quotas`;

export const listQuotas = (token: string, tenant: string) => adminRequest({ path: q(tenant), accessToken: token, schema: z.array(quotaSchema) });
export const listQuotaAlerts = (token: string, tenant: string) => adminRequest({ path: `${q(tenant)}/alerts`, accessToken: token, schema: z.array(alertSchema) });
export const createQuota = (
  token: string,
  tenant: string,
  body: { scope: 'tenant' | 'key'; apiKeyId?: string; metric: Quota['metric']; period: Quota['period']; limit: string; alertThresholds: number[]; webhookUrl?: string | null },
) => adminRequest({ method: 'POST', path: q(tenant), body, accessToken: token, schema: quotaSchema });
export const updateQuota = (token: string, tenant: string, id: string, body: { enabled?: boolean; limit?: string }) =>
  adminRequest({ method: 'PATCH', path: `${q(tenant)}/${encodeURIComponent(id)}`, body, accessToken: token, schema: z.unknown() });
export const deleteQuota = (token: string, tenant: string, id: string) =>
  adminRequest({ method: 'DELETE', path: `${q(tenant)}/${encodeURIComponent(id)}`, accessToken: token, schema: z.unknown() });
