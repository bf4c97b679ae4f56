import 'server-only';
import { z } from 'zod';
import { adminRequest } from './client';
import { AdminApiHttpError } from './errors';

export const tenantRoleSchema = z.enum(['owner', 'admin', 'developer', 'viewer']);
export type TenantRole = z.infer<typeof tenantRoleSchema>;

export const membershipSchema = z.object({
  tenantId: z.string(),
  tenantSlug: z.string(),
  tenantName: z.string(),
  role: tenantRoleSchema,
});
export type Membership = z.infer<typeof membershipSchema>;

export const sessionUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullish(),
  platformRole: z.enum(['admin', 'user']),
  memberships: z.array(membershipSchema),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const authTokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** Lifetime of the access token, in seconds. */
  expiresIn: z.number().positive(),
  user: sessionUserSchema,
});
export type AuthTokens = z.infer<typeof authTokensSchema>;

/** `/admin/auth/me` returns the user object (accepted bare or wrapped in `{ user }`). */
const meSchema = z.union([z.object({ user: sessionUserSchema }).transform((body) => body.user), sessionUserSchema]);

export function login(credentials: { email: string; password: string }): Promise<AuthTokens> {
  return adminRequest({ method: 'POST', path: '/admin/auth/login', body: credentials, schema: authTokensSchema });
}

export function fetchMe(accessToken: string): Promise<SessionUser> {
  return adminRequest({ path: '/admin/auth/me', accessToken, schema: meSchema });
}

export async function logout(accessToken: string | undefined, refreshToken: string | undefined): Promise<void> {
  await adminRequest({
    method: 'POST',
    path: '/admin/auth/logout',
    accessToken,
    body: refreshToken ? { refreshToken } : {},
    schema: z.unknown(),
  });
}

type RefreshOutcome = { ok: true; tokens: AuthTokens } | { ok: false; error: unknown };

/**
 * Exchanges a refresh token for new tokens. The gateway rotates refresh
 * tokens, and a browser often sends several requests at once with the same
 * expired session (page + prefetches): all of them must share one exchange,
 * or the second would present an already-rotated token. Results are kept
 * briefly per refresh token. The map lives on globalThis because the proxy and
 * the app are bundled separately but run in one process.
 */
export async function refreshTokens(refreshToken: string): Promise<AuthTokens> {
  const inflight = refreshRegistry();
  const now = Date.now();
  for (const [token, entry] of inflight) if (entry.expiresAt < now) inflight.delete(token);

  let entry = inflight.get(refreshToken);
  if (!entry) {
    const outcome = adminRequest({
      method: 'POST',
      path: '/admin/auth/refresh',
      body: { refreshToken },
      schema: authTokensSchema,
    }).then(
      (tokens): RefreshOutcome => ({ ok: true, tokens }),
      (error: unknown): RefreshOutcome => {
        // Only a definitive "no" from the gateway is worth remembering; a
        // network failure should be retried by the next request.
        if (!(error instanceof AdminApiHttpError && error.isClientError)) inflight.delete(refreshToken);
        return { ok: false, error };
      },
    );
    entry = { outcome, expiresAt: now + REFRESH_REUSE_MS };
    inflight.set(refreshToken, entry);
  }
  const result = await entry.outcome;
  if (!result.ok) throw result.error;
  return result.tokens;
}

const REFRESH_REUSE_MS = 30_000;
const REGISTRY_KEY = Symbol.for('conduit.dashboard.refreshRegistry');

function refreshRegistry(): Map<string, { outcome: Promise<RefreshOutcome>; expiresAt: number }> {
  const holder = globalThis as typeof globalThis & {
    [REGISTRY_KEY]?: Map<string, { outcome: Promise<RefreshOutcome>; expiresAt: number }>;
  };
  holder[REGISTRY_KEY] ??= new Map();
  return holder[REGISTRY_KEY];
}
