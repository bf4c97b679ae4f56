import { Injectable } from '@nestjs/common';
import { GatewayError, type TenantOutput, type createTenantInputSchema, type updateTenantInputSchema } from '@conduit/contracts';
import type { z } from 'zod';
import type { Actor, TenantScope } from '../../auth/access.guard.js';
import { AuditService } from '../../common/audit.service.js';
import { ConfigChangePublisher } from '../common/config-change.publisher.js';
import { asJson } from '../common/output.js';
import { mergeSettings, tenantSettings } from '../common/limits.js';
import { MembersService } from '../members/members.service.js';
import { TenantsRepository } from './tenants.repository.js';
import { toTenant } from './tenants.output.js';

@Injectable()
export class TenantsService {
  constructor(
    private readonly repo: TenantsRepository,
    private readonly members: MembersService,
    private readonly audit: AuditService,
    private readonly changes: ConfigChangePublisher,
  ) {}

  /** Platform admins see every tenant; everyone else the tenants they belong to. */
  async list(actor: Actor): Promise<TenantOutput[]> {
    const roles = new Map(actor.user.memberships.map((m) => [m.tenantId, m.role]));
    if (actor.user.platformRole === 'admin') return (await this.repo.list()).map((t) => toTenant(t, roles.get(t.id) ?? null));
    return (await this.repo.list({ ids: [...roles.keys()] })).map((t) => toTenant(t, roles.get(t.id)));
  }

  async get(scope: TenantScope): Promise<TenantOutput> {
    return toTenant(await this.mustFind(scope.tenantId), scope.role);
  }

  async create(actor: Actor, input: z.output<typeof createTenantInputSchema>) {
    const settings = mergeSettings(tenantSettings({}), input.settings);
    const tenant = await this.repo.create({ slug: input.slug, name: input.name, plan: input.plan, limits: asJson(input.limits), settings: asJson(settings) });
    const out = toTenant(tenant, null);
    await this.audit.change(actor, { action: 'tenant.create', tenantId: tenant.id, targetType: 'tenant', targetId: tenant.id, after: out });
    let owner;
    if (input.owner) {
      const scope: TenantScope = { tenantId: tenant.id, slug: tenant.slug, status: tenant.status, role: null, platformAdmin: true, userId: actor.user.id };
      owner = await this.members.add(scope, actor, { ...input.owner, role: 'owner', inviteExpiresInDays: 7 });
    }
    return { tenant: out, owner: owner ?? null };
  }

  async update(scope: TenantScope, actor: Actor, input: z.output<typeof updateTenantInputSchema>): Promise<TenantOutput> {
    const before = await this.mustFind(scope.tenantId);
    const updated = await this.repo.update(before.id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.plan !== undefined ? { plan: input.plan } : {}),
      ...(input.limits !== undefined ? { limits: asJson(input.limits) } : {}),
      ...(input.settings !== undefined ? { settings: asJson(mergeSettings(tenantSettings(before.settings), input.settings)) } : {}),
    });
    await this.changes.publish({ kind: 'tenant', tenantId: before.id });
    const after = toTenant(updated, scope.role);
    await this.audit.change(actor, { action: 'tenant.update', tenantId: before.id, targetType: 'tenant', targetId: before.id, before: toTenant(before), after });
    return after;
  }

  /** Suspends a tenant: every one of its keys is refused from the next request on, on every replica. */
  async setStatus(scope: TenantScope, actor: Actor, status: 'active' | 'suspended', reason?: string): Promise<TenantOutput> {
    const before = await this.mustFind(scope.tenantId);
    if (before.status === status) return toTenant(before, scope.role);
    const updated = await this.repo.update(before.id, { status, suspendedAt: status === 'suspended' ? new Date() : null });
    await this.changes.publish({ kind: 'tenant', tenantId: before.id });
    const after = toTenant(updated, scope.role);
    await this.audit.change(actor, {
      action: status === 'suspended' ? 'tenant.suspend' : 'tenant.resume',
      tenantId: before.id,
      targetType: 'tenant',
      targetId: before.id,
      before: { status: before.status, suspendedAt: before.suspendedAt },
      after: { status: updated.status, suspendedAt: updated.suspendedAt },
      details: reason ? { reason } : undefined,
    });
    return after;
  }

  private async mustFind(id: string) {
    const t = await this.repo.find(id);
    if (!t) throw new GatewayError('not_found', 'No such tenant.');
    return t;
  }
}
