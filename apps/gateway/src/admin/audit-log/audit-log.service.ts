import { Injectable } from '@nestjs/common';
import { type AuditLogOutput, GatewayError, type Page, type auditLogQuerySchema } from '@conduit/contracts';
import type { Prisma } from '@conduit/db';
import type { z } from 'zod';
import { iso, obj } from '../common/output.js';
import { AuditLogRepository } from './audit-log.repository.js';

@Injectable()
export class AuditLogService {
  constructor(private readonly repo: AuditLogRepository) {}

  /** `tenantId` given = that tenant's entries only (the tenant endpoint); otherwise the query's filter. */
  async search(q: z.output<typeof auditLogQuerySchema>, tenantId?: string): Promise<Page<AuditLogOutput>> {
    const where: Prisma.AuditLogWhereInput = {
      ...(tenantId ? { tenantId } : q.tenantId ? { tenantId: q.tenantId } : {}),
      ...(q.from || q.to ? { createdAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
      ...(q.action ? { action: q.action.endsWith('*') ? { startsWith: q.action.slice(0, -1) } : q.action } : {}),
      ...(q.actorId ? { actorId: q.actorId } : {}),
      ...(q.targetType ? { targetType: q.targetType } : {}),
      ...(q.targetId ? { targetId: q.targetId } : {}),
    };
    // a cursor from another tenant's listing must not be usable to page through this one
    if (q.cursor && !(await this.repo.exists(q.cursor, where))) {
      throw new GatewayError('validation_failed', 'Invalid request: cursor is not from this listing', { details: { fields: [{ field: 'cursor', message: 'is not from this listing' }] } });
    }
    const rows = await this.repo.search(where, q.limit, q.cursor);
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((e) => ({
        id: e.id,
        tenantId: e.tenantId,
        actor: e.actor,
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        details: obj(e.details),
        ip: e.ip,
        userAgent: e.userAgent,
        requestId: e.requestId,
        createdAt: iso(e.createdAt),
      })),
      nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null,
    };
  }
}
