import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { AccessTokenClaims } from '@conduit/contracts';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config.js';
import { AuthService, type Principal } from './auth.service.js';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.CONDUIT_JWT_SECRET,
      algorithms: ['HS256'],
      issuer: 'conduit',
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims & { sid: string }): Promise<Principal | false> {
    return (await this.auth.principalFromClaims(claims)) ?? false;
  }
}
