import type { AccessRequestOutput, GrantOutput } from '@conduit/contracts';
import type { AccessRequest, ModelGrant } from '@conduit/db';
import { iso, obj } from '../common/output.js';

export type AccessRequestRow = AccessRequest & {
  requester: { id: string; email: string };
  reviewer: { id: string; email: string } | null;
  model: { id: string; name: string; approvalPolicy: 'tenant_admin' | 'platform_admin' } | null;
  quota: { scope: 'tenant' | 'key' } | null;
  grant: { id: string } | null;
};

/** Who may decide a request: the model's policy; tenant-wide limits are the platform's. */
export function reviewableBy(r: Pick<AccessRequestRow, 'type' | 'model' | 'quota' | 'requested'>): 'tenant_admin' | 'platform_admin' {
  if (r.type === 'model_access') return r.model?.approvalPolicy ?? 'tenant_admin';
  if (r.type === 'quota_increase') return (r.quota?.scope ?? obj(r.requested).scope) === 'tenant' ? 'platform_admin' : 'tenant_admin';
  return 'tenant_admin';
}

export function toAccessRequest(r: AccessRequestRow): AccessRequestOutput {
  return {
    id: r.id,
    tenantId: r.tenantId,
    type: r.type,
    status: r.status,
    requester: r.requester,
    model: r.model,
    apiKeyId: r.apiKeyId,
    quotaId: r.quotaId,
    requested: obj(r.requested),
    reason: r.reason,
    reviewableBy: reviewableBy(r),
    reviewer: r.reviewer,
    reviewNote: r.reviewNote,
    reviewedAt: iso(r.reviewedAt),
    grantId: r.grant?.id ?? null,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

export function toGrant(g: ModelGrant & { model: { name: string }; grantedBy: { id: string; email: string } | null }): GrantOutput {
  return {
    id: g.id,
    modelId: g.modelId,
    modelName: g.model.name,
    apiKeyId: g.apiKeyId,
    accessRequestId: g.accessRequestId,
    grantedBy: g.grantedBy,
    expiresAt: iso(g.expiresAt),
    revokedAt: iso(g.revokedAt),
    createdAt: iso(g.createdAt),
  };
}
