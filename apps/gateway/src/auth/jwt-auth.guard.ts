import { type ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { GatewayError } from '@conduit/contracts';
import type { FastifyRequest } from 'fastify';
import type { Principal } from './auth.service.js';

/** Requires a valid, unrevoked access token on the admin API. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  handleRequest<T = Principal>(err: unknown, user: T | false, info: unknown): T {
    if (err) throw err;
    if (!user) {
      const reason = (info as { name?: string } | undefined)?.name;
      throw new GatewayError(
        'unauthenticated',
        reason === 'TokenExpiredError'
          ? 'The access token has expired: refresh it (POST /admin/auth/refresh) or sign in again.'
          : 'Sign in first: send `Authorization: Bearer <access token>` from POST /admin/auth/login.',
      );
    }
    return user;
  }
}

/** The signed-in user, in a controller method. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return (ctx.switchToHttp().getRequest<FastifyRequest & { user: Principal }>()).user;
});

export function clientInfo(req: FastifyRequest) {
  return { ip: req.ip, userAgent: req.headers['user-agent'], requestId: String(req.id) };
}
