import { Injectable } from '@nestjs/common';
import {
  type AddMemberOutput,
  GatewayError,
  type MemberOutput,
  type MemberRole,
  type acceptInvitationInputSchema,
  type addMemberInputSchema,
} from '@conduit/contracts';
import { generateToken, hashPassword, hashToken } from '@conduit/db';
import type { z } from 'zod';
import type { Actor, TenantScope } from '../../auth/access.guard.js';
import { AuditService } from '../../common/audit.service.js';
import { MembersRepository } from './members.repository.js';
import { toInvitation, toMember } from './members.output.js';

/** Only an owner (or a platform admin) may make, unmake or remove owners. */
function canManageOwners(scope: TenantScope) {
  return scope.platformAdmin || scope.role === 'owner';
}

@Injectable()
export class MembersService {
  constructor(
    private readonly repo: MembersRepository,
    private readonly audit: AuditService,
  ) {}

  async list(scope: TenantScope): Promise<MemberOutput[]> {
    return (await this.repo.list(scope.tenantId)).map(toMember);
  }

  async add(scope: TenantScope, actor: Actor, input: z.output<typeof addMemberInputSchema>): Promise<AddMemberOutput> {
    if (input.role === 'owner' && !canManageOwners(scope)) throw new GatewayError('forbidden', 'Only an owner can add another owner.');
    const existing = await this.repo.findUserByEmail(input.email);
    if (existing) {
      if (await this.repo.find(scope.tenantId, existing.id)) throw new GatewayError('conflict', `${input.email} is already a member of this tenant.`);
      const m = await this.repo.create(scope.tenantId, existing.id, input.role);
      const member = toMember(m);
      await this.audit.change(actor, { action: 'member.add', tenantId: scope.tenantId, targetType: 'user', targetId: existing.id, after: member });
      return { kind: 'member', member, userCreated: false };
    }
    if (input.password) {
      const m = await this.repo.createUserAndMembership(
        scope.tenantId,
        { email: input.email, name: input.name ?? '', passwordHash: await hashPassword(input.password) },
        input.role,
      );
      const member = toMember(m);
      await this.audit.change(actor, { action: 'member.add', tenantId: scope.tenantId, targetType: 'user', targetId: m.user.id, after: member, details: { userCreated: true } });
      return { kind: 'member', member, userCreated: true };
    }
    const token = generateToken();
    const inv = await this.repo.createInvitation({
      tenantId: scope.tenantId,
      email: input.email,
      role: input.role,
      tokenHash: hashToken(token),
      invitedById: actor.user.id,
      expiresAt: new Date(Date.now() + input.inviteExpiresInDays * 86_400_000),
    });
    const invitation = toInvitation(inv);
    await this.audit.change(actor, { action: 'member.invite', tenantId: scope.tenantId, targetType: 'invitation', targetId: inv.id, after: invitation });
    return { kind: 'invitation', invitation, token };
  }

  async updateRole(scope: TenantScope, actor: Actor, userId: string, role: MemberRole): Promise<MemberOutput> {
    const current = await this.repo.find(scope.tenantId, userId);
    if (!current) throw new GatewayError('not_found', 'No such member in this tenant.');
    if ((current.role === 'owner' || role === 'owner') && !canManageOwners(scope)) throw new GatewayError('forbidden', 'Only an owner can make or unmake owners.');
    const updated = await this.repo.updateRole(scope.tenantId, userId, role);
    if (!updated) throw new GatewayError('conflict', 'A tenant must keep at least one owner: make someone else owner first.', { details: { reason: 'last_owner' } });
    const after = toMember(updated);
    await this.audit.change(actor, { action: 'member.update_role', tenantId: scope.tenantId, targetType: 'user', targetId: userId, before: toMember(current), after });
    return after;
  }

  async remove(scope: TenantScope, actor: Actor, userId: string): Promise<void> {
    const current = await this.repo.find(scope.tenantId, userId);
    if (!current) throw new GatewayError('not_found', 'No such member in this tenant.');
    if (current.role === 'owner' && !canManageOwners(scope)) throw new GatewayError('forbidden', 'Only an owner can remove an owner.');
    if (!(await this.repo.remove(scope.tenantId, userId))) {
      throw new GatewayError('conflict', 'A tenant must keep at least one owner: make someone else owner first.', { details: { reason: 'last_owner' } });
    }
    await this.audit.change(actor, { action: 'member.remove', tenantId: scope.tenantId, targetType: 'user', targetId: userId, before: toMember(current) });
  }

  async listInvitations(scope: TenantScope) {
    return (await this.repo.listInvitations(scope.tenantId)).map(toInvitation);
  }

  async revokeInvitation(scope: TenantScope, actor: Actor, id: string) {
    const inv = await this.repo.findInvitation(scope.tenantId, id);
    if (!inv) throw new GatewayError('not_found', 'No such invitation in this tenant.');
    if (inv.acceptedAt) throw new GatewayError('conflict', 'The invitation was already accepted.');
    const after = toInvitation(await this.repo.revokeInvitation(inv.id));
    await this.audit.change(actor, { action: 'invitation.revoke', tenantId: scope.tenantId, targetType: 'invitation', targetId: inv.id, before: toInvitation(inv), after });
    return after;
  }

  /** Public: the invited person joins with the token from the invitation (creating their account if needed). */
  async accept(input: z.output<typeof acceptInvitationInputSchema>, client: { ip?: string; userAgent?: string; requestId?: string }) {
    const inv = await this.repo.findInvitationByTokenHash(hashToken(input.token));
    const invalid = new GatewayError('not_found', 'This invitation does not exist, has expired, or was already used.');
    if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt.getTime() <= Date.now()) throw invalid;
    const existing = await this.repo.findUserByEmail(inv.email);
    if (!existing && !input.password) {
      throw new GatewayError('validation_failed', 'Invalid request: password is required to create your account', {
        details: { fields: [{ field: 'password', message: 'is required to create your account' }] },
      });
    }
    const m = await this.repo.acceptInvitation(
      inv.id,
      inv.tenantId,
      inv.email,
      inv.role,
      existing ? null : { name: input.name ?? '', passwordHash: await hashPassword(input.password!) },
    );
    if (!m) throw invalid;
    const member = toMember(m);
    await this.audit.change({ user: { id: m.user.id }, ...client }, { action: 'invitation.accept', tenantId: inv.tenantId, targetType: 'invitation', targetId: inv.id, after: member });
    return { tenant: { id: inv.tenant.id, slug: inv.tenant.slug }, member };
  }
}
