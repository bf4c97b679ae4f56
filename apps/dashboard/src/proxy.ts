import { NextResponse, type NextRequest } from 'next/server';
import { refreshTokens } from '@/lib/admin-api/auth';
import { AdminApiHttpError } from '@/lib/admin-api/errors';
import {
  ACCESS_COOKIE,
  clearAuthCookies,
  isSecureRequest,
  PATH_HEADER,
  REFRESH_COOKIE,
  writeAuthCookies,
} from '@/lib/auth-cookies';
import { signInPath } from '@/lib/navigation';

/** Paths anyone may open. Everything else needs a session. */
const PUBLIC_PATHS = new Set(['/sign-in', '/auth/refresh']);

/**
 * An optimistic gate in front of the pages: it only looks at cookies. It
 * sends visitors without a session to sign-in, and renews an expired access
 * token from the refresh token before the page renders (pages cannot set
 * cookies). The real check — asking the gateway who the token belongs to —
 * happens in the layouts and in every server action.
 */
// Redirects here may be built from request.url: Next turns same-origin
// redirects from the proxy into relative Location headers.
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(PATH_HEADER, pathname + search);
  const pass = () => NextResponse.next({ request: { headers: requestHeaders } });

  if (PUBLIC_PATHS.has(pathname)) return pass();

  const accessToken = request.cookies.get(ACCESS_COOKIE)?.value;
  if (accessToken) return pass();

  const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value;
  const secure = isSecureRequest(request.headers, request.nextUrl.protocol);
  if (!refreshToken) {
    return NextResponse.redirect(new URL(signInPath(pathname + search), request.url));
  }

  try {
    const tokens = await refreshTokens(refreshToken);
    const response = pass();
    // Also visible to this request's server components (Next merges cookies
    // set here into the request it renders).
    writeAuthCookies(response.cookies, tokens, secure);
    return response;
  } catch (error) {
    if (error instanceof AdminApiHttpError && error.isClientError) {
      const response = NextResponse.redirect(new URL(signInPath(pathname + search, 'expired'), request.url));
      clearAuthCookies(response.cookies, secure);
      return response;
    }
    // Gateway unreachable or failing: let the page render and explain.
    return pass();
  }
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)'],
};
