import { Injectable } from '@nestjs/common';
import type { SessionUser } from '@conduit/contracts';
import { PrismaService } from '../infra/prisma.service.js';

/** Users and refresh tokens: the only place auth touches Prisma. */
@Injectable()
export class AuthRepository {
  constructor(private readonly prisma: PrismaService) {}

  findUserByEmail(email: string) {
    return this.prisma.client.user.findUnique({ where: { email } });
  }

  async sessionUser(userId: string): Promise<(SessionUser & { status: string }) | null> {
    const u = await this.prisma.client.user.findUnique({
      where: { id: userId },
      include: { memberships: { include: { tenant: { select: { id: true, slug: true, name: true } } }, orderBy: { createdAt: 'asc' } } },
    });
    if (!u) return null;
    return {
      id: u.id,
      email: u.email,
      name: u.name,
      platformRole: u.platformRole,
      status: u.status,
      memberships: u.memberships.map((m) => ({ tenantId: m.tenant.id, tenantSlug: m.tenant.slug, tenantName: m.tenant.name, role: m.role })),
    };
  }

  /** A tenant by id or slug (the `:tenantId` path parameter accepts both). */
  async findTenantRef(ref: string) {
    const select = { id: true, slug: true, status: true } as const;
    return (
      (await this.prisma.client.tenant.findUnique({ where: { id: ref }, select })) ??
      (await this.prisma.client.tenant.findUnique({ where: { slug: ref }, select }))
    );
  }

  recordFailure(userId: string, failedLoginCount: number, lockedUntil: Date | null) {
    return this.prisma.client.user.update({ where: { id: userId }, data: { failedLoginCount, lockedUntil } });
  }

  recordSuccess(userId: string) {
    return this.prisma.client.user.update({
      where: { id: userId },
      data: { failedLoginCount: 0, lockedUntil: null, lastLoginAt: new Date() },
    });
  }

  createRefreshToken(data: { userId: string; tokenHash: string; familyId: string; expiresAt: Date; ip?: string; userAgent?: string }) {
    return this.prisma.client.refreshToken.create({ data });
  }

  findRefreshToken(tokenHash: string) {
    return this.prisma.client.refreshToken.findUnique({ where: { tokenHash } });
  }

  /**
   * Marks `oldId` as used (replaced by a new token) if nobody else did first;
   * returns false when the token was already used — a replay.
   */
  async consumeRefreshToken(oldId: string, replacement: { userId: string; tokenHash: string; familyId: string; expiresAt: Date; ip?: string; userAgent?: string }) {
    return this.prisma.client.$transaction(async (tx) => {
      const next = await tx.refreshToken.create({ data: replacement });
      const { count } = await tx.refreshToken.updateMany({
        where: { id: oldId, revokedAt: null, replacedById: null },
        data: { revokedAt: new Date(), replacedById: next.id },
      });
      if (count !== 1) throw new RefreshReplayError();
      return next;
    });
  }

  revokeFamily(familyId: string) {
    return this.prisma.client.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }
}

export class RefreshReplayError extends Error {}
