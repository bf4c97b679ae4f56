import { Injectable } from '@nestjs/common';
import type { Prisma } from '@conduit/db';
import { PrismaService } from '../../infra/prisma.service.js';
import type { AccessRequestRow } from './approvals.output.js';

const include = {
  requester: { select: { id: true, email: true } },
  reviewer: { select: { id: true, email: true } },
  model: { select: { id: true, name: true, approvalPolicy: true } },
  quota: { select: { scope: true } },
  grant: { select: { id: true } },
} satisfies Prisma.AccessRequestInclude;
const grantInclude = { model: { select: { name: true } }, grantedBy: { select: { id: true, email: true } } } satisfies Prisma.ModelGrantInclude;

/** What approving a request does, in the same transaction as the status change. */
export type ApprovalEffect =
  | { kind: 'grant'; tenantId: string; modelId: string; apiKeyId: string | null }
  | { kind: 'raise_quota'; quotaId: string; limit: string }
  | { kind: 'new_quota'; data: Prisma.QuotaUncheckedCreateInput }
  | { kind: 'activate_key'; apiKeyId: string };

@Injectable()
export class ApprovalsRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(where: Prisma.AccessRequestWhereInput): Promise<AccessRequestRow[]> {
    return this.prisma.client.accessRequest.findMany({ where, include, orderBy: { createdAt: 'desc' }, take: 500 });
  }

  find(tenantId: string, id: string): Promise<AccessRequestRow | null> {
    return this.prisma.client.accessRequest.findFirst({ where: { id, tenantId }, include });
  }

  findModel(ref: string) {
    return this.prisma.client.model.findFirst({
      where: { OR: [{ id: ref }, { name: ref }] },
      select: { id: true, name: true, requiresApproval: true, approvalPolicy: true, visibility: true, enabled: true, tenantAccess: { select: { tenantId: true } } },
    });
  }

  findKey(tenantId: string, id: string) {
    return this.prisma.client.apiKey.findFirst({ where: { id, tenantId }, select: { id: true, createdById: true, status: true } });
  }

  findQuota(tenantId: string, id: string) {
    return this.prisma.client.quota.findFirst({ where: { id, tenantId } });
  }

  activeGrant(tenantId: string, modelId: string, apiKeyId: string | null) {
    const now = new Date();
    return this.prisma.client.modelGrant.findFirst({
      where: {
        tenantId,
        modelId,
        revokedAt: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
        // a tenant-wide grant covers every key
        AND: [{ OR: [{ apiKeyId: null }, ...(apiKeyId ? [{ apiKeyId }] : [])] }],
      },
    });
  }

  pendingLike(tenantId: string, where: Prisma.AccessRequestWhereInput) {
    return this.prisma.client.accessRequest.findFirst({ where: { tenantId, status: 'pending', ...where } });
  }

  create(data: Prisma.AccessRequestUncheckedCreateInput): Promise<AccessRequestRow> {
    return this.prisma.client.accessRequest.create({ data, include });
  }

  /**
   * Approves a pending request and applies its effect atomically. Returns null
   * when the request was no longer pending (someone decided it first).
   */
  approve(id: string, reviewerId: string, note: string | null, effect: ApprovalEffect): Promise<AccessRequestRow | null> {
    return this.prisma.client.$transaction(async (tx) => {
      const { count } = await tx.accessRequest.updateMany({
        where: { id, status: 'pending' },
        data: { status: 'approved', reviewerId, reviewNote: note, reviewedAt: new Date() },
      });
      if (count !== 1) return null;
      switch (effect.kind) {
        case 'grant':
          await tx.modelGrant.create({
            data: { tenantId: effect.tenantId, modelId: effect.modelId, apiKeyId: effect.apiKeyId, accessRequestId: id, grantedById: reviewerId },
          });
          break;
        case 'raise_quota':
          await tx.quota.update({ where: { id: effect.quotaId }, data: { limit: effect.limit } });
          break;
        case 'new_quota': {
          const q = await tx.quota.create({ data: effect.data });
          await tx.accessRequest.update({ where: { id }, data: { quotaId: q.id } });
          break;
        }
        case 'activate_key':
          await tx.apiKey.updateMany({ where: { id: effect.apiKeyId, status: 'pending' }, data: { status: 'active' } });
          break;
      }
      return tx.accessRequest.findUniqueOrThrow({ where: { id }, include });
    });
  }

  /** Rejects or cancels a pending request (a rejected key request revokes the pending key). */
  close(id: string, status: 'rejected' | 'cancelled', reviewerId: string | null, note: string | null, revokeKeyId: string | null): Promise<AccessRequestRow | null> {
    return this.prisma.client.$transaction(async (tx) => {
      const { count } = await tx.accessRequest.updateMany({
        where: { id, status: 'pending' },
        data: { status, ...(reviewerId ? { reviewerId, reviewNote: note, reviewedAt: new Date() } : {}) },
      });
      if (count !== 1) return null;
      if (revokeKeyId) await tx.apiKey.updateMany({ where: { id: revokeKeyId, status: 'pending' }, data: { status: 'revoked', revokedAt: new Date() } });
      return tx.accessRequest.findUniqueOrThrow({ where: { id }, include });
    });
  }

  keyHash(id: string) {
    return this.prisma.client.apiKey.findUnique({ where: { id }, select: { keyHash: true } });
  }

  listGrants(tenantId: string) {
    return this.prisma.client.modelGrant.findMany({ where: { tenantId }, include: grantInclude, orderBy: { createdAt: 'desc' } });
  }

  findGrant(tenantId: string, id: string) {
    return this.prisma.client.modelGrant.findFirst({ where: { id, tenantId }, include: grantInclude });
  }

  createGrant(data: Prisma.ModelGrantUncheckedCreateInput) {
    return this.prisma.client.modelGrant.create({ data, include: grantInclude });
  }

  revokeGrant(id: string) {
    return this.prisma.client.modelGrant.update({ where: { id }, data: { revokedAt: new Date() }, include: grantInclude });
  }
}
