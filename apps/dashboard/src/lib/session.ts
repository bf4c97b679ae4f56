import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { fetchMe, type SessionUser } from '@/lib/admin-api/auth';
import { AdminApiError, AdminApiHttpError, GatewayUnreachableError } from '@/lib/admin-api/errors';
import { ACCESS_COOKIE, PATH_HEADER, REFRESH_COOKIE } from '@/lib/auth-cookies';
import { signInPath } from '@/lib/navigation';

export type Session =
  | { status: 'signed_in'; user: SessionUser; accessToken: string }
  /** The gateway could not confirm the session: it is down, or it answered with an error. */
  | { status: 'gateway_error'; title: string; detail: string; requestId?: string };

/**
 * The signed-in user for this request, confirmed with the gateway
 * (`GET /admin/auth/me`). Memoised per request, so layouts and pages share one
 * call. Redirects to sign-in when there is no session, and through
 * `/auth/refresh` when the access token was rejected.
 */
export const getSession = cache(async (): Promise<Session> => {
  const store = await cookies();
  const requestHeaders = await headers();
  const currentPath = requestHeaders.get(PATH_HEADER) ?? '/';
  const accessToken = store.get(ACCESS_COOKIE)?.value;
  const hasRefreshToken = !!store.get(REFRESH_COOKIE)?.value;

  if (!accessToken) {
    redirect(hasRefreshToken ? refreshPath(currentPath) : signInPath(currentPath));
  }

  try {
    const user = await fetchMe(accessToken);
    return { status: 'signed_in', user, accessToken };
  } catch (error) {
    if (error instanceof AdminApiHttpError && error.status === 401) {
      redirect(hasRefreshToken ? refreshPath(currentPath) : signInPath(currentPath, 'expired'));
    }
    return describeGatewayError(error);
  }
});

/** For pages under a layout that already rendered the gateway error: just the user. */
export async function requireUser(): Promise<SessionUser> {
  const session = await getSession();
  if (session.status !== 'signed_in') throw new Error(session.detail);
  return session.user;
}

function refreshPath(next: string): string {
  return `/auth/refresh?next=${encodeURIComponent(next)}`;
}

export function describeGatewayError(error: unknown): Extract<Session, { status: 'gateway_error' }> {
  if (error instanceof GatewayUnreachableError) {
    return {
      status: 'gateway_error',
      title: 'The gateway is unreachable',
      detail: `${error.message} Check that the gateway is running and that GATEWAY_URL points at it.`,
    };
  }
  if (error instanceof AdminApiHttpError) {
    return {
      status: 'gateway_error',
      title: `The gateway answered with an error (HTTP ${error.status})`,
      detail: error.message,
      requestId: error.requestId,
    };
  }
  if (error instanceof AdminApiError) {
    return { status: 'gateway_error', title: 'Unexpected answer from the gateway', detail: error.message };
  }
  throw error;
}
