import { Injectable } from '@nestjs/common';
import type { Prisma } from '@conduit/db';
import { PrismaService } from '../../infra/prisma.service.js';

@Injectable()
export class TenantsRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(where: { ids?: string[] } = {}) {
    return this.prisma.client.tenant.findMany({ where: where.ids ? { id: { in: where.ids } } : {}, orderBy: { createdAt: 'asc' } });
  }

  find(id: string) {
    return this.prisma.client.tenant.findUnique({ where: { id } });
  }

  create(data: Prisma.TenantCreateInput) {
    return this.prisma.client.tenant.create({ data });
  }

  update(id: string, data: Prisma.TenantUpdateInput) {
    return this.prisma.client.tenant.update({ where: { id }, data });
  }
}
