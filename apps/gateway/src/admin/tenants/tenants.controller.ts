import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createTenantInputSchema, suspendTenantInputSchema, updateTenantInputSchema } from '@conduit/contracts';
import { Access, type Actor, TenantParam, CurrentActor, Tenant, type TenantScope } from '../../auth/access.guard.js';
import { parseInput } from '../../common/validation.js';
import { Doc } from '../common/docs.js';
import { TenantsService } from './tenants.service.js';

@ApiTags('tenants')
@Controller('admin/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @Access('signed_in')
  @Doc({ summary: 'Tenants: every tenant for a platform admin, otherwise the ones you belong to (with your role).' })
  list(@CurrentActor() a: Actor) {
    return this.tenants.list(a);
  }

  @Post()
  @Access('platform_admin')
  @Doc({ summary: 'Create a tenant (plan, limits, settings), optionally with its owner.', body: createTenantInputSchema, status: 201, errors: [409] })
  create(@CurrentActor() a: Actor, @Body() body: unknown) {
    return this.tenants.create(a, parseInput(createTenantInputSchema, body));
  }

  @Get(':tenantId')
  @Access('viewer')
  @Doc({ summary: 'A tenant (by id or slug) with its plan, limits (own and effective) and settings.' })
  get(@Tenant() t: TenantScope) {
    return this.tenants.get(t);
  }

  @Patch(':tenantId')
  @TenantParam()
  @Access('platform_admin')
  @Doc({ summary: "Change a tenant's name, plan, limits or settings.", body: updateTenantInputSchema, errors: [404] })
  update(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Body() body: unknown) {
    return this.tenants.update(t, a, parseInput(updateTenantInputSchema, body));
  }

  @Post(':tenantId/suspend')
  @HttpCode(200)
  @TenantParam()
  @Access('platform_admin')
  @Doc({ summary: "Suspend a tenant: all its keys are refused at once on every gateway replica.", body: suspendTenantInputSchema, errors: [404] })
  suspend(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Body() body: unknown) {
    return this.tenants.setStatus(t, a, 'suspended', parseInput(suspendTenantInputSchema, body).reason);
  }

  @Post(':tenantId/resume')
  @HttpCode(200)
  @TenantParam()
  @Access('platform_admin')
  @Doc({ summary: 'Lift a suspension.', errors: [404] })
  resume(@Tenant() t: TenantScope, @CurrentActor() a: Actor) {
    return this.tenants.setStatus(t, a, 'active');
  }
}
