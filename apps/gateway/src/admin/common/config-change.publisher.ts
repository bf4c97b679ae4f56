import { Injectable, Logger } from '@nestjs/common';
import { CONFIG_CHANGES_CHANNEL, type ConfigChange, configChangeSchema } from '@conduit/contracts';
import { RedisService } from '../../infra/redis.service.js';

/**
 * Tells every gateway replica that configuration it caches has changed: one JSON
 * `ConfigChange` per message on `${REDIS_PREFIX}:config-changes`. Call it after the
 * database transaction has committed, never inside it.
 */
@Injectable()
export class ConfigChangePublisher {
  private readonly logger = new Logger('ConfigChangePublisher');
  constructor(private readonly redis: RedisService) {}

  get channel(): string {
    return this.redis.key(CONFIG_CHANGES_CHANNEL);
  }

  async publish(...changes: ConfigChange[]): Promise<void> {
    for (const change of changes) {
      const message = JSON.stringify(configChangeSchema.parse(change));
      try {
        await this.redis.client.publish(this.channel, message);
      } catch (err) {
        // The change is committed; replicas also expire their caches on their own.
        // Losing the message only delays it, so the admin action still succeeds.
        this.logger.error(`could not publish config change ${message}: ${(err as Error).message}`);
      }
    }
  }
}
