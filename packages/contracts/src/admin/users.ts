import { z } from 'zod';
import type { MemberRole } from '../tenants';

export const createUserInputSchema = z
  .object({
    email: z.string().trim().toLowerCase().email('must be an email address'),
    name: z.string().trim().max(200).default(''),
    password: z.string().min(10, 'must be at least 10 characters').max(1024),
    platformRole: z.enum(['admin', 'user']).default('user'),
  })
  .strict();

export const updateUserInputSchema = z
  .object({
    name: z.string().trim().max(200),
    status: z.enum(['active', 'disabled']),
    platformRole: z.enum(['admin', 'user']),
    /** sets a new password (and lifts a sign-in lock) */
    password: z.string().min(10, 'must be at least 10 characters').max(1024),
    /** lifts a lock after repeated failed sign-ins */
    unlock: z.literal(true),
  })
  .partial()
  .strict();

export const listUsersQuerySchema = z.object({ email: z.string().max(300).optional() });

export interface UserOutput {
  id: string;
  email: string;
  name: string;
  platformRole: 'admin' | 'user';
  status: 'active' | 'disabled';
  lockedUntil: string | null;
  lastLoginAt: string | null;
  memberships: { tenantId: string; tenantSlug: string; role: MemberRole }[];
  createdAt: string;
}
