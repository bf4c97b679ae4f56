import { Injectable } from '@nestjs/common';
import type { Prisma } from '@conduit/db';
import { PrismaService } from '../../infra/prisma.service.js';

const include = { memberships: { include: { tenant: { select: { id: true, slug: true } } }, orderBy: { createdAt: 'asc' } } } satisfies Prisma.UserInclude;

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(email?: string) {
    return this.prisma.client.user.findMany({
      where: email ? { email: { contains: email.toLowerCase() } } : {},
      include,
      orderBy: { createdAt: 'asc' },
      take: 500,
    });
  }

  find(id: string) {
    return this.prisma.client.user.findUnique({ where: { id }, include });
  }

  create(data: Prisma.UserCreateInput) {
    return this.prisma.client.user.create({ data, include });
  }

  update(id: string, data: Prisma.UserUpdateInput) {
    return this.prisma.client.user.update({ where: { id }, data, include });
  }

  /** Ends every session of the user (refresh tokens; access tokens stop at the next request once disabled). */
  revokeRefreshTokens(userId: string) {
    return this.prisma.client.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  }
}
