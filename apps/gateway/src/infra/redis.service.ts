import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config.js';

@Injectable()
export class RedisService implements OnModuleDestroy {
  readonly client: Redis;
  /** every key this deployment writes starts with this */
  readonly prefix: string;
  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.prefix = config.REDIS_PREFIX ? `${config.REDIS_PREFIX}:` : '';
    this.client = new Redis(config.REDIS_URL, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      // the hot path never waits long on Redis: past this, limits fail open or closed per tenant
      commandTimeout: 1000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    // Connection errors are reported by /ready; they must not crash the process.
    this.client.on('error', () => undefined);
  }
  /** Resolves once connected (commands fail fast rather than queue while Redis is away). */
  async whenReady(timeoutMs: number): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        reject(new Error(`not connected (${this.client.status}) after ${timeoutMs} ms`));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('ready', onReady);
    });
  }

  key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }
  async onModuleDestroy() {
    this.client.disconnect();
  }
}
