import { Module } from '@nestjs/common';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { AdminCommonModule } from './common/admin-common.module.js';
import { MembersModule } from './members/members.module.js';
import { SettingsModule } from './settings/settings.module.js';
import { TenantsModule } from './tenants/tenants.module.js';

/** The control-plane API (/admin/*): one module per domain. */
@Module({
  imports: [AdminCommonModule, TenantsModule, MembersModule, SettingsModule, ApiKeysModule],
})
export class AdminModule {}
