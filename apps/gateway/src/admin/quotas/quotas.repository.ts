import { Injectable } from '@nestjs/common';
import type { Prisma } from '@conduit/db';
import { PrismaService } from '../../infra/prisma.service.js';

@Injectable()
export class QuotasRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(tenantId: string, apiKeyId?: string) {
    return this.prisma.client.quota.findMany({ where: { tenantId, ...(apiKeyId ? { apiKeyId } : {}) }, orderBy: { createdAt: 'asc' } });
  }

  find(tenantId: string, id: string) {
    return this.prisma.client.quota.findFirst({ where: { id, tenantId } });
  }

  keyOfTenant(tenantId: string, apiKeyId: string) {
    return this.prisma.client.apiKey.findFirst({ where: { id: apiKeyId, tenantId }, select: { id: true, createdById: true } });
  }

  create(data: Prisma.QuotaUncheckedCreateInput) {
    return this.prisma.client.quota.create({ data });
  }

  update(id: string, data: Prisma.QuotaUpdateInput) {
    return this.prisma.client.quota.update({ where: { id }, data });
  }

  alerts(tenantId: string, take: number) {
    return this.prisma.client.budgetAlert.findMany({
      where: { tenantId },
      include: { quota: { select: { metric: true, period: true, apiKeyId: true, limit: true } } },
      orderBy: { createdAt: 'desc' },
      take,
    });
  }

  delete(id: string) {
    return this.prisma.client.quota.delete({ where: { id } });
  }
}
