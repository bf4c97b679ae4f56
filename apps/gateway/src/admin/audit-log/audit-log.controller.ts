import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { auditLogQuerySchema } from '@conduit/contracts';
import { Access, Tenant, type TenantScope } from '../../auth/access.guard.js';
import { parseInput } from '../../common/validation.js';
import { Doc } from '../common/docs.js';
import { AuditLogService } from './audit-log.service.js';

@ApiTags('audit-log')
@Controller('admin')
export class AuditLogController {
  constructor(private readonly audit: AuditLogService) {}

  @Get('tenants/:tenantId/audit-log')
  @Access('admin')
  @Doc({ summary: "The tenant's audit log: who did what to which target, before and after (secrets redacted), IP and time. `action` accepts a trailing * as a prefix match.", query: auditLogQuerySchema })
  tenant(@Tenant() t: TenantScope, @Query() q: unknown) {
    return this.audit.search(parseInput(auditLogQuerySchema, q), t.tenantId);
  }

  @Get('audit-log')
  @Access('platform_admin')
  @Doc({ summary: 'The whole audit log (filter by tenant, actor, action, target, period).', query: auditLogQuerySchema })
  all(@Query() q: unknown) {
    return this.audit.search(parseInput(auditLogQuerySchema, q));
  }
}
