import { z } from 'zod';
import type { MemberRole } from '../tenants';
import { memberRoleSchema } from './tenants';

export const addMemberInputSchema = z
  .object({
    email: z.string().trim().toLowerCase().email('must be an email address'),
    role: memberRoleSchema.default('developer'),
    name: z.string().trim().max(200).optional(),
    /**
     * Creates the user with this password when no account has the email yet.
     * Without it, an unknown email gets an invitation (its token is returned once).
     */
    password: z.string().min(10, 'must be at least 10 characters').max(1024).optional(),
    /** days an invitation stays valid */
    inviteExpiresInDays: z.number().int().min(1).max(30).default(7),
  })
  .strict();
export type AddMemberInput = z.input<typeof addMemberInputSchema>;

export const updateMemberInputSchema = z.object({ role: memberRoleSchema }).strict();

export const acceptInvitationInputSchema = z
  .object({
    token: z.string().min(20).max(200),
    name: z.string().trim().max(200).optional(),
    /** required when the invited email has no account yet */
    password: z.string().min(10, 'must be at least 10 characters').max(1024).optional(),
  })
  .strict();

export interface MemberOutput {
  userId: string;
  email: string;
  name: string;
  role: MemberRole;
  status: 'active' | 'disabled';
  lastLoginAt: string | null;
  createdAt: string;
}

export interface InvitationOutput {
  id: string;
  email: string;
  role: MemberRole;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

/** POST /members answers with the member added, or an invitation (with its token, shown once). */
export type AddMemberOutput =
  | { kind: 'member'; member: MemberOutput; userCreated: boolean }
  | { kind: 'invitation'; invitation: InvitationOutput; token: string };
