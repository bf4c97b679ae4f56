import 'server-only';
import { z } from 'zod';
import { adminRequest } from './client';

// Shapes: @conduit/contracts admin/logs.ts (RequestLogOutput, AuditLogOutput, Page).
export const requestLogSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  apiKeyId: z.string().nullable(),
  endpoint: z.string(),
  model: z.string(),
  providerId: z.string().nullable(),
  deploymentId: z.string().nullable(),
  status: z.enum(['success', 'error', 'aborted']),
  httpStatus: z.number(),
  errorCategory: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  cachedTokens: z.number(),
  reasoningTokens: z.number(),
  costUsd: z.string(),
  latencyMs: z.number(),
  ttftMs: z.number().nullable(),
  attempts: z.number(),
  fallbacks: z.number(),
  cacheHit: z.boolean(),
  stream: z.boolean(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  requestBody: z.unknown().optional(),
  responseBody: z.unknown().optional(),
});
export type RequestLog = z.infer<typeof requestLogSchema>;

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export interface RequestLogFilters {
  model?: string;
  status?: 'success' | 'error' | 'aborted';
  apiKeyId?: string;
  requestId?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

function qs(params: object): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string' && v) q.set(k, v);
  return q.toString();
}

export const searchRequestLogs = (token: string, tenant: string, filters: RequestLogFilters, limit = 25) =>
  adminRequest({
    path: `/admin/tenants/${encodeURIComponent(tenant)}/request-logs?${qs({ ...filters, limit: String(limit) })}`,
    accessToken: token,
    schema: page(requestLogSchema),
  });

export const getRequestLog = (token: string, tenant: string, requestId: string) =>
  adminRequest({
    path: `/admin/tenants/${encodeURIComponent(tenant)}/request-logs/${encodeURIComponent(requestId)}`,
    accessToken: token,
    schema: requestLogSchema,
  });

export const auditEntrySchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  actor: z.object({ id: z.string(), email: z.string() }).nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  createdAt: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export interface AuditFilters {
  action?: string;
  tenantId?: string;
  targetType?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

export const searchAuditLog = (token: string, filters: AuditFilters, limit = 25) =>
  adminRequest({ path: `/admin/audit-log?${qs({ ...filters, limit: String(limit) })}`, accessToken: token, schema: page(auditEntrySchema) });
