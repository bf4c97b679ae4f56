import { Injectable } from '@nestjs/common';
import {
  type DeploymentOutput,
  GatewayError,
  type ModelOutput,
  type PriceOutput,
  type RouteRuleOutput,
  type TenantModelOutput,
  type createDeploymentInputSchema,
  type createModelInputSchema,
  type createPriceInputSchema,
  type createRouteRuleInputSchema,
  type updateDeploymentInputSchema,
  type updateModelInputSchema,
  type updateRouteRuleInputSchema,
} from '@conduit/contracts';
import type { z } from 'zod';
import type { Actor, TenantScope } from '../../auth/access.guard.js';
import { AuditService } from '../../common/audit.service.js';
import { ConfigChangePublisher } from '../common/config-change.publisher.js';
import { asJson } from '../common/output.js';
import { CatalogueRepository } from './catalogue.repository.js';
import { toDeployment, toModel, toPrice, toRouteRule } from './catalogue.output.js';

function invalid(field: string, message: string) {
  return new GatewayError('validation_failed', `Invalid request: ${field} ${message}`, { details: { fields: [{ field, message }] } });
}

/** Strips undefined so partial updates only touch the fields given. */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

@Injectable()
export class CatalogueService {
  constructor(
    private readonly repo: CatalogueRepository,
    private readonly audit: AuditService,
    private readonly changes: ConfigChangePublisher,
  ) {}

  private async changed(actor: Actor, action: string, targetType: string, targetId: string, before: unknown, after: unknown, details?: Record<string, unknown>) {
    await this.changes.publish({ kind: 'catalogue' });
    await this.audit.change(actor, { action, targetType, targetId, before, after, details });
  }

  // ── models ──
  async listModels(): Promise<ModelOutput[]> {
    return (await this.repo.listModels()).map((m) => toModel(m, m));
  }

  async getModel(ref: string): Promise<ModelOutput> {
    const m = await this.mustFindModel(ref);
    return toModel(m, m);
  }

  async createModel(actor: Actor, input: z.output<typeof createModelInputSchema>): Promise<ModelOutput> {
    const { tenantIds = [], ...data } = input;
    await this.checkTenants(tenantIds, 'tenantIds');
    const m = await this.repo.createModel(data, tenantIds);
    const out = toModel(m, m);
    await this.changed(actor, 'model.create', 'model', m.id, undefined, out);
    return out;
  }

  async updateModel(actor: Actor, ref: string, input: z.output<typeof updateModelInputSchema>): Promise<ModelOutput> {
    const before = await this.mustFindModel(ref);
    const m = await this.repo.updateModel(before.id, defined(input));
    const out = toModel(m, m);
    await this.changed(actor, 'model.update', 'model', m.id, toModel(before), toModel(m));
    return out;
  }

  async deleteModel(actor: Actor, ref: string): Promise<void> {
    const before = await this.mustFindModel(ref);
    await this.repo.deleteModel(before.id);
    await this.changed(actor, 'model.delete', 'model', before.id, toModel(before, before), undefined);
  }

  async grantTenantAccess(actor: Actor, ref: string, tenantId: string): Promise<ModelOutput> {
    const m = await this.mustFindModel(ref);
    await this.checkTenants([tenantId], 'tenantId');
    await this.repo.grantAccess(m.id, tenantId);
    await this.changed(actor, 'model.tenant_access.add', 'model', m.id, undefined, { tenantId });
    return this.getModel(m.id);
  }

  async revokeTenantAccess(actor: Actor, ref: string, tenantId: string): Promise<ModelOutput> {
    const m = await this.mustFindModel(ref);
    await this.repo.revokeAccess(m.id, tenantId);
    await this.changed(actor, 'model.tenant_access.remove', 'model', m.id, { tenantId }, undefined);
    return this.getModel(m.id);
  }

  // ── deployments ──
  async createDeployment(actor: Actor, ref: string, input: z.output<typeof createDeploymentInputSchema>): Promise<DeploymentOutput> {
    const m = await this.mustFindModel(ref);
    if (!(await this.repo.providerExists(input.providerId))) throw invalid('providerId', 'is not a provider');
    const d = await this.repo.createDeployment({ ...defined(input), providerId: input.providerId, upstreamModel: input.upstreamModel, modelId: m.id });
    const out = toDeployment(d);
    await this.changed(actor, 'deployment.create', 'deployment', d.id, undefined, out, { modelId: m.id });
    return out;
  }

  async updateDeployment(actor: Actor, ref: string, id: string, input: z.output<typeof updateDeploymentInputSchema>): Promise<DeploymentOutput> {
    const m = await this.mustFindModel(ref);
    const before = await this.mustFindDeployment(m.id, id);
    const d = await this.repo.updateDeployment(id, defined(input));
    const out = toDeployment(d);
    await this.changed(actor, 'deployment.update', 'deployment', id, toDeployment(before), out, { modelId: m.id });
    return out;
  }

  async deleteDeployment(actor: Actor, ref: string, id: string): Promise<void> {
    const m = await this.mustFindModel(ref);
    const before = await this.mustFindDeployment(m.id, id);
    await this.repo.deleteDeployment(m.id, id);
    await this.changed(actor, 'deployment.delete', 'deployment', id, toDeployment(before), undefined, { modelId: m.id });
  }

  // ── route rules ──
  async createRouteRule(actor: Actor, ref: string, input: z.output<typeof createRouteRuleInputSchema>): Promise<RouteRuleOutput> {
    const m = await this.mustFindModel(ref);
    await this.checkDeployments(m.id, input.deploymentIds);
    const r = await this.repo.createRouteRule({ ...defined(input), name: input.name, condition: asJson(input.condition), deploymentIds: input.deploymentIds, modelId: m.id });
    const out = toRouteRule(r);
    await this.changed(actor, 'route_rule.create', 'route_rule', r.id, undefined, out, { modelId: m.id });
    return out;
  }

  async updateRouteRule(actor: Actor, ref: string, id: string, input: z.output<typeof updateRouteRuleInputSchema>): Promise<RouteRuleOutput> {
    const m = await this.mustFindModel(ref);
    const before = await this.repo.findRouteRule(m.id, id);
    if (!before) throw new GatewayError('not_found', 'No such route rule for this model.');
    if (input.deploymentIds) await this.checkDeployments(m.id, input.deploymentIds);
    const { condition, ...rest } = input;
    const r = await this.repo.updateRouteRule(id, { ...defined(rest), ...(condition ? { condition: asJson(condition) } : {}) });
    const out = toRouteRule(r);
    await this.changed(actor, 'route_rule.update', 'route_rule', id, toRouteRule(before), out, { modelId: m.id });
    return out;
  }

  async deleteRouteRule(actor: Actor, ref: string, id: string): Promise<void> {
    const m = await this.mustFindModel(ref);
    const before = await this.repo.findRouteRule(m.id, id);
    if (!before) throw new GatewayError('not_found', 'No such route rule for this model.');
    await this.repo.deleteRouteRule(id);
    await this.changed(actor, 'route_rule.delete', 'route_rule', id, toRouteRule(before), undefined, { modelId: m.id });
  }

  // ── prices ──
  async listPrices(ref: string): Promise<PriceOutput[]> {
    const m = await this.mustFindModel(ref);
    return (await this.repo.listPrices(m.id)).map(toPrice);
  }

  /** Prices are versioned: a new one takes over from its effective date; past prices stay for cost history. */
  async createPrice(actor: Actor, ref: string, input: z.output<typeof createPriceInputSchema>): Promise<PriceOutput> {
    const m = await this.mustFindModel(ref);
    if (input.deploymentId && !m.deployments.some((d) => d.id === input.deploymentId)) throw invalid('deploymentId', 'is not a deployment of this model');
    const p = await this.repo.createPrice({
      modelId: m.id,
      deploymentId: input.deploymentId ?? null,
      inputPerMTokUsd: String(input.inputPerMTokUsd),
      outputPerMTokUsd: String(input.outputPerMTokUsd),
      cachedInputPerMTokUsd: String(input.cachedInputPerMTokUsd),
      effectiveFrom: input.effectiveFrom ?? new Date(),
    });
    const out = toPrice(p);
    await this.changed(actor, 'price.create', 'model_price', p.id, undefined, out, { modelId: m.id });
    return out;
  }

  /** Only a price that has not taken effect yet can be withdrawn. */
  async deletePrice(actor: Actor, ref: string, id: string): Promise<void> {
    const m = await this.mustFindModel(ref);
    const p = await this.repo.findPrice(m.id, id);
    if (!p) throw new GatewayError('not_found', 'No such price for this model.');
    if (p.effectiveFrom.getTime() <= Date.now()) throw new GatewayError('conflict', 'This price is in effect or past: add a newer price instead (past costs were computed with it).');
    await this.repo.deletePrice(id);
    await this.changed(actor, 'price.delete', 'model_price', id, toPrice(p), undefined, { modelId: m.id });
  }

  // ── tenant view ──
  async tenantModels(scope: TenantScope): Promise<TenantModelOutput[]> {
    const { models, grants, pending } = await this.repo.visibleToTenant(scope.tenantId);
    const granted = new Set(grants.filter((g) => g.apiKeyId === null).map((g) => g.modelId));
    const waiting = new Set(pending.map((p) => p.modelId));
    return models.map((m) => {
      const price = m.prices[0];
      return {
        id: m.id,
        name: m.name,
        displayName: m.displayName,
        description: m.description,
        kind: m.kind,
        contextWindow: m.contextWindow,
        requiresApproval: m.requiresApproval,
        approvalPolicy: m.approvalPolicy,
        access: !m.requiresApproval ? 'available' : granted.has(m.id) ? 'granted' : waiting.has(m.id) ? 'pending' : 'requires_approval',
        price: price
          ? { inputPerMTokUsd: price.inputPerMTokUsd.toString(), outputPerMTokUsd: price.outputPerMTokUsd.toString(), cachedInputPerMTokUsd: price.cachedInputPerMTokUsd.toString() }
          : null,
      };
    });
  }

  private async mustFindModel(ref: string) {
    const m = await this.repo.findModel(ref);
    if (!m) throw new GatewayError('not_found', 'No such model.');
    return m;
  }

  private async mustFindDeployment(modelId: string, id: string) {
    const d = await this.repo.findDeployment(modelId, id);
    if (!d) throw new GatewayError('not_found', 'No such deployment for this model.');
    return d;
  }

  private async checkTenants(ids: string[], field: string) {
    if (!ids.length) return;
    const found = new Set((await this.repo.tenantsExist(ids)).map((t) => t.id));
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw invalid(field, `"${missing}" is not a tenant`);
  }

  private async checkDeployments(modelId: string, ids: string[]) {
    const mine = new Set((await this.repo.deploymentIdsOf(modelId)).map((d) => d.id));
    const i = ids.findIndex((id) => !mine.has(id));
    if (i >= 0) throw invalid(`deploymentIds.${i}`, 'is not a deployment of this model');
  }
}
