import { Module } from '@nestjs/common';
import { AnalyticsModule } from './analytics/analytics.module.js';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { ApprovalsModule } from './approvals/approvals.module.js';
import { AuditLogModule } from './audit-log/audit-log.module.js';
import { CatalogueModule } from './catalogue/catalogue.module.js';
import { AdminCommonModule } from './common/admin-common.module.js';
import { MembersModule } from './members/members.module.js';
import { PromptsModule } from './prompts/prompts.module.js';
import { ProvidersModule } from './providers/providers.module.js';
import { QuotasModule } from './quotas/quotas.module.js';
import { RequestLogsModule } from './request-logs/request-logs.module.js';
import { SettingsModule } from './settings/settings.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { UsersModule } from './users/users.module.js';

/** The control-plane API (/admin/*): one module per domain. */
@Module({
  imports: [
    AdminCommonModule,
    TenantsModule,
    MembersModule,
    SettingsModule,
    ApiKeysModule,
    ProvidersModule,
    CatalogueModule,
    ApprovalsModule,
    QuotasModule,
    PromptsModule,
    AnalyticsModule,
    RequestLogsModule,
    AuditLogModule,
    UsersModule,
  ],
})
export class AdminModule {}
