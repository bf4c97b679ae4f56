import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { createAccessRequestInputSchema, createGrantInputSchema, listAccessRequestsQuerySchema, reviewNoteSchema } from '@conduit/contracts';
import { z } from 'zod';
import { Access, type Actor, CurrentActor, Tenant, type TenantScope } from '../../auth/access.guard.js';
import { parseInput } from '../../common/validation.js';
import { Doc } from '../common/docs.js';
import { ApprovalsService } from './approvals.service.js';

const platformQueueQuery = listAccessRequestsQuerySchema.extend({ reviewableBy: z.enum(['tenant_admin', 'platform_admin']).optional() });

@ApiTags('approvals')
@Controller('admin')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Get('tenants/:tenantId/access-requests')
  @Access('viewer')
  @Doc({ summary: 'Access requests: all of the tenant for its admins, your own otherwise.', query: listAccessRequestsQuerySchema })
  list(@Tenant() t: TenantScope, @Query() q: unknown) {
    return this.approvals.list(t, parseInput(listAccessRequestsQuerySchema, q));
  }

  @Post('tenants/:tenantId/access-requests')
  @Access('developer')
  @Doc({
    summary: 'Ask for access to an approval-required model, or for a quota or budget increase, with a reason.',
    body: createAccessRequestInputSchema,
    status: 201,
    errors: [409],
  })
  create(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Body() body: unknown) {
    return this.approvals.create(t, a, parseInput(createAccessRequestInputSchema, body));
  }

  @Get('tenants/:tenantId/access-requests/:requestId')
  @Access('viewer')
  @Doc({ summary: 'One access request and its status (requesters see their own).', errors: [404] })
  get(@Tenant() t: TenantScope, @Param('requestId') id: string) {
    return this.approvals.get(t, id);
  }

  @Post('tenants/:tenantId/access-requests/:requestId/approve')
  @HttpCode(200)
  @Access('admin')
  @Doc({
    summary: "Approve: creates the grant, the new limit or activates the key in the same transaction. Platform-admin-policy requests need a platform admin.",
    body: reviewNoteSchema,
    errors: [404, 409],
  })
  approve(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('requestId') id: string, @Body() body: unknown) {
    return this.approvals.approve(t, a, id, parseInput(reviewNoteSchema, body).note ?? null);
  }

  @Post('tenants/:tenantId/access-requests/:requestId/reject')
  @HttpCode(200)
  @Access('admin')
  @Doc({ summary: 'Reject with a note.', body: reviewNoteSchema, errors: [404, 409] })
  reject(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('requestId') id: string, @Body() body: unknown) {
    return this.approvals.reject(t, a, id, parseInput(reviewNoteSchema, body).note ?? null);
  }

  @Post('tenants/:tenantId/access-requests/:requestId/cancel')
  @HttpCode(200)
  @Access('developer')
  @Doc({ summary: 'Withdraw your own pending request.', errors: [404, 409] })
  cancel(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('requestId') id: string) {
    return this.approvals.cancel(t, a, id);
  }

  @Get('access-requests')
  @Access('platform_admin')
  @ApiQuery({ name: 'reviewableBy', required: false, enum: ['tenant_admin', 'platform_admin'] })
  @Doc({ summary: "Every tenant's access requests (the platform admin's queue).", query: listAccessRequestsQuerySchema })
  listAll(@Query() q: unknown) {
    return this.approvals.listAll(parseInput(platformQueueQuery, q));
  }

  @Get('tenants/:tenantId/grants')
  @Access('viewer')
  @Doc({ summary: "The tenant's model grants (tenant-wide or per key)." })
  grants(@Tenant() t: TenantScope) {
    return this.approvals.listGrants(t);
  }

  @Post('tenants/:tenantId/grants')
  @Access('admin')
  @Doc({ summary: 'Grant a model directly, without a request (platform-admin-policy models: platform admins only).', body: createGrantInputSchema, status: 201 })
  createGrant(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Body() body: unknown) {
    return this.approvals.createGrant(t, a, parseInput(createGrantInputSchema, body));
  }

  @Post('tenants/:tenantId/grants/:grantId/revoke')
  @HttpCode(200)
  @Access('admin')
  @Doc({ summary: 'Revoke a grant: the model is refused from the next request on, on every replica.', errors: [404] })
  revokeGrant(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('grantId') id: string) {
    return this.approvals.revokeGrant(t, a, id);
  }
}
