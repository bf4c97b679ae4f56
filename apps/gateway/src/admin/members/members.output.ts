import type { InvitationOutput, MemberOutput } from '@conduit/contracts';
import { iso } from '../common/output.js';

export function toMember(m: {
  role: MemberOutput['role'];
  createdAt: Date;
  user: { id: string; email: string; name: string; status: MemberOutput['status']; lastLoginAt: Date | null };
}): MemberOutput {
  return { userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role, status: m.user.status, lastLoginAt: iso(m.user.lastLoginAt), createdAt: iso(m.createdAt) };
}

export function toInvitation(i: { id: string; email: string; role: InvitationOutput['role']; expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null; createdAt: Date }): InvitationOutput {
  return { id: i.id, email: i.email, role: i.role, expiresAt: iso(i.expiresAt), acceptedAt: iso(i.acceptedAt), revokedAt: iso(i.revokedAt), createdAt: iso(i.createdAt) };
}
