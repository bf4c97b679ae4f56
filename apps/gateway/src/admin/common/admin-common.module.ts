import { Global, Module } from '@nestjs/common';
import { ConfigChangePublisher } from './config-change.publisher.js';

/** What every admin module shares: the config-change publisher. */
@Global()
@Module({ providers: [ConfigChangePublisher], exports: [ConfigChangePublisher] })
export class AdminCommonModule {}
