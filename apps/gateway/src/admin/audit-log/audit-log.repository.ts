import { Injectable } from '@nestjs/common';
import type { Prisma } from '@conduit/db';
import { PrismaService } from '../../infra/prisma.service.js';

@Injectable()
export class AuditLogRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Newest first; the cursor is the last entry's id. */
  search(where: Prisma.AuditLogWhereInput, limit: number, cursor?: string) {
    return this.prisma.client.auditLog.findMany({
      where,
      include: { actor: { select: { id: true, email: true } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
  }

  exists(id: string, where: Prisma.AuditLogWhereInput) {
    return this.prisma.client.auditLog.findFirst({ where: { ...where, id }, select: { id: true } });
  }
}
