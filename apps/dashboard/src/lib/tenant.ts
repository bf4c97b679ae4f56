import 'server-only';
import type { Membership } from '@/lib/admin-api/auth';
import { requireUser } from '@/lib/session';

/** The signed-in user's membership in the tenant named by the URL, if any. */
export async function requireMembership(params: Promise<{ tenant: string }>): Promise<Membership> {
  const { tenant } = await params;
  const user = await requireUser();
  const membership = user.memberships.find((candidate) => candidate.tenantSlug === decodeURIComponent(tenant));
  if (!membership) throw new Error(`Not a member of tenant ${tenant}`);
  return membership;
}

export const ROLE_LABEL: Record<Membership['role'], string> = {
  owner: 'Owner',
  admin: 'Admin',
  developer: 'Developer',
  viewer: 'Viewer',
};
