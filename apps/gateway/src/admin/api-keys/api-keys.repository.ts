import { Injectable } from '@nestjs/common';
import type { Prisma } from '@conduit/db';
import { PrismaService } from '../../infra/prisma.service.js';

const include = { createdBy: { select: { id: true, email: true } }, rotatedTo: { select: { id: true } } } as const;

export interface NewKey {
  name: string;
  keyHash: string;
  prefix: string;
  status: 'pending' | 'active';
  allowedModels: string[];
  limits: object;
  metadata: object;
  expiresAt: Date | null;
  createdById: string;
}

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  tenant(tenantId: string) {
    return this.prisma.client.tenant.findUnique({ where: { id: tenantId } });
  }

  list(tenantId: string, filter: { status?: 'pending' | 'active' | 'revoked'; createdById?: string }) {
    return this.prisma.client.apiKey.findMany({
      where: { tenantId, ...(filter.status ? { status: filter.status } : {}), ...(filter.createdById ? { createdById: filter.createdById } : {}) },
      include,
      orderBy: { createdAt: 'desc' },
    });
  }

  find(tenantId: string, id: string) {
    return this.prisma.client.apiKey.findFirst({ where: { id, tenantId }, include });
  }

  /** Models (by public name) with whether the tenant may see them. */
  async modelsVisibleTo(tenantId: string, names: string[]) {
    const models = await this.prisma.client.model.findMany({
      where: { name: { in: names } },
      select: { name: true, visibility: true, tenantAccess: { where: { tenantId }, select: { tenantId: true } } },
    });
    return new Set(models.filter((m) => m.visibility === 'public' || (m.visibility === 'restricted' && m.tenantAccess.length > 0)).map((m) => m.name));
  }

  /** Creates a key; when it needs approval, the key_approval request is created with it. */
  create(tenantId: string, key: NewKey, approvalReason: string | null) {
    return this.prisma.client.$transaction(async (tx) => {
      const created = await tx.apiKey.create({ data: { tenantId, ...key }, include });
      const request =
        key.status === 'pending'
          ? await tx.accessRequest.create({
              data: { tenantId, type: 'key_approval', requesterId: key.createdById, apiKeyId: created.id, reason: approvalReason ?? '', requested: { keyName: key.name } },
            })
          : null;
      return { key: created, requestId: request?.id ?? null };
    });
  }

  update(id: string, data: Prisma.ApiKeyUpdateInput) {
    return this.prisma.client.apiKey.update({ where: { id }, data, include });
  }

  /**
   * Rotation in one transaction: the new key (same name, models, limits, expiry),
   * the old key limited to the grace period (or revoked when there is none), the
   * old key's grants copied and its quotas moved to the new key. Returns null
   * when the key was rotated already (by someone else meanwhile).
   */
  rotate(tenantId: string, oldId: string, next: NewKey, oldUntil: Date | null) {
    return this.prisma.client.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT id FROM "ApiKey" WHERE id = ${oldId} FOR UPDATE`;
      const old = await tx.apiKey.findFirstOrThrow({ where: { id: oldId, tenantId }, include });
      if (old.rotatedTo || old.status !== 'active') return null;
      const created = await tx.apiKey.create({ data: { tenantId, ...next, rotatedFromId: old.id }, include });
      const now = new Date();
      const updatedOld = await tx.apiKey.update({
        where: { id: old.id },
        data: oldUntil ? { expiresAt: oldUntil } : { status: 'revoked', revokedAt: now },
        include,
      });
      const grants = await tx.modelGrant.findMany({ where: { apiKeyId: old.id, revokedAt: null } });
      for (const g of grants) {
        await tx.modelGrant.create({ data: { tenantId, modelId: g.modelId, apiKeyId: created.id, grantedById: g.grantedById, expiresAt: g.expiresAt } });
      }
      await tx.quota.updateMany({ where: { apiKeyId: old.id, tenantId }, data: { apiKeyId: created.id } });
      return { old: updatedOld, created, movedGrants: grants.map((g) => g.modelId) };
    });
  }

  /** Revokes a key and cancels a pending approval of it. */
  revoke(id: string) {
    return this.prisma.client.$transaction(async (tx) => {
      const key = await tx.apiKey.update({ where: { id }, data: { status: 'revoked', revokedAt: new Date() }, include });
      await tx.accessRequest.updateMany({ where: { apiKeyId: id, type: 'key_approval', status: 'pending' }, data: { status: 'cancelled' } });
      return key;
    });
  }
}
