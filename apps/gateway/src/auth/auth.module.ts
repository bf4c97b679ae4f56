import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AuditService } from '../common/audit.service.js';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config.js';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthRepository } from './auth.repository.js';
import { AuthService } from './auth.service.js';
import { JwtStrategy } from './jwt.strategy.js';

/** Global: every admin module uses the AccessGuard (RBAC) and the AuditService. */
@Global()
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => ({ secret: config.CONDUIT_JWT_SECRET, signOptions: { algorithm: 'HS256', issuer: 'conduit' }, verifyOptions: { algorithms: ['HS256'], issuer: 'conduit' } }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, AuthRepository, JwtStrategy, AuditService, AccessGuard],
  exports: [AuthService, AuthRepository, AccessGuard, AuditService],
})
export class AuthModule {}
