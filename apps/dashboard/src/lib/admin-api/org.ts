import 'server-only';
import { z } from 'zod';
import { adminRequest } from './client';
import { tenantSummarySchema } from './portal';

// Shapes: @conduit/contracts admin/tenants.ts, members.ts, users.ts.
export const PLANS = ['free', 'basic', 'pro', 'enterprise'] as const;
export const ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;

export const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  status: z.enum(['active', 'disabled']),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Member = z.infer<typeof memberSchema>;

const addMemberOutput = z.union([
  z.object({ kind: z.literal('member'), member: memberSchema, userCreated: z.boolean() }),
  z.object({ kind: z.literal('invitation'), invitation: z.object({ id: z.string(), email: z.string(), expiresAt: z.string() }), token: z.string() }),
]);

const t = (tenant: string) => `/admin/tenants/${encodeURIComponent(tenant)}`;

export const createTenant = (
  token: string,
  body: { slug: string; name: string; plan: (typeof PLANS)[number]; owner?: { email: string; password?: string } },
) =>
  adminRequest({
    method: 'POST',
    path: '/admin/tenants',
    body,
    accessToken: token,
    schema: z.object({ tenant: tenantSummarySchema, owner: z.unknown() }).transform((v) => v.tenant),
  });

export const setTenantSuspended = (token: string, tenant: string, suspend: boolean) =>
  adminRequest({ method: 'POST', path: `${t(tenant)}/${suspend ? 'suspend' : 'resume'}`, body: {}, accessToken: token, schema: z.unknown() });

export const listMembers = (token: string, tenant: string) =>
  adminRequest({ path: `${t(tenant)}/members`, accessToken: token, schema: z.array(memberSchema) });

export const addMember = (token: string, tenant: string, body: { email: string; role: Member['role']; password?: string; name?: string }) =>
  adminRequest({ method: 'POST', path: `${t(tenant)}/members`, body, accessToken: token, schema: addMemberOutput });

export const updateMember = (token: string, tenant: string, userId: string, role: Member['role']) =>
  adminRequest({ method: 'PATCH', path: `${t(tenant)}/members/${encodeURIComponent(userId)}`, body: { role }, accessToken: token, schema: z.unknown() });

export const removeMember = (token: string, tenant: string, userId: string) =>
  adminRequest({ method: 'DELETE', path: `${t(tenant)}/members/${encodeURIComponent(userId)}`, accessToken: token, schema: z.unknown() });

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  platformRole: z.enum(['admin', 'user']),
  status: z.enum(['active', 'disabled']),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  memberships: z.array(z.object({ tenantId: z.string(), tenantSlug: z.string(), role: z.string() })),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const listUsers = (token: string) => adminRequest({ path: '/admin/users', accessToken: token, schema: z.array(userSchema) });

export const updateUser = (token: string, userId: string, body: { status?: 'active' | 'disabled'; platformRole?: 'admin' | 'user'; unlock?: true }) =>
  adminRequest({ method: 'PATCH', path: `/admin/users/${encodeURIComponent(userId)}`, body, accessToken: token, schema: z.unknown() });
