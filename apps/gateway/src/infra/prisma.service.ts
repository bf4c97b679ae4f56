import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createPrismaClient, type PrismaClient } from '@conduit/db';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config.js';

/** The gateway's Prisma client. Only repositories use it. */
@Injectable()
export class PrismaService implements OnModuleDestroy {
  readonly client: PrismaClient;
  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.client = createPrismaClient({ url: config.DATABASE_URL, max: config.DB_POOL_SIZE });
  }
  async onModuleDestroy() {
    await this.client.$disconnect();
  }
}
