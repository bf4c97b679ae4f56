import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { requestLogQuerySchema } from '@conduit/contracts';
import { Access, Tenant, type TenantScope } from '../../auth/access.guard.js';
import { parseInput } from '../../common/validation.js';
import { Doc } from '../common/docs.js';
import { RequestLogsService } from './request-logs.service.js';

@ApiTags('request-logs')
@Controller('admin/tenants/:tenantId/request-logs')
export class RequestLogsController {
  constructor(private readonly logs: RequestLogsService) {}

  @Get()
  @Access('viewer')
  @Doc({ summary: "Search the tenant's request log (newest first) with filters and cursor pagination.", query: requestLogQuerySchema })
  search(@Tenant() t: TenantScope, @Query() q: unknown) {
    return this.logs.search(t, parseInput(requestLogQuerySchema, q));
  }

  @Get(':requestId')
  @Access('viewer')
  @Doc({ summary: 'One request, with its (redacted) bodies when the tenant logs them.', errors: [404] })
  get(@Tenant() t: TenantScope, @Param('requestId') requestId: string) {
    return this.logs.get(t, requestId);
  }
}
