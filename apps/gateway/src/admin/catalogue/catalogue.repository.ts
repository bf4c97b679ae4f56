import { Injectable } from '@nestjs/common';
import type { Prisma } from '@conduit/db';
import { PrismaService } from '../../infra/prisma.service.js';

const full = {
  tenantAccess: { select: { tenantId: true } },
  deployments: { include: { provider: { select: { slug: true } } }, orderBy: [{ priority: 'asc' }, { createdAt: 'asc' }] },
  routeRules: { orderBy: { position: 'asc' } },
  prices: { orderBy: { effectiveFrom: 'desc' } },
} satisfies Prisma.ModelInclude;
const withProvider = { provider: { select: { slug: true } } } as const;

@Injectable()
export class CatalogueRepository {
  constructor(private readonly prisma: PrismaService) {}

  listModels() {
    return this.prisma.client.model.findMany({ include: full, orderBy: { name: 'asc' } });
  }

  /** A model by id or public name. */
  findModel(ref: string) {
    return this.prisma.client.model.findFirst({ where: { OR: [{ id: ref }, { name: ref }] }, include: full });
  }

  createModel(data: Prisma.ModelCreateInput, tenantIds: string[]) {
    return this.prisma.client.$transaction(async (tx) => {
      const m = await tx.model.create({ data });
      if (tenantIds.length) await tx.modelTenantAccess.createMany({ data: tenantIds.map((tenantId) => ({ modelId: m.id, tenantId })), skipDuplicates: true });
      return tx.model.findUniqueOrThrow({ where: { id: m.id }, include: full });
    });
  }

  updateModel(id: string, data: Prisma.ModelUpdateInput) {
    return this.prisma.client.model.update({ where: { id }, data, include: full });
  }

  deleteModel(id: string) {
    return this.prisma.client.model.delete({ where: { id } });
  }

  tenantsExist(ids: string[]) {
    return this.prisma.client.tenant.findMany({ where: { id: { in: ids } }, select: { id: true } });
  }

  grantAccess(modelId: string, tenantId: string) {
    return this.prisma.client.modelTenantAccess.upsert({ where: { modelId_tenantId: { modelId, tenantId } }, create: { modelId, tenantId }, update: {} });
  }

  revokeAccess(modelId: string, tenantId: string) {
    return this.prisma.client.modelTenantAccess.deleteMany({ where: { modelId, tenantId } });
  }

  providerExists(id: string) {
    return this.prisma.client.provider.findUnique({ where: { id }, select: { id: true } });
  }

  findDeployment(modelId: string, id: string) {
    return this.prisma.client.modelDeployment.findFirst({ where: { id, modelId }, include: withProvider });
  }

  deploymentIdsOf(modelId: string) {
    return this.prisma.client.modelDeployment.findMany({ where: { modelId }, select: { id: true } });
  }

  createDeployment(data: Prisma.ModelDeploymentUncheckedCreateInput) {
    return this.prisma.client.modelDeployment.create({ data, include: withProvider });
  }

  updateDeployment(id: string, data: Prisma.ModelDeploymentUpdateInput) {
    return this.prisma.client.modelDeployment.update({ where: { id }, data, include: withProvider });
  }

  /** Deletes a deployment and drops it from the model's route rules. */
  deleteDeployment(modelId: string, id: string) {
    return this.prisma.client.$transaction(async (tx) => {
      await tx.modelDeployment.delete({ where: { id } });
      const rules = await tx.routeRule.findMany({ where: { modelId, deploymentIds: { has: id } } });
      for (const r of rules) await tx.routeRule.update({ where: { id: r.id }, data: { deploymentIds: r.deploymentIds.filter((d) => d !== id) } });
    });
  }

  findRouteRule(modelId: string, id: string) {
    return this.prisma.client.routeRule.findFirst({ where: { id, modelId } });
  }

  createRouteRule(data: Prisma.RouteRuleUncheckedCreateInput) {
    return this.prisma.client.routeRule.create({ data });
  }

  updateRouteRule(id: string, data: Prisma.RouteRuleUpdateInput) {
    return this.prisma.client.routeRule.update({ where: { id }, data });
  }

  deleteRouteRule(id: string) {
    return this.prisma.client.routeRule.delete({ where: { id } });
  }

  listPrices(modelId: string) {
    return this.prisma.client.modelPrice.findMany({ where: { modelId }, orderBy: { effectiveFrom: 'desc' } });
  }

  createPrice(data: Prisma.ModelPriceUncheckedCreateInput) {
    return this.prisma.client.modelPrice.create({ data });
  }

  findPrice(modelId: string, id: string) {
    return this.prisma.client.modelPrice.findFirst({ where: { id, modelId } });
  }

  deletePrice(id: string) {
    return this.prisma.client.modelPrice.delete({ where: { id } });
  }

  /** Models a tenant can see, with its tenant-wide grants and its pending model requests. */
  async visibleToTenant(tenantId: string) {
    const now = new Date();
    const [models, grants, pending] = await Promise.all([
      this.prisma.client.model.findMany({
        where: { enabled: true, OR: [{ visibility: 'public' }, { visibility: 'restricted', tenantAccess: { some: { tenantId } } }] },
        include: { prices: { where: { deploymentId: null, effectiveFrom: { lte: now } }, orderBy: { effectiveFrom: 'desc' }, take: 1 } },
        orderBy: { name: 'asc' },
      }),
      this.prisma.client.modelGrant.findMany({
        where: { tenantId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        select: { modelId: true, apiKeyId: true },
      }),
      this.prisma.client.accessRequest.findMany({ where: { tenantId, type: 'model_access', status: 'pending' }, select: { modelId: true } }),
    ]);
    return { models, grants, pending };
  }
}
