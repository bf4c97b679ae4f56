import type { DeploymentOutput, ModelOutput, PriceOutput, RouteRuleOutput } from '@conduit/contracts';
import type { Model, ModelDeployment, ModelPrice, RouteRule } from '@conduit/db';
import { iso } from '../common/output.js';

export function toDeployment(d: ModelDeployment & { provider: { slug: string } }): DeploymentOutput {
  return {
    id: d.id,
    modelId: d.modelId,
    providerId: d.providerId,
    providerSlug: d.provider.slug,
    upstreamModel: d.upstreamModel,
    weight: d.weight,
    priority: d.priority,
    timeoutMs: d.timeoutMs,
    enabled: d.enabled,
    maxRpm: d.maxRpm,
    maxTpm: d.maxTpm,
    healthCheck: d.healthCheck,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  };
}

export function toRouteRule(r: RouteRule): RouteRuleOutput {
  return {
    id: r.id,
    modelId: r.modelId,
    name: r.name,
    position: r.position,
    condition: r.condition as RouteRuleOutput['condition'],
    deploymentIds: r.deploymentIds,
    strategy: r.strategy,
    enabled: r.enabled,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

export function toPrice(p: ModelPrice): PriceOutput {
  return {
    id: p.id,
    modelId: p.modelId,
    deploymentId: p.deploymentId,
    inputPerMTokUsd: p.inputPerMTokUsd.toString(),
    outputPerMTokUsd: p.outputPerMTokUsd.toString(),
    cachedInputPerMTokUsd: p.cachedInputPerMTokUsd.toString(),
    effectiveFrom: iso(p.effectiveFrom),
    createdAt: iso(p.createdAt),
  };
}

export type FullModel = Model & {
  tenantAccess: { tenantId: string }[];
  deployments: (ModelDeployment & { provider: { slug: string } })[];
  routeRules: RouteRule[];
  prices: ModelPrice[];
};

export function toModel(m: Model, full?: Omit<FullModel, keyof Model>): ModelOutput {
  return {
    id: m.id,
    name: m.name,
    displayName: m.displayName,
    description: m.description,
    kind: m.kind,
    routingStrategy: m.routingStrategy,
    requiresApproval: m.requiresApproval,
    approvalPolicy: m.approvalPolicy,
    visibility: m.visibility,
    contextWindow: m.contextWindow,
    maxOutputTokens: m.maxOutputTokens,
    fallbackOn: m.fallbackOn,
    maxRetries: m.maxRetries,
    enabled: m.enabled,
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
    ...(full
      ? {
          tenantIds: full.tenantAccess.map((a) => a.tenantId),
          deployments: full.deployments.map(toDeployment),
          routeRules: full.routeRules.map(toRouteRule),
          prices: full.prices.map(toPrice),
        }
      : {}),
  };
}
