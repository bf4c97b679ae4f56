import { Injectable } from '@nestjs/common';
import {
  type ApiKeyOutput,
  type ConfigChange,
  type CreatedApiKeyOutput,
  GatewayError,
  type createApiKeyInputSchema,
  type listApiKeysQuerySchema,
  type updateApiKeyInputSchema,
} from '@conduit/contracts';
import { apiKeyDisplayPrefix, generateApiKey, hashApiKey } from '@conduit/db';
import type { z } from 'zod';
import { type Actor, isTenantAdmin, type TenantScope } from '../../auth/access.guard.js';
import { AuditService } from '../../common/audit.service.js';
import { ConfigChangePublisher } from '../common/config-change.publisher.js';
import { asJson } from '../common/output.js';
import { effectiveLimits, type LimitOverrides, limitsAbove, tenantSettings } from '../common/limits.js';
import { ApiKeysRepository, type NewKey } from './api-keys.repository.js';
import { type ApiKeyRow, toApiKey } from './api-keys.output.js';

function invalid(fields: { field: string; message: string }[]) {
  return new GatewayError('validation_failed', 'Invalid request: ' + fields.map((f) => `${f.field} ${f.message}`).join('; '), { details: { fields } });
}

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repo: ApiKeysRepository,
    private readonly audit: AuditService,
    private readonly changes: ConfigChangePublisher,
  ) {}

  async list(scope: TenantScope, query: z.output<typeof listApiKeysQuerySchema>): Promise<ApiKeyOutput[]> {
    const rows = await this.repo.list(scope.tenantId, { status: query.status, createdById: query.mine === 'true' ? scope.userId : undefined });
    return rows.map(toApiKey);
  }

  async get(scope: TenantScope, id: string): Promise<ApiKeyOutput> {
    return toApiKey(await this.mustFind(scope, id));
  }

  async create(scope: TenantScope, actor: Actor, input: z.output<typeof createApiKeyInputSchema>): Promise<CreatedApiKeyOutput> {
    const tenant = await this.repo.tenant(scope.tenantId);
    if (!tenant) throw new GatewayError('not_found', 'No such tenant.');
    if (tenant.status === 'suspended') throw new GatewayError('tenant_suspended', 'The tenant is suspended: no new keys until a platform admin lifts the suspension.');
    await this.checkPolicy(scope, tenant, input.allowedModels, input.limits);
    const expiresAt = input.expiresAt ?? (input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null);
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw invalid([{ field: 'expiresAt', message: 'must be in the future' }]);
    const needsApproval = tenantSettings(tenant.settings).requireKeyApproval && !isTenantAdmin(scope);
    const secret = generateApiKey();
    const { key, requestId } = await this.repo.create(
      scope.tenantId,
      {
        name: input.name,
        keyHash: hashApiKey(secret),
        prefix: apiKeyDisplayPrefix(secret),
        status: needsApproval ? 'pending' : 'active',
        allowedModels: input.allowedModels,
        limits: input.limits,
        metadata: input.metadata,
        expiresAt,
        createdById: actor.user.id,
      },
      needsApproval ? `New API key "${input.name}"` : null,
    );
    await this.changes.publish({ kind: 'api_key', keyId: key.id, keyHash: key.keyHash, tenantId: scope.tenantId });
    const out = toApiKey(key);
    await this.audit.change(actor, { action: 'api_key.create', tenantId: scope.tenantId, targetType: 'api_key', targetId: key.id, after: out, details: requestId ? { accessRequestId: requestId } : undefined });
    return { key: out, secret, accessRequestId: requestId };
  }

  async update(scope: TenantScope, actor: Actor, id: string, input: z.output<typeof updateApiKeyInputSchema>): Promise<ApiKeyOutput> {
    const before = await this.mustManage(scope, id);
    if (before.status === 'revoked') throw new GatewayError('conflict', 'The key is revoked and can no longer be changed.');
    const tenant = (await this.repo.tenant(scope.tenantId))!;
    await this.checkPolicy(scope, tenant, input.allowedModels ?? [], input.limits ?? {});
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw invalid([{ field: 'expiresAt', message: 'must be in the future' }]);
    // a developer changing their key's limits keeps the guardrails an admin set on it
    const keptGuardrails = (before.limits as { guardrails?: unknown } | null)?.guardrails;
    if (input.limits && input.limits.guardrails === undefined && keptGuardrails !== undefined && !isTenantAdmin(scope)) {
      input = { ...input, limits: { ...input.limits, guardrails: keptGuardrails as NonNullable<typeof input.limits>["guardrails"] } };
    }
    const updated = await this.repo.update(before.id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.allowedModels !== undefined ? { allowedModels: input.allowedModels } : {}),
      ...(input.limits !== undefined ? { limits: asJson(input.limits) } : {}),
      ...(input.metadata !== undefined ? { metadata: asJson(input.metadata) } : {}),
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
    });
    await this.changes.publish({ kind: 'api_key', keyId: updated.id, keyHash: updated.keyHash, tenantId: scope.tenantId });
    const after = toApiKey(updated);
    await this.audit.change(actor, { action: 'api_key.update', tenantId: scope.tenantId, targetType: 'api_key', targetId: id, before: toApiKey(before), after });
    return after;
  }

  /** A new secret; the old one keeps working for the grace period (0 = stops at once). */
  async rotate(scope: TenantScope, actor: Actor, id: string, gracePeriodSeconds: number): Promise<CreatedApiKeyOutput & { previous: ApiKeyOutput }> {
    const old = await this.mustManage(scope, id);
    const status = toApiKey(old).status;
    if (status !== 'active') throw new GatewayError('conflict', `Only an active key can be rotated; this one is ${status}.`);
    if (old.rotatedTo) throw new GatewayError('conflict', 'This key was rotated already: rotate its successor instead.', { details: { rotatedToId: old.rotatedTo.id } });
    const secret = generateApiKey();
    const next: NewKey = {
      name: old.name,
      keyHash: hashApiKey(secret),
      prefix: apiKeyDisplayPrefix(secret),
      status: 'active',
      allowedModels: old.allowedModels,
      limits: old.limits as object,
      metadata: old.metadata as object,
      expiresAt: old.expiresAt,
      // the key stays its owner's, whoever rotated it
      createdById: old.createdById ?? actor.user.id,
    };
    const graceEnd = gracePeriodSeconds > 0 ? new Date(Date.now() + gracePeriodSeconds * 1000) : null;
    const oldUntil = graceEnd && old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
    const res = await this.repo.rotate(scope.tenantId, old.id, next, oldUntil);
    if (!res) throw new GatewayError('conflict', 'This key was rotated or revoked meanwhile.');
    const changes: ConfigChange[] = [
      { kind: 'api_key', keyId: res.old.id, keyHash: res.old.keyHash, tenantId: scope.tenantId },
      { kind: 'api_key', keyId: res.created.id, keyHash: res.created.keyHash, tenantId: scope.tenantId },
      { kind: 'quota', tenantId: scope.tenantId, keyId: res.created.id },
      { kind: 'quota', tenantId: scope.tenantId, keyId: res.old.id },
      ...[...new Set(res.movedGrants)].map((modelId): ConfigChange => ({ kind: 'grant', tenantId: scope.tenantId, modelId })),
    ];
    await this.changes.publish(...changes);
    const key = toApiKey(res.created);
    const previous = toApiKey(res.old);
    await this.audit.change(actor, {
      action: 'api_key.rotate',
      tenantId: scope.tenantId,
      targetType: 'api_key',
      targetId: old.id,
      before: toApiKey(old),
      after: previous,
      details: { newKeyId: key.id, newPrefix: key.prefix, gracePeriodSeconds, oldKeyValidUntil: oldUntil?.toISOString() ?? null },
    });
    return { key, secret, accessRequestId: null, previous };
  }

  /** Revoked on every replica within a second (the data plane drops its cached entry on the message). */
  async revoke(scope: TenantScope, actor: Actor, id: string): Promise<ApiKeyOutput> {
    const before = await this.mustManage(scope, id);
    if (before.status === 'revoked') return toApiKey(before);
    const revoked = await this.repo.revoke(before.id);
    await this.changes.publish({ kind: 'api_key', keyId: revoked.id, keyHash: revoked.keyHash, tenantId: scope.tenantId });
    const after = toApiKey(revoked);
    await this.audit.change(actor, { action: 'api_key.revoke', tenantId: scope.tenantId, targetType: 'api_key', targetId: id, before: toApiKey(before), after });
    return after;
  }

  /** Models must exist and be visible to the tenant; limits no higher than the tenant's; guardrails are the admins'. */
  private async checkPolicy(scope: TenantScope, tenant: { plan: 'free' | 'basic' | 'pro' | 'enterprise'; limits: unknown }, models: string[], limits: LimitOverrides & { guardrails?: unknown }) {
    if (limits.guardrails !== undefined && !isTenantAdmin(scope)) {
      throw new GatewayError('forbidden', "Only the tenant's admins can change a key's guardrails.");
    }
    const problems = limitsAbove(limits, effectiveLimits(tenant.plan, tenant.limits));
    if (models.length) {
      const visible = await this.repo.modelsVisibleTo(scope.tenantId, models);
      models.forEach((m, i) => {
        if (!visible.has(m)) problems.push({ field: `allowedModels.${i}`, message: `"${m}" is not a model this tenant can use` });
      });
    }
    if (problems.length) throw invalid(problems);
  }

  private async mustFind(scope: TenantScope, id: string): Promise<ApiKeyRow> {
    const key = await this.repo.find(scope.tenantId, id);
    if (!key) throw new GatewayError('not_found', 'No such API key in this tenant.');
    return key;
  }

  /** Developers manage their own keys; tenant admins (and platform admins) any key of the tenant. */
  private async mustManage(scope: TenantScope, id: string): Promise<ApiKeyRow> {
    const key = await this.mustFind(scope, id);
    if (!isTenantAdmin(scope) && key.createdById !== scope.userId) {
      throw new GatewayError('forbidden', 'Developers can change only the keys they created; ask a tenant admin.');
    }
    return key;
  }
}
