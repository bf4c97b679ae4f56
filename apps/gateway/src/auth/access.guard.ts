import { applyDecorators, type CanActivate, createParamDecorator, type ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiParam, ApiResponse } from '@nestjs/swagger';
import { GatewayError, type MemberRole } from '@conduit/contracts';
import type { FastifyRequest } from 'fastify';
import { AuthRepository } from './auth.repository.js';
import type { Principal } from './auth.service.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';

/**
 * Who may call an admin endpoint:
 *  - 'signed_in': any signed-in user
 *  - 'platform_admin': platform admins only
 *  - a tenant role: members of the tenant named by the `:tenantId` path parameter
 *    (its id or slug) with at least that role; platform admins always pass.
 */
export type AccessRule = 'signed_in' | 'platform_admin' | MemberRole;

const RANK: Record<MemberRole, number> = { viewer: 1, developer: 2, admin: 3, owner: 4 };

/** true when `role` is at least `min` (owner > admin > developer > viewer) */
export function roleAtLeast(role: MemberRole | null | undefined, min: MemberRole): boolean {
  return role ? RANK[role] >= RANK[min] : false;
}

/** The tenant an admin request is about, and who is asking: set by AccessGuard. */
export interface TenantScope {
  tenantId: string;
  slug: string;
  status: 'active' | 'suspended';
  /** the caller's membership role (null: a platform admin who is not a member) */
  role: MemberRole | null;
  platformAdmin: boolean;
  userId: string;
}

/** Admin (or owner) of the tenant, or a platform admin. */
export function isTenantAdmin(scope: TenantScope): boolean {
  return scope.platformAdmin || roleAtLeast(scope.role, 'admin');
}

const ACCESS = 'conduit:access';
type AdminRequest = FastifyRequest & { user?: Principal; tenantScope?: TenantScope };

/** The one RBAC check of the admin API: reads the endpoint's AccessRule and the path's tenant. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly repo: AuthRepository,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS, [ctx.getHandler(), ctx.getClass()]);
    const req = ctx.switchToHttp().getRequest<AdminRequest>();
    const user = req.user;
    if (!user) throw new GatewayError('unauthenticated', 'Sign in first.');
    const platformAdmin = user.platformRole === 'admin';
    if (!rule || rule === 'signed_in') return true;
    if (rule === 'platform_admin' && !platformAdmin) throw forbidden('Only a platform admin can do this.');
    const ref = (req.params as Record<string, string | undefined>).tenantId;
    if (!ref) {
      if (rule === 'platform_admin') return true;
      throw new Error(`endpoint requires a tenant role but has no :tenantId parameter`);
    }
    const tenant = await this.repo.findTenantRef(ref);
    const membership = tenant ? user.memberships.find((m) => m.tenantId === tenant.id) : undefined;
    if (!tenant || (!platformAdmin && !membership)) {
      // Non-members learn nothing, not even whether the tenant exists.
      if (platformAdmin) throw new GatewayError('not_found', `No tenant "${ref}".`);
      throw forbidden('You are not a member of this tenant.');
    }
    if (!platformAdmin && rule !== 'platform_admin' && !roleAtLeast(membership!.role, rule)) {
      throw forbidden(`This needs the ${rule} role (or higher) in tenant "${tenant.slug}"; you are ${membership!.role}.`);
    }
    req.tenantScope = { tenantId: tenant.id, slug: tenant.slug, status: tenant.status, role: membership?.role ?? null, platformAdmin, userId: user.id };
    return true;
  }
}

function forbidden(message: string) {
  return new GatewayError('forbidden', message);
}

/** Marks an admin endpoint with who may call it (and documents the bearer auth and its 401/403). */
export function Access(rule: AccessRule) {
  const who = rule === 'signed_in' ? 'any signed-in user' : rule === 'platform_admin' ? 'platform admins' : `tenant ${rule} or higher, platform admins`;
  const tenantScoped = rule !== 'signed_in' && rule !== 'platform_admin';
  return applyDecorators(
    ...(tenantScoped ? [TenantParam()] : []),
    SetMetadata(ACCESS, rule),
    UseGuards(JwtAuthGuard, AccessGuard),
    ApiBearerAuth(),
    ApiResponse({ status: 401, description: 'unauthenticated: no valid access token' }),
    ApiResponse({ status: 403, description: `forbidden: allowed for ${who}` }),
  );
}

/** Documents the `:tenantId` path parameter (read by AccessGuard, not by a @Param). */
export function TenantParam() {
  return ApiParam({ name: 'tenantId', description: "the tenant's id or slug", schema: { type: 'string' } });
}

/** The tenant of a tenant-scoped admin request (after AccessGuard). */
export const Tenant = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantScope => {
  const scope = ctx.switchToHttp().getRequest<AdminRequest>().tenantScope;
  if (!scope) throw new Error('@Tenant() used on an endpoint without a tenant access rule');
  return scope;
});

/** Who did it, from where: what every audited action needs. */
export interface Actor {
  user: Principal;
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<AdminRequest>();
  if (!req.user) throw new GatewayError('unauthenticated', 'Sign in first.');
  return { user: req.user, ip: req.ip, userAgent: req.headers['user-agent'], requestId: String(req.id) };
});
