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

/** Who did something and from where (the shape of an admin request's actor). */
export interface AuditActor {
  user: { id: string };
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

/** One mutating admin action: what, on which target, the state before and after. */
export interface AuditChange {
  action: string;
  tenantId?: string | null;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
}

const SECRET_FIELD = /^(secret|password|passwordHash|keyHash|tokenHash|token|ciphertext|iv|authTag|apiKey|refreshToken|accessToken|authorization)$/i;

/** Deep copy fit for the audit log: secret fields become "[redacted]", Dates ISO strings, BigInt/Decimal strings. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (depth > 8) return '[truncated]';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return '[redacted]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (typeof value === 'object') {
    // Prisma Decimal and the like
    if (typeof (value as { toFixed?: unknown }).toFixed === 'function' && typeof (value as { d?: unknown }).d !== 'undefined') return String(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_FIELD.test(k) ? (v === null || v === undefined ? v ?? null : '[redacted]') : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Writes the audit log: every admin action goes through here. Secrets are redacted from details. */
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
        details: redact(entry.details ?? {}) as object,
        ip: entry.ip ?? null,
        userAgent: entry.userAgent?.slice(0, 512) ?? null,
        requestId: entry.requestId ?? null,
      },
    });
  }

  /** Records a mutating admin action with before/after state. */
  change(actor: AuditActor, change: AuditChange): Promise<void> {
    const details: Record<string, unknown> = { ...(change.details ?? {}) };
    if (change.before !== undefined) details.before = change.before;
    if (change.after !== undefined) details.after = change.after;
    return this.record({
      action: change.action,
      tenantId: change.tenantId ?? null,
      actorId: actor.user.id,
      targetType: change.targetType,
      targetId: change.targetId,
      details,
      ip: actor.ip,
      userAgent: actor.userAgent,
      requestId: actor.requestId,
    });
  }
}
