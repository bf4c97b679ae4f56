import { z } from 'zod';
import type { MemberRole } from './tenants';

export const loginInputSchema = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address'),
  password: z.string().min(1, 'is required').max(1024),
});
export type LoginInput = z.input<typeof loginInputSchema>;

export const refreshInputSchema = z.object({ refreshToken: z.string().min(20).max(512) });
export const logoutInputSchema = z.object({ refreshToken: z.string().max(512).optional() });

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  platformRole: 'admin' | 'user';
  memberships: { tenantId: string; tenantSlug: string; tenantName: string; role: MemberRole }[];
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** access token lifetime in seconds */
  expiresIn: number;
  tokenType: 'Bearer';
  user: SessionUser;
}

/** What a signed access token carries. */
export interface AccessTokenClaims {
  sub: string;
  email: string;
  role: 'admin' | 'user';
}
