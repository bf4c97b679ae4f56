import { Injectable } from '@nestjs/common';
import { GatewayError, type UserOutput, type createUserInputSchema, type updateUserInputSchema } from '@conduit/contracts';
import { hashPassword } from '@conduit/db';
import type { z } from 'zod';
import type { Actor } from '../../auth/access.guard.js';
import { AuditService } from '../../common/audit.service.js';
import { iso } from '../common/output.js';
import { UsersRepository } from './users.repository.js';

type Row = NonNullable<Awaited<ReturnType<UsersRepository['find']>>>;

function toUser(u: Row): UserOutput {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    platformRole: u.platformRole,
    status: u.status,
    lockedUntil: u.lockedUntil && u.lockedUntil.getTime() > Date.now() ? iso(u.lockedUntil) : null,
    lastLoginAt: iso(u.lastLoginAt),
    memberships: u.memberships.map((m) => ({ tenantId: m.tenant.id, tenantSlug: m.tenant.slug, role: m.role })),
    createdAt: iso(u.createdAt),
  };
}

/** Platform user accounts: create, disable, promote, reset passwords, lift sign-in locks. */
@Injectable()
export class UsersService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  async list(email?: string): Promise<UserOutput[]> {
    return (await this.repo.list(email)).map(toUser);
  }

  async create(actor: Actor, input: z.output<typeof createUserInputSchema>): Promise<UserOutput> {
    const u = await this.repo.create({ email: input.email, name: input.name, platformRole: input.platformRole, passwordHash: await hashPassword(input.password) });
    const out = toUser(u);
    await this.audit.change(actor, { action: 'user.create', targetType: 'user', targetId: u.id, after: out });
    return out;
  }

  async update(actor: Actor, id: string, input: z.output<typeof updateUserInputSchema>): Promise<UserOutput> {
    const before = await this.repo.find(id);
    if (!before) throw new GatewayError('not_found', 'No such user.');
    if (id === actor.user.id && (input.status === 'disabled' || input.platformRole === 'user')) {
      throw new GatewayError('conflict', 'You cannot disable or demote yourself: ask another platform admin.');
    }
    const u = await this.repo.update(id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.platformRole !== undefined ? { platformRole: input.platformRole } : {}),
      ...(input.password !== undefined ? { passwordHash: await hashPassword(input.password) } : {}),
      ...(input.password !== undefined || input.unlock ? { failedLoginCount: 0, lockedUntil: null } : {}),
    });
    if (input.status === 'disabled' || input.password !== undefined) await this.repo.revokeRefreshTokens(id);
    const after = toUser(u);
    await this.audit.change(actor, {
      action: 'user.update',
      targetType: 'user',
      targetId: id,
      before: toUser(before),
      after,
      details: { passwordReset: input.password !== undefined, unlocked: Boolean(input.unlock || input.password) },
    });
    return after;
  }
}
