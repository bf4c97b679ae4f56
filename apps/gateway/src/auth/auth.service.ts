import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import {
  type AccessTokenClaims,
  GatewayError,
  type LoginInput,
  type SessionUser,
  type TokenPair,
} from '@conduit/contracts';
import { generateToken, hashPassword, hashToken, verifyPassword } from '@conduit/db';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../common/audit.service.js';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config.js';
import { RedisService } from '../infra/redis.service.js';
import { AuthRepository, RefreshReplayError } from './auth.repository.js';

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

/** failures after which each further attempt is slowed down */
const SLOWDOWN_AFTER = 3;

@Injectable()
export class AuthService {
  /** verified against for unknown emails, so timing does not reveal which emails exist */
  private dummyHash: Promise<string> | undefined;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly repo: AuthRepository,
    private readonly jwt: JwtService,
    private readonly redis: RedisService,
    private readonly audit: AuditService,
  ) {}

  async login(input: LoginInput, client: ClientInfo): Promise<TokenPair> {
    const user = await this.repo.findUserByEmail(input.email);
    const now = Date.now();
    if (user?.lockedUntil && user.lockedUntil.getTime() > now) {
      throw lockedError(user.lockedUntil);
    }
    this.dummyHash ??= hashPassword('conduit-timing-equaliser');
    const ok = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), input.password);
    if (!user || !ok) {
      if (user) {
        const failures = user.failedLoginCount + 1;
        const lock = failures >= this.config.LOGIN_MAX_FAILURES ? new Date(now + this.config.LOGIN_LOCK_SECONDS * 1000) : null;
        await this.repo.recordFailure(user.id, lock ? 0 : failures, lock);
        await this.audit.record({
          action: lock ? 'auth.account_locked' : 'auth.login_failed',
          actorId: user.id,
          targetType: 'user',
          targetId: user.id,
          details: { failures },
          ...client,
        });
        if (failures > SLOWDOWN_AFTER) await sleep(Math.min(2000, 100 * 2 ** (failures - SLOWDOWN_AFTER)));
        if (lock) throw lockedError(lock);
      }
      throw new GatewayError('invalid_credentials', 'The email or password is not correct.');
    }
    if (user.status !== 'active') {
      throw new GatewayError('account_disabled', 'This account is disabled. Ask a platform admin to enable it.');
    }
    await this.repo.recordSuccess(user.id);
    await this.audit.record({ action: 'auth.login', actorId: user.id, targetType: 'user', targetId: user.id, ...client });
    return this.issue(user.id, randomUUID(), client);
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenPair> {
    const stored = await this.repo.findRefreshToken(hashToken(refreshToken));
    if (!stored) throw invalidRefresh();
    if (stored.revokedAt) {
      // A used or revoked token came back: someone may hold a stolen copy. End the whole session.
      if (stored.replacedById) {
        await this.repo.revokeFamily(stored.familyId);
        await this.revokeSession(stored.familyId);
        await this.audit.record({ action: 'auth.refresh_reuse_detected', actorId: stored.userId, targetType: 'user', targetId: stored.userId, ...client });
      }
      throw invalidRefresh();
    }
    if (stored.expiresAt.getTime() <= Date.now()) throw invalidRefresh();
    const user = await this.repo.sessionUser(stored.userId);
    if (!user || user.status !== 'active') throw invalidRefresh();
    const next = generateToken();
    try {
      await this.repo.consumeRefreshToken(stored.id, {
        userId: stored.userId,
        tokenHash: hashToken(next),
        familyId: stored.familyId,
        expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
        ip: client.ip,
        userAgent: client.userAgent?.slice(0, 512),
      });
    } catch (e) {
      if (e instanceof RefreshReplayError) throw invalidRefresh();
      throw e;
    }
    return this.tokens(user, stored.familyId, next);
  }

  /** Ends the session: the refresh token family is revoked and access tokens of the session stop working. */
  async logout(principal: Principal, refreshToken: string | undefined, client: ClientInfo): Promise<void> {
    await this.repo.revokeFamily(principal.sessionId);
    await this.revokeSession(principal.sessionId);
    if (refreshToken) {
      const stored = await this.repo.findRefreshToken(hashToken(refreshToken));
      if (stored && stored.userId === principal.id && stored.familyId !== principal.sessionId) {
        await this.repo.revokeFamily(stored.familyId);
        await this.revokeSession(stored.familyId);
      }
    }
    await this.audit.record({ action: 'auth.logout', actorId: principal.id, targetType: 'user', targetId: principal.id, ...client });
  }

  /** Called for every authenticated admin request (passport-jwt's validate). */
  async principalFromClaims(claims: AccessTokenClaims & { sid: string }): Promise<Principal | null> {
    if (await this.redis.client.exists(this.revokedKey(claims.sid))) return null;
    const user = await this.repo.sessionUser(claims.sub);
    if (!user || user.status !== 'active') return null;
    const { status: _status, ...session } = user;
    return { ...session, sessionId: claims.sid };
  }

  private async issue(userId: string, familyId: string, client: ClientInfo): Promise<TokenPair> {
    const user = await this.repo.sessionUser(userId);
    if (!user) throw invalidRefresh();
    const refreshToken = generateToken();
    await this.repo.createRefreshToken({
      userId,
      tokenHash: hashToken(refreshToken),
      familyId,
      expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 512),
    });
    return this.tokens(user, familyId, refreshToken);
  }

  private async tokens(user: SessionUser & { status?: string }, familyId: string, refreshToken: string): Promise<TokenPair> {
    const claims: AccessTokenClaims & { sid: string } = { sub: user.id, email: user.email, role: user.platformRole, sid: familyId };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS });
    const { status: _status, ...session } = user;
    return { accessToken, refreshToken, expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS, tokenType: 'Bearer', user: session };
  }

  private revokedKey(sessionId: string) {
    return this.redis.key('auth', 'revoked-session', sessionId);
  }

  private async revokeSession(sessionId: string) {
    // Access tokens live at most ACCESS_TOKEN_TTL_SECONDS: remembering the revocation that long is enough.
    await this.redis.client.set(this.revokedKey(sessionId), '1', 'EX', this.config.ACCESS_TOKEN_TTL_SECONDS + 5);
  }
}

/** The signed-in user of an admin request. */
export interface Principal extends SessionUser {
  sessionId: string;
}

function lockedError(until: Date) {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new GatewayError(
    'account_locked',
    `Too many failed sign-ins: the account is locked until ${until.toISOString()}. Try again in ${Math.ceil(seconds / 60)} minute(s) or ask an admin to reset the password.`,
    { headers: { 'retry-after': String(seconds) }, details: { lockedUntil: until.toISOString() } },
  );
}

function invalidRefresh() {
  return new GatewayError('invalid_refresh_token', 'The session has expired or was signed out. Sign in again.');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
