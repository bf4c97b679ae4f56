import 'server-only';
import type { AuthTokens } from '@/lib/admin-api/auth';
import { getConfig } from '@/lib/config';

/** httpOnly cookies holding the gateway-issued tokens. The browser's JavaScript never sees them. */
export const ACCESS_COOKIE = 'conduit_access';
export const REFRESH_COOKIE = 'conduit_refresh';

/** Drop the access cookie a little before the token expires, so the refresh happens before a 401. */
const ACCESS_EXPIRY_MARGIN_S = 15;
/** The gateway decides how long a refresh token really lives; the cookie just has to outlast it. */
const REFRESH_COOKIE_MAX_AGE_S = 30 * 24 * 60 * 60;

/** A header the proxy sets so server components know the path being rendered. */
export const PATH_HEADER = 'x-conduit-path';

interface CookieOptions {
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'lax';
  path: string;
  maxAge: number;
}

/** Both `cookies()` (actions, route handlers) and `NextResponse#cookies` (proxy) fit this. */
export interface CookieWriter {
  set(name: string, value: string, options: CookieOptions): unknown;
}

/** Secure cookies when the browser reached us over https (directly or through a TLS-terminating proxy). */
export function isSecureRequest(headers: Headers, protocol?: string): boolean {
  const { COOKIE_SECURE } = getConfig();
  if (COOKIE_SECURE !== 'auto') return COOKIE_SECURE === 'true';
  const forwarded = headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === 'https';
  return protocol === 'https:';
}

export function writeAuthCookies(store: CookieWriter, tokens: Pick<AuthTokens, 'accessToken' | 'refreshToken' | 'expiresIn'>, secure: boolean): void {
  const base = { httpOnly: true, secure, sameSite: 'lax' as const, path: '/' };
  store.set(ACCESS_COOKIE, tokens.accessToken, {
    ...base,
    maxAge: Math.max(1, Math.floor(tokens.expiresIn) - ACCESS_EXPIRY_MARGIN_S),
  });
  store.set(REFRESH_COOKIE, tokens.refreshToken, { ...base, maxAge: REFRESH_COOKIE_MAX_AGE_S });
}

export function clearAuthCookies(store: CookieWriter, secure: boolean): void {
  const base = { httpOnly: true, secure, sameSite: 'lax' as const, path: '/', maxAge: 0 };
  store.set(ACCESS_COOKIE, '', base);
  store.set(REFRESH_COOKIE, '', base);
}
