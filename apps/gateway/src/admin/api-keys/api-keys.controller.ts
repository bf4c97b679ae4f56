import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createApiKeyInputSchema, listApiKeysQuerySchema, rotateApiKeyInputSchema, updateApiKeyInputSchema } from '@conduit/contracts';
import { Access, type Actor, CurrentActor, Tenant, type TenantScope } from '../../auth/access.guard.js';
import { parseInput } from '../../common/validation.js';
import { Doc } from '../common/docs.js';
import { ApiKeysService } from './api-keys.service.js';

@ApiTags('api-keys')
@Controller('admin/tenants/:tenantId/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @Access('viewer')
  @Doc({ summary: "The tenant's API keys: prefix, status, last use (never the secret).", query: listApiKeysQuerySchema })
  list(@Tenant() t: TenantScope, @Query() query: unknown) {
    return this.keys.list(t, parseInput(listApiKeysQuerySchema, query));
  }

  @Post()
  @Access('developer')
  @Doc({
    summary: 'Create a key within the tenant policy. The secret is in this response only. Pending until approved when the tenant requires approval.',
    body: createApiKeyInputSchema,
    status: 201,
  })
  create(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Body() body: unknown) {
    return this.keys.create(t, a, parseInput(createApiKeyInputSchema, body));
  }

  @Get(':keyId')
  @Access('viewer')
  @Doc({ summary: 'One API key (never the secret).', errors: [404] })
  get(@Tenant() t: TenantScope, @Param('keyId') id: string) {
    return this.keys.get(t, id);
  }

  @Patch(':keyId')
  @Access('developer')
  @Doc({ summary: "Change a key's name, models, limits, metadata or expiry (developers: their own keys).", body: updateApiKeyInputSchema, errors: [404, 409] })
  update(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('keyId') id: string, @Body() body: unknown) {
    return this.keys.update(t, a, id, parseInput(updateApiKeyInputSchema, body));
  }

  @Post(':keyId/rotate')
  @HttpCode(201)
  @Access('developer')
  @Doc({ summary: 'Issue a new secret; the old one keeps working for the grace period. The new secret is in this response only.', body: rotateApiKeyInputSchema, status: 201, errors: [404, 409] })
  rotate(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('keyId') id: string, @Body() body: unknown) {
    return this.keys.rotate(t, a, id, parseInput(rotateApiKeyInputSchema, body).gracePeriodSeconds);
  }

  @Post(':keyId/revoke')
  @HttpCode(200)
  @Access('developer')
  @Doc({ summary: 'Revoke a key: refused on every gateway replica within a second.', errors: [404] })
  revoke(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('keyId') id: string) {
    return this.keys.revoke(t, a, id);
  }
}
