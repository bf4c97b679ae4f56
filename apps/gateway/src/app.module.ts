import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module.js';
import { AuthModule } from './auth/auth.module.js';
import { GATEWAY_CONFIG, type GatewayConfig } from './config.js';
import { DataPlaneModule } from './data-plane/data-plane.module.js';
import { HealthModule } from './health/health.module.js';
import { InfraModule } from './infra/infra.module.js';

@Global()
@Module({})
class ConfigModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: GATEWAY_CONFIG, useValue: config }], exports: [GATEWAY_CONFIG] };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return { module: AppModule, imports: [ConfigModule.forRoot(config), InfraModule, HealthModule, AuthModule, DataPlaneModule, AdminModule] };
  }
}
