import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { createQuotaInputSchema, updateQuotaInputSchema } from '@conduit/contracts';
import { Access, type Actor, CurrentActor, Tenant, type TenantScope } from '../../auth/access.guard.js';
import { parseInput } from '../../common/validation.js';
import { Doc } from '../common/docs.js';
import { QuotasService } from './quotas.service.js';

@ApiTags('quotas')
@Controller('admin/tenants/:tenantId/quotas')
export class QuotasController {
  constructor(private readonly quotas: QuotasService) {}

  @Get()
  @Access('viewer')
  @ApiQuery({ name: 'apiKeyId', required: false })
  @Doc({ summary: "The tenant's quotas (requests, tokens) and budgets (cost), tenant-wide and per key." })
  list(@Tenant() t: TenantScope, @Query('apiKeyId') apiKeyId?: string) {
    return this.quotas.list(t, apiKeyId);
  }

  @Get('alerts')
  @Access('viewer')
  @Doc({ summary: 'Quota and budget thresholds crossed (each raised once per period), newest first, with webhook delivery status.' })
  alerts(@Tenant() t: TenantScope) {
    return this.quotas.alerts(t);
  }

  @Post()
  @Access('admin')
  @Doc({ summary: 'Add a quota or budget: per key (tenant admins) or tenant-wide (platform admins).', body: createQuotaInputSchema, status: 201 })
  create(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Body() body: unknown) {
    return this.quotas.create(t, a, parseInput(createQuotaInputSchema, body));
  }

  @Patch(':quotaId')
  @Access('admin')
  @Doc({ summary: 'Change a quota or budget.', body: updateQuotaInputSchema, errors: [404] })
  update(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('quotaId') id: string, @Body() body: unknown) {
    return this.quotas.update(t, a, id, parseInput(updateQuotaInputSchema, body));
  }

  @Delete(':quotaId')
  @HttpCode(204)
  @Access('admin')
  @Doc({ summary: 'Delete a quota or budget.', status: 204, errors: [404] })
  async remove(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('quotaId') id: string) {
    await this.quotas.remove(t, a, id);
  }
}
