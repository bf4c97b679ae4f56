'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { login, logout, refreshTokens } from '@/lib/admin-api/auth';
import { AdminApiContractError, AdminApiHttpError, GatewayUnreachableError, isUnauthorized } from '@/lib/admin-api/errors';
import { ACCESS_COOKIE, clearAuthCookies, isSecureRequest, REFRESH_COOKIE, writeAuthCookies } from '@/lib/auth-cookies';
import { homePathFor, safeNextPath, signInPath } from '@/lib/navigation';

export interface SignInState {
  /** What the user typed, so the form keeps it after a failed attempt. */
  email: string;
  fieldErrors?: { email?: string; password?: string };
  error?: { title: string; message: string; requestId?: string };
}

const signInInput = z.object({
  // Deliberately loose: the gateway owns the rules for what an account email is.
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email address.')
    .max(320, 'That email address is too long.')
    .regex(/^[^\s@]+@[^\s@]+$/, 'Enter an email address like name@example.com.'),
  password: z.string().min(1, 'Enter your password.').max(1024, 'That password is too long.'),
  next: z.string().optional(),
});

export async function signIn(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const input = signInInput.safeParse({
    email: formData.get('email') ?? '',
    password: formData.get('password') ?? '',
    next: formData.get('next') ?? undefined,
  });
  const email = typeof formData.get('email') === 'string' ? String(formData.get('email')) : '';
  if (!input.success) {
    const fieldErrors: SignInState['fieldErrors'] = {};
    for (const issue of input.error.issues) {
      const field = issue.path[0];
      if ((field === 'email' || field === 'password') && !fieldErrors[field]) fieldErrors[field] = issue.message;
    }
    return { email, fieldErrors };
  }

  let destination: string;
  try {
    const tokens = await login({ email: input.data.email, password: input.data.password });
    const secure = isSecureRequest(await headers());
    writeAuthCookies(await cookies(), tokens, secure);
    destination = safeNextPath(input.data.next) ?? homePathFor(tokens.user);
  } catch (error) {
    return { email, error: describeSignInError(error) };
  }
  redirect(destination);
}

function describeSignInError(error: unknown): NonNullable<SignInState['error']> {
  if (error instanceof GatewayUnreachableError) {
    return {
      title: 'The gateway is unreachable',
      message: `The dashboard could not connect to the Conduit gateway at ${error.gatewayUrl} (${error.reason}). Check that the gateway is running and that the dashboard's GATEWAY_URL setting points at it, then try again.`,
    };
  }
  if (error instanceof AdminApiHttpError) {
    switch (error.code) {
      case 'invalid_credentials':
        return { title: 'Incorrect email or password', message: error.message, requestId: error.requestId };
      case 'account_locked':
        return { title: 'Account temporarily locked', message: error.message, requestId: error.requestId };
      case 'validation_failed':
        return { title: 'Check what you entered', message: error.message, requestId: error.requestId };
    }
    if (error.status === 429) {
      return { title: 'Too many sign-in attempts', message: error.message, requestId: error.requestId };
    }
    if (error.isClientError) {
      return { title: 'Sign-in was refused', message: error.message, requestId: error.requestId };
    }
    return {
      title: `The gateway failed to sign you in (HTTP ${error.status})`,
      message: `${error.message} Try again in a moment; if it keeps happening, check the gateway's logs.`,
      requestId: error.requestId,
    };
  }
  if (error instanceof AdminApiContractError) {
    return {
      title: 'Unexpected answer from the gateway',
      message: `The gateway's sign-in response did not have the expected shape. The dashboard and gateway may be different versions. (${error.issues})`,
    };
  }
  throw error;
}

export async function signOut(): Promise<void> {
  const store = await cookies();
  const accessToken = store.get(ACCESS_COOKIE)?.value;
  const refreshToken = store.get(REFRESH_COOKIE)?.value;
  try {
    await endGatewaySession(accessToken, refreshToken);
  } catch (error) {
    // The local session ends regardless; an unrevoked refresh token still expires on its own.
    console.warn('[dashboard] gateway logout failed:', error instanceof Error ? error.message : error);
  }
  clearAuthCookies(store, isSecureRequest(await headers()));
  redirect(signInPath(undefined, 'signed_out'));
}

/**
 * Revokes the session on the gateway. Logout needs a valid access token; if
 * ours is missing or expired, renew it once with the refresh token so the
 * refresh token really is revoked rather than left usable.
 */
async function endGatewaySession(accessToken: string | undefined, refreshToken: string | undefined): Promise<void> {
  if (!accessToken && !refreshToken) return;
  if (accessToken) {
    try {
      await logout(accessToken, refreshToken);
      return;
    } catch (error) {
      if (!isUnauthorized(error) || !refreshToken) throw error;
    }
  }
  if (!refreshToken) return;
  const renewed = await refreshTokens(refreshToken);
  await logout(renewed.accessToken, renewed.refreshToken);
}
