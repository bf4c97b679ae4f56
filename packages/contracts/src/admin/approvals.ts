import { z } from 'zod';
import { isoDate } from './common';
import { quotaLimitSchema } from './quotas';

const reason = z.string().trim().min(1, 'is required: say why you need it').max(2000);

export const createAccessRequestInputSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('model_access'),
      /** the model's id or public name */
      model: z.string().min(1).max(200),
      /** ask for one key only; absent = the whole tenant */
      apiKeyId: z.string().optional(),
      reason,
    })
    .strict(),
  z
    .object({
      type: z.literal('quota_increase'),
      /** the quota or budget to raise; absent = a new one with these fields */
      quotaId: z.string().optional(),
      scope: z.enum(['tenant', 'key']).optional(),
      apiKeyId: z.string().optional(),
      metric: z.enum(['requests', 'tokens', 'cost']).optional(),
      period: z.enum(['day', 'week', 'month']).optional(),
      /** the new limit asked for */
      limit: quotaLimitSchema,
      reason,
    })
    .strict()
    .refine((r) => r.quotaId || (r.scope && r.metric && r.period), {
      message: 'give quotaId, or scope, metric and period for a new quota',
      path: ['quotaId'],
    })
    .refine((r) => r.quotaId || (r.scope === 'key') === Boolean(r.apiKeyId), {
      message: 'is required for a key quota and not allowed for a tenant quota',
      path: ['apiKeyId'],
    }),
]);
export type CreateAccessRequestInput = z.input<typeof createAccessRequestInputSchema>;

export const listAccessRequestsQuerySchema = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).optional(),
  type: z.enum(['model_access', 'quota_increase', 'key_approval']).optional(),
  /** only the caller's own requests */
  mine: z.enum(['true', 'false']).optional(),
});

export const createGrantInputSchema = z
  .object({
    /** the model's id or public name */
    model: z.string().min(1).max(200),
    apiKeyId: z.string().optional(),
    expiresAt: isoDate.optional(),
  })
  .strict();

export interface AccessRequestOutput {
  id: string;
  tenantId: string;
  type: 'model_access' | 'quota_increase' | 'key_approval';
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  requester: { id: string; email: string };
  model: { id: string; name: string; approvalPolicy: 'tenant_admin' | 'platform_admin' } | null;
  apiKeyId: string | null;
  quotaId: string | null;
  requested: Record<string, unknown>;
  reason: string;
  /** who may decide: a tenant admin, or only a platform admin */
  reviewableBy: 'tenant_admin' | 'platform_admin';
  reviewer: { id: string; email: string } | null;
  reviewNote: string | null;
  reviewedAt: string | null;
  /** what approval created */
  grantId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface GrantOutput {
  id: string;
  modelId: string;
  modelName: string;
  apiKeyId: string | null;
  accessRequestId: string | null;
  grantedBy: { id: string; email: string } | null;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}
