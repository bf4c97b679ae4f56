import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma.service.js';

export interface AuditEntry {
  action: string;
  tenantId?: string | null;
  actorId?: string | null;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

/** Writes the audit log: every admin action goes through here. Never pass secrets in details. */
@Injectable()
export class AuditService {
  constructor(private readonly prisma: PrismaService) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.prisma.client.auditLog.create({
      data: {
        action: entry.action,
        tenantId: entry.tenantId ?? null,
        actorId: entry.actorId ?? null,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        details: (entry.details ?? {}) as object,
        ip: entry.ip ?? null,
        userAgent: entry.userAgent?.slice(0, 512) ?? null,
        requestId: entry.requestId ?? null,
      },
    });
  }
}
