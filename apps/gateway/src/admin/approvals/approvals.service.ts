import { Injectable } from '@nestjs/common';
import {
  type AccessRequestOutput,
  type ConfigChange,
  GatewayError,
  type GrantOutput,
  type createAccessRequestInputSchema,
  type createGrantInputSchema,
  type listAccessRequestsQuerySchema,
} from '@conduit/contracts';
import type { Prisma } from '@conduit/db';
import type { z } from 'zod';
import { type Actor, isTenantAdmin, type TenantScope } from '../../auth/access.guard.js';
import { AuditService } from '../../common/audit.service.js';
import { ConfigChangePublisher } from '../common/config-change.publisher.js';
import { obj } from '../common/output.js';
import { type ApprovalEffect, ApprovalsRepository } from './approvals.repository.js';
import { type AccessRequestRow, reviewableBy, toAccessRequest, toGrant } from './approvals.output.js';

function invalid(field: string, message: string) {
  return new GatewayError('validation_failed', `Invalid request: ${field} ${message}`, { details: { fields: [{ field, message }] } });
}

@Injectable()
export class ApprovalsService {
  constructor(
    private readonly repo: ApprovalsRepository,
    private readonly audit: AuditService,
    private readonly changes: ConfigChangePublisher,
  ) {}

  /** Tenant admins see every request of the tenant; others their own. */
  async list(scope: TenantScope, query: z.output<typeof listAccessRequestsQuerySchema>): Promise<AccessRequestOutput[]> {
    const own = query.mine === 'true' || !isTenantAdmin(scope);
    const rows = await this.repo.list({
      tenantId: scope.tenantId,
      ...(query.status ? { status: query.status } : {}),
      ...(query.type ? { type: query.type } : {}),
      ...(own ? { requesterId: scope.userId } : {}),
    });
    return rows.map(toAccessRequest);
  }

  /** Platform-wide queue (platform admins): by default what waits for a platform admin. */
  async listAll(query: z.output<typeof listAccessRequestsQuerySchema> & { reviewableBy?: string }): Promise<AccessRequestOutput[]> {
    const rows = await this.repo.list({ ...(query.status ? { status: query.status } : {}), ...(query.type ? { type: query.type } : {}) });
    const out = rows.map(toAccessRequest);
    return query.reviewableBy ? out.filter((r) => r.reviewableBy === query.reviewableBy) : out;
  }

  async get(scope: TenantScope, id: string): Promise<AccessRequestOutput> {
    const r = await this.mustFind(scope, id);
    if (!isTenantAdmin(scope) && r.requesterId !== scope.userId) throw new GatewayError('not_found', 'No such access request in this tenant.');
    return toAccessRequest(r);
  }

  async create(scope: TenantScope, actor: Actor, input: z.output<typeof createAccessRequestInputSchema>): Promise<AccessRequestOutput> {
    const data: Prisma.AccessRequestUncheckedCreateInput = { tenantId: scope.tenantId, type: input.type, requesterId: actor.user.id, reason: input.reason };
    if (input.apiKeyId) {
      const key = await this.repo.findKey(scope.tenantId, input.apiKeyId);
      if (!key) throw invalid('apiKeyId', 'is not a key of this tenant');
      if (!isTenantAdmin(scope) && key.createdById !== scope.userId) throw invalid('apiKeyId', 'is not one of your keys');
      if (key.status === 'revoked') throw invalid('apiKeyId', 'is revoked');
      data.apiKeyId = key.id;
    }
    if (input.type === 'model_access') {
      const model = await this.repo.findModel(input.model);
      const visible = model && model.enabled && (model.visibility === 'public' || (model.visibility === 'restricted' && model.tenantAccess.some((a) => a.tenantId === scope.tenantId)));
      if (!model || !visible) throw invalid('model', `"${input.model}" is not a model this tenant can use`);
      if (!model.requiresApproval) throw new GatewayError('conflict', `${model.name} needs no approval: every key of the tenant may call it.`);
      if (await this.repo.activeGrant(scope.tenantId, model.id, data.apiKeyId ?? null)) throw new GatewayError('conflict', `Access to ${model.name} is granted already.`);
      if (await this.repo.pendingLike(scope.tenantId, { type: 'model_access', modelId: model.id, apiKeyId: data.apiKeyId ?? null })) {
        throw new GatewayError('conflict', `A request for ${model.name} is already waiting for a decision.`);
      }
      data.modelId = model.id;
      data.requested = { model: model.name, scope: data.apiKeyId ? 'key' : 'tenant' };
    } else {
      let current: string | null = null;
      if (input.quotaId) {
        const q = await this.repo.findQuota(scope.tenantId, input.quotaId);
        if (!q) throw invalid('quotaId', 'is not a quota of this tenant');
        data.quotaId = q.id;
        current = q.limit.toString();
        data.requested = { scope: q.scope, apiKeyId: q.apiKeyId, metric: q.metric, period: q.period, limit: String(input.limit), currentLimit: current };
        if (Number(input.limit) <= Number(current)) throw invalid('limit', `must be above the current limit (${current})`);
      } else {
        data.requested = { scope: input.scope, apiKeyId: input.apiKeyId ?? null, metric: input.metric, period: input.period, limit: String(input.limit), currentLimit: null };
      }
    }
    const r = await this.repo.create(data);
    const out = toAccessRequest(r);
    await this.audit.change(actor, { action: 'access_request.create', tenantId: scope.tenantId, targetType: 'access_request', targetId: r.id, after: out });
    return out;
  }

  async approve(scope: TenantScope, actor: Actor, id: string, note: string | null): Promise<AccessRequestOutput> {
    const r = await this.mustFind(scope, id);
    this.checkReviewer(scope, r);
    const effect = this.effectOf(r);
    const done = await this.repo.approve(r.id, actor.user.id, note, effect);
    if (!done) throw new GatewayError('conflict', 'This request was decided already.');
    await this.changes.publish(...(await this.changesOf(scope.tenantId, done, effect)));
    const out = toAccessRequest(done);
    await this.audit.change(actor, {
      action: 'access_request.approve',
      tenantId: scope.tenantId,
      targetType: 'access_request',
      targetId: r.id,
      before: toAccessRequest(r),
      after: out,
      details: { effect: effect.kind },
    });
    return out;
  }

  async reject(scope: TenantScope, actor: Actor, id: string, note: string | null): Promise<AccessRequestOutput> {
    const r = await this.mustFind(scope, id);
    this.checkReviewer(scope, r);
    const revokeKey = r.type === 'key_approval' ? r.apiKeyId : null;
    const done = await this.repo.close(r.id, 'rejected', actor.user.id, note, revokeKey);
    if (!done) throw new GatewayError('conflict', 'This request was decided already.');
    if (revokeKey) await this.publishKey(scope.tenantId, revokeKey);
    const out = toAccessRequest(done);
    await this.audit.change(actor, { action: 'access_request.reject', tenantId: scope.tenantId, targetType: 'access_request', targetId: r.id, before: toAccessRequest(r), after: out });
    return out;
  }

  /** The requester withdraws their own pending request. */
  async cancel(scope: TenantScope, actor: Actor, id: string): Promise<AccessRequestOutput> {
    const r = await this.mustFind(scope, id);
    if (r.requesterId !== actor.user.id) throw new GatewayError('forbidden', 'Only the requester can cancel a request.');
    const revokeKey = r.type === 'key_approval' ? r.apiKeyId : null;
    const done = await this.repo.close(r.id, 'cancelled', null, null, revokeKey);
    if (!done) throw new GatewayError('conflict', 'This request was decided already.');
    if (revokeKey) await this.publishKey(scope.tenantId, revokeKey);
    const out = toAccessRequest(done);
    await this.audit.change(actor, { action: 'access_request.cancel', tenantId: scope.tenantId, targetType: 'access_request', targetId: r.id, before: toAccessRequest(r), after: out });
    return out;
  }

  // ── grants ──
  async listGrants(scope: TenantScope): Promise<GrantOutput[]> {
    return (await this.repo.listGrants(scope.tenantId)).map(toGrant);
  }

  /** A direct grant, without a request: platform-admin-policy models need a platform admin. */
  async createGrant(scope: TenantScope, actor: Actor, input: z.output<typeof createGrantInputSchema>): Promise<GrantOutput> {
    const model = await this.repo.findModel(input.model);
    if (!model) throw invalid('model', `"${input.model}" is not a model`);
    if (model.approvalPolicy === 'platform_admin' && !scope.platformAdmin) throw new GatewayError('forbidden', `Access to ${model.name} is granted by platform admins only.`);
    if (input.apiKeyId && !(await this.repo.findKey(scope.tenantId, input.apiKeyId))) throw invalid('apiKeyId', 'is not a key of this tenant');
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw invalid('expiresAt', 'must be in the future');
    const g = await this.repo.createGrant({ tenantId: scope.tenantId, modelId: model.id, apiKeyId: input.apiKeyId ?? null, grantedById: actor.user.id, expiresAt: input.expiresAt ?? null });
    await this.changes.publish({ kind: 'grant', tenantId: scope.tenantId, modelId: model.id });
    const out = toGrant(g);
    await this.audit.change(actor, { action: 'grant.create', tenantId: scope.tenantId, targetType: 'grant', targetId: g.id, after: out });
    return out;
  }

  async revokeGrant(scope: TenantScope, actor: Actor, id: string): Promise<GrantOutput> {
    const before = await this.repo.findGrant(scope.tenantId, id);
    if (!before) throw new GatewayError('not_found', 'No such grant in this tenant.');
    const model = await this.repo.findModel(before.modelId);
    if (model?.approvalPolicy === 'platform_admin' && !scope.platformAdmin) throw new GatewayError('forbidden', `Access to ${model.name} is managed by platform admins only.`);
    if (before.revokedAt) return toGrant(before);
    const g = await this.repo.revokeGrant(id);
    await this.changes.publish({ kind: 'grant', tenantId: scope.tenantId, modelId: g.modelId });
    const out = toGrant(g);
    await this.audit.change(actor, { action: 'grant.revoke', tenantId: scope.tenantId, targetType: 'grant', targetId: id, before: toGrant(before), after: out });
    return out;
  }

  private checkReviewer(scope: TenantScope, r: AccessRequestRow) {
    if (r.status !== 'pending') throw new GatewayError('conflict', `This request is ${r.status} already.`);
    const by = reviewableBy(r);
    if (by === 'platform_admin' && !scope.platformAdmin) throw new GatewayError('forbidden', 'This request is decided by a platform admin.');
    if (by === 'tenant_admin' && !isTenantAdmin(scope)) throw new GatewayError('forbidden', 'This request is decided by a tenant admin.');
  }

  private effectOf(r: AccessRequestRow): ApprovalEffect {
    if (r.type === 'model_access') return { kind: 'grant', tenantId: r.tenantId, modelId: r.modelId!, apiKeyId: r.apiKeyId };
    if (r.type === 'key_approval') return { kind: 'activate_key', apiKeyId: r.apiKeyId! };
    const req = obj(r.requested);
    if (r.quotaId) return { kind: 'raise_quota', quotaId: r.quotaId, limit: String(req.limit) };
    return {
      kind: 'new_quota',
      data: {
        tenantId: r.tenantId,
        scope: req.scope as 'tenant' | 'key',
        apiKeyId: (req.apiKeyId as string | null) ?? null,
        metric: req.metric as 'requests' | 'tokens' | 'cost',
        period: req.period as 'day' | 'week' | 'month',
        limit: String(req.limit),
      },
    };
  }

  private async changesOf(tenantId: string, r: AccessRequestRow, effect: ApprovalEffect): Promise<ConfigChange[]> {
    switch (effect.kind) {
      case 'grant':
        return [{ kind: 'grant', tenantId, modelId: effect.modelId }];
      case 'activate_key': {
        const k = await this.repo.keyHash(effect.apiKeyId);
        return [{ kind: 'api_key', tenantId, keyId: effect.apiKeyId, ...(k ? { keyHash: k.keyHash } : {}) }];
      }
      default: {
        const keyId = (obj(r.requested).apiKeyId as string | null | undefined) ?? undefined;
        return [{ kind: 'quota', tenantId, ...(keyId ? { keyId } : {}) }];
      }
    }
  }

  private async publishKey(tenantId: string, keyId: string) {
    const k = await this.repo.keyHash(keyId);
    await this.changes.publish({ kind: 'api_key', tenantId, keyId, ...(k ? { keyHash: k.keyHash } : {}) });
  }

  private async mustFind(scope: TenantScope, id: string) {
    const r = await this.repo.find(scope.tenantId, id);
    if (!r) throw new GatewayError('not_found', 'No such access request in this tenant.');
    return r;
  }
}
