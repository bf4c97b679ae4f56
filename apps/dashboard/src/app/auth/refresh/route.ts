import type { NextRequest, NextResponse } from 'next/server';
import { fetchMe, refreshTokens } from '@/lib/admin-api/auth';
import { AdminApiHttpError } from '@/lib/admin-api/errors';
import { clearAuthCookies, isSecureRequest, REFRESH_COOKIE, writeAuthCookies } from '@/lib/auth-cookies';
import { homePathFor, safeNextPath, signInPath } from '@/lib/navigation';
import { redirectTo } from '@/lib/redirect-response';

/**
 * Server components cannot set cookies, so when one finds the access token
 * rejected it sends the browser here: exchange the refresh token, store the
 * new tokens, and go back. If the gateway says no, sign in again.
 */
export async function GET(request: NextRequest): Promise<NextResponse> {
  const next = safeNextPath(request.nextUrl.searchParams.get('next'));
  const secure = isSecureRequest(request.headers, request.nextUrl.protocol);
  const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value;

  const toSignIn = () => {
    const response = redirectTo(signInPath(next, 'expired'), 303);
    clearAuthCookies(response.cookies, secure);
    return response;
  };

  if (!refreshToken) return toSignIn();

  try {
    const tokens = await refreshTokens(refreshToken);
    // Confirm the new access token works before sending the browser back,
    // so a gateway that keeps rejecting it cannot cause a redirect loop.
    const user = await fetchMe(tokens.accessToken);
    const response = redirectTo(next ?? homePathFor(user), 303);
    writeAuthCookies(response.cookies, tokens, secure);
    return response;
  } catch (error) {
    if (error instanceof AdminApiHttpError && error.isClientError) return toSignIn();
    // The gateway is down or erring: keep the cookies (the session may still be
    // valid) and let sign-in explain what is wrong.
    const params = new URLSearchParams({ reason: 'gateway_error' });
    if (next) params.set('next', next);
    return redirectTo(`/sign-in?${params}`, 303);
  }
}
