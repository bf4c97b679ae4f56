import { Injectable } from '@nestjs/common';
import { GatewayError, nanoToUsd, periodEnd, type QuotaAlertOutput, type QuotaOutput, quotaCounterKey, type createQuotaInputSchema, type updateQuotaInputSchema } from '@conduit/contracts';
import { RedisService } from '../../infra/redis.service.js';
import type { z } from 'zod';
import { type Actor, isTenantAdmin, type TenantScope } from '../../auth/access.guard.js';
import { AuditService } from '../../common/audit.service.js';
import { ConfigChangePublisher } from '../common/config-change.publisher.js';
import { QuotasRepository } from './quotas.repository.js';
import { toQuota } from './quotas.output.js';

/** Tenant-wide quotas and budgets are the platform's to set; per-key ones the tenant admins'. */
function mayManage(scope: TenantScope, quotaScope: 'tenant' | 'key') {
  return quotaScope === 'tenant' ? scope.platformAdmin : isTenantAdmin(scope);
}

@Injectable()
export class QuotasService {
  constructor(
    private readonly repo: QuotasRepository,
    private readonly audit: AuditService,
    private readonly changes: ConfigChangePublisher,
    private readonly redis: RedisService,
  ) {}

  /** The quotas with what the current period has used so far (the counters the gateway enforces). */
  async list(scope: TenantScope, apiKeyId?: string): Promise<QuotaOutput[]> {
    const quotas = (await this.repo.list(scope.tenantId, apiKeyId)).map(toQuota);
    const prefix = this.redis.prefix.replace(/:$/, '');
    const keys = quotas.map((q) => quotaCounterKey(prefix, q.id, q.period));
    const values = keys.length ? await this.redis.client.mget(...keys).catch(() => keys.map(() => null)) : [];
    return quotas.map((q, i) => {
      const units = Number(values[i] ?? 0);
      return { ...q, used: q.metric === 'cost' ? nanoToUsd(units) : String(units), resetsAt: periodEnd(q.period).toISOString() };
    });
  }

  /** Thresholds crossed, newest first. */
  async alerts(scope: TenantScope): Promise<QuotaAlertOutput[]> {
    const rows = await this.repo.alerts(scope.tenantId, 200);
    return rows.map((a) => ({
      id: a.id,
      quotaId: a.quotaId,
      metric: a.quota.metric,
      period: a.quota.period,
      apiKeyId: a.quota.apiKeyId,
      threshold: a.threshold,
      value: a.value.toString(),
      limit: a.quota.limit.toString(),
      periodStart: a.periodStart.toISOString(),
      deliveredAt: a.deliveredAt?.toISOString() ?? null,
      createdAt: a.createdAt.toISOString(),
    }));
  }

  async create(scope: TenantScope, actor: Actor, input: z.output<typeof createQuotaInputSchema>): Promise<QuotaOutput> {
    this.checkManage(scope, input.scope);
    if (input.apiKeyId && !(await this.repo.keyOfTenant(scope.tenantId, input.apiKeyId))) {
      throw new GatewayError('validation_failed', 'Invalid request: apiKeyId is not a key of this tenant', { details: { fields: [{ field: 'apiKeyId', message: 'is not a key of this tenant' }] } });
    }
    const q = await this.repo.create({
      tenantId: scope.tenantId,
      scope: input.scope,
      apiKeyId: input.apiKeyId ?? null,
      metric: input.metric,
      period: input.period,
      limit: String(input.limit),
      alertThresholds: input.alertThresholds ?? [80, 100],
      webhookUrl: input.webhookUrl ?? null,
      enabled: input.enabled ?? true,
    });
    await this.changes.publish({ kind: 'quota', tenantId: scope.tenantId, ...(q.apiKeyId ? { keyId: q.apiKeyId } : {}) });
    const out = toQuota(q);
    await this.audit.change(actor, { action: 'quota.create', tenantId: scope.tenantId, targetType: 'quota', targetId: q.id, after: out });
    return out;
  }

  async update(scope: TenantScope, actor: Actor, id: string, input: z.output<typeof updateQuotaInputSchema>): Promise<QuotaOutput> {
    const before = await this.mustFind(scope, id);
    this.checkManage(scope, before.scope);
    const { limit, ...rest } = input;
    const q = await this.repo.update(id, { ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)), ...(limit !== undefined ? { limit: String(limit) } : {}) });
    await this.changes.publish({ kind: 'quota', tenantId: scope.tenantId, ...(q.apiKeyId ? { keyId: q.apiKeyId } : {}) });
    const after = toQuota(q);
    await this.audit.change(actor, { action: 'quota.update', tenantId: scope.tenantId, targetType: 'quota', targetId: id, before: toQuota(before), after });
    return after;
  }

  async remove(scope: TenantScope, actor: Actor, id: string): Promise<void> {
    const before = await this.mustFind(scope, id);
    this.checkManage(scope, before.scope);
    await this.repo.delete(id);
    await this.changes.publish({ kind: 'quota', tenantId: scope.tenantId, ...(before.apiKeyId ? { keyId: before.apiKeyId } : {}) });
    await this.audit.change(actor, { action: 'quota.delete', tenantId: scope.tenantId, targetType: 'quota', targetId: id, before: toQuota(before) });
  }

  private checkManage(scope: TenantScope, quotaScope: 'tenant' | 'key') {
    if (!mayManage(scope, quotaScope)) {
      throw new GatewayError(
        'forbidden',
        quotaScope === 'tenant'
          ? 'Tenant-wide quotas and budgets are set by a platform admin: request an increase instead (POST access-requests, type quota_increase).'
          : 'Key quotas are set by tenant admins: request an increase instead.',
      );
    }
  }

  private async mustFind(scope: TenantScope, id: string) {
    const q = await this.repo.find(scope.tenantId, id);
    if (!q) throw new GatewayError('not_found', 'No such quota in this tenant.');
    return q;
  }
}
