import { Injectable } from '@nestjs/common';
import type { MemberRole } from '@conduit/contracts';
import { PrismaService } from '../../infra/prisma.service.js';

const withUser = { user: { select: { id: true, email: true, name: true, status: true, lastLoginAt: true } } } as const;

@Injectable()
export class MembersRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(tenantId: string) {
    return this.prisma.client.membership.findMany({ where: { tenantId }, include: withUser, orderBy: { createdAt: 'asc' } });
  }

  find(tenantId: string, userId: string) {
    return this.prisma.client.membership.findUnique({ where: { userId_tenantId: { userId, tenantId } }, include: withUser });
  }

  findUserByEmail(email: string) {
    return this.prisma.client.user.findUnique({ where: { email } });
  }

  create(tenantId: string, userId: string, role: MemberRole) {
    return this.prisma.client.membership.create({ data: { tenantId, userId, role }, include: withUser });
  }

  /** A new user and their membership, together. */
  createUserAndMembership(tenantId: string, user: { email: string; name: string; passwordHash: string }, role: MemberRole) {
    return this.prisma.client.$transaction(async (tx) => {
      const u = await tx.user.create({ data: user });
      return tx.membership.create({ data: { tenantId, userId: u.id, role }, include: withUser });
    });
  }

  /**
   * Changes a role unless that would leave the tenant without an owner (returns
   * null then). Serialised per tenant so two concurrent demotions cannot both win.
   */
  updateRole(tenantId: string, userId: string, role: MemberRole) {
    return this.prisma.client.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT id FROM "Tenant" WHERE id = ${tenantId} FOR UPDATE`;
      const current = await tx.membership.findUniqueOrThrow({ where: { userId_tenantId: { userId, tenantId } } });
      if (current.role === 'owner' && role !== 'owner' && (await tx.membership.count({ where: { tenantId, role: 'owner' } })) <= 1) return null;
      return tx.membership.update({ where: { id: current.id }, data: { role }, include: withUser });
    });
  }

  /** Removes a membership unless it is the last owner (returns false then). */
  remove(tenantId: string, userId: string) {
    return this.prisma.client.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT id FROM "Tenant" WHERE id = ${tenantId} FOR UPDATE`;
      const current = await tx.membership.findUniqueOrThrow({ where: { userId_tenantId: { userId, tenantId } } });
      if (current.role === 'owner' && (await tx.membership.count({ where: { tenantId, role: 'owner' } })) <= 1) return false;
      await tx.membership.delete({ where: { id: current.id } });
      return true;
    });
  }

  createInvitation(data: { tenantId: string; email: string; role: MemberRole; tokenHash: string; invitedById: string; expiresAt: Date }) {
    return this.prisma.client.tenantInvitation.create({ data });
  }

  listInvitations(tenantId: string) {
    return this.prisma.client.tenantInvitation.findMany({ where: { tenantId }, orderBy: { createdAt: 'desc' } });
  }

  findInvitation(tenantId: string, id: string) {
    return this.prisma.client.tenantInvitation.findFirst({ where: { id, tenantId } });
  }

  revokeInvitation(id: string) {
    return this.prisma.client.tenantInvitation.update({ where: { id }, data: { revokedAt: new Date() } });
  }

  findInvitationByTokenHash(tokenHash: string) {
    return this.prisma.client.tenantInvitation.findUnique({ where: { tokenHash }, include: { tenant: { select: { id: true, slug: true } } } });
  }

  /** Accepts an invitation once: creates the user when needed and the membership. Returns null when already used. */
  acceptInvitation(invitationId: string, tenantId: string, email: string, role: MemberRole, newUser: { name: string; passwordHash: string } | null) {
    return this.prisma.client.$transaction(async (tx) => {
      const { count } = await tx.tenantInvitation.updateMany({
        where: { id: invitationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        data: { acceptedAt: new Date() },
      });
      if (count !== 1) return null;
      const user = newUser ? await tx.user.create({ data: { email, ...newUser } }) : await tx.user.findUniqueOrThrow({ where: { email } });
      return tx.membership.upsert({
        where: { userId_tenantId: { userId: user.id, tenantId } },
        create: { userId: user.id, tenantId, role },
        update: {},
        include: withUser,
      });
    });
  }
}
