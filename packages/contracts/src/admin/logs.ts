import { z } from 'zod';
import { isoDate } from './common';

export const requestLogQuerySchema = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  apiKeyId: z.string().optional(),
  model: z.string().optional(),
  providerId: z.string().optional(),
  status: z.enum(['success', 'error', 'aborted']).optional(),
  errorCategory: z.string().optional(),
  cacheHit: z.enum(['true', 'false']).optional(),
  requestId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** nextCursor of the previous page */
  cursor: z.string().regex(/^\d+$/, 'must be a cursor returned by the previous page').optional(),
});

export interface RequestLogOutput {
  id: string;
  requestId: string;
  apiKeyId: string | null;
  endpoint: string;
  model: string;
  providerId: string | null;
  deploymentId: string | null;
  status: 'success' | 'error' | 'aborted';
  httpStatus: number;
  errorCategory: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  costUsd: string;
  latencyMs: number;
  ttftMs: number | null;
  attempts: number;
  fallbacks: number;
  cacheHit: boolean;
  stream: boolean;
  metadata: Record<string, unknown>;
  createdAt: string;
  /** only in the single-log view, and only when the tenant logs bodies */
  requestBody?: unknown;
  responseBody?: unknown;
}

export const auditLogQuerySchema = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  action: z.string().max(100).optional(),
  actorId: z.string().optional(),
  targetType: z.string().optional(),
  targetId: z.string().optional(),
  /** platform-wide endpoint only */
  tenantId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

export interface AuditLogOutput {
  id: string;
  tenantId: string | null;
  actor: { id: string; email: string } | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** before/after and other details; secrets are redacted */
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  createdAt: string;
}
