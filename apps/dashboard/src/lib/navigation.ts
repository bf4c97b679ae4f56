import type { SessionUser } from '@/lib/admin-api/auth';

/** Where a user lands after signing in (or on `/`). */
export function homePathFor(user: SessionUser): string {
  if (user.platformRole === 'admin') return '/admin';
  const first = user.memberships[0];
  if (first) return `/t/${encodeURIComponent(first.tenantSlug)}`;
  return '/no-access';
}

/**
 * Accepts a post-sign-in destination only if it is a path on this site
 * (no scheme, no `//host`, no backslash tricks), never back to sign-in.
 */
export function safeNextPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return undefined;
  try {
    const url = new URL(value, 'http://dashboard.invalid');
    if (url.origin !== 'http://dashboard.invalid') return undefined;
    if (url.pathname === '/sign-in' || url.pathname.startsWith('/auth/')) return undefined;
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}

export function signInPath(next?: string, reason?: 'expired' | 'signed_out'): string {
  const params = new URLSearchParams();
  const safe = safeNextPath(next);
  if (safe && safe !== '/') params.set('next', safe);
  if (reason) params.set('reason', reason);
  const query = params.toString();
  return query ? `/sign-in?${query}` : '/sign-in';
}
