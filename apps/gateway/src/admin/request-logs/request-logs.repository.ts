import { Injectable } from '@nestjs/common';
import type { Prisma } from '@conduit/db';
import { PrismaService } from '../../infra/prisma.service.js';

@Injectable()
export class RequestLogsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Newest first; `before` is the id cursor (ids only grow, so the order is stable while logs append). */
  search(tenantId: string, where: Prisma.RequestLogWhereInput, limit: number, before?: bigint) {
    return this.prisma.client.requestLog.findMany({
      where: { ...where, tenantId, ...(before !== undefined ? { id: { lt: before } } : {}) },
      omit: { requestBody: true, responseBody: true },
      orderBy: { id: 'desc' },
      take: limit + 1,
    });
  }

  find(tenantId: string, requestId: string) {
    return this.prisma.client.requestLog.findFirst({ where: { tenantId, requestId } });
  }
}
