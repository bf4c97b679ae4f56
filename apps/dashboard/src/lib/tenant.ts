import 'server-only';
import { notFound } from 'next/navigation';
import type { Membership } from '@/lib/admin-api/auth';
import { requireUser } from '@/lib/session';

/** The signed-in user's membership in the tenant named by the URL. */
export async function requireMembership(params: Promise<{ tenant: string }>): Promise<Membership> {
  const { tenant } = await params;
  const user = await requireUser();
  const membership = user.memberships.find((candidate) => candidate.tenantSlug === decodeURIComponent(tenant));
  // The portal layout already shows the user why; this only stops the page.
  if (!membership) notFound();
  return membership;
}

export const ROLE_LABEL: Record<Membership['role'], string> = {
  owner: 'Owner',
  admin: 'Admin',
  developer: 'Developer',
  viewer: 'Viewer',
};
