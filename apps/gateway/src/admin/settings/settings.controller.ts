import { Body, Controller, Get, Param, Patch, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { platformSettingInputSchema, tenantSettingsPatchSchema } from '@conduit/contracts';
import { Access, type Actor, CurrentActor, Tenant, type TenantScope } from '../../auth/access.guard.js';
import { parseInput } from '../../common/validation.js';
import { Doc } from '../common/docs.js';
import { SettingsService } from './settings.service.js';

@ApiTags('settings')
@Controller('admin')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get('tenants/:tenantId/settings')
  @Access('viewer')
  @Doc({ summary: "The tenant's policy: cache, retention, body logging, Redis fail mode, CORS origins, key approval, guardrails." })
  getTenant(@Tenant() t: TenantScope) {
    return this.settings.getTenant(t);
  }

  @Patch('tenants/:tenantId/settings')
  @Access('admin')
  @Doc({ summary: "Change parts of the tenant's policy (fields not given stay as they are).", body: tenantSettingsPatchSchema })
  patchTenant(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Body() body: unknown) {
    return this.settings.patchTenant(t, a, parseInput(tenantSettingsPatchSchema, body));
  }

  @Get('settings')
  @Access('platform_admin')
  @Doc({ summary: 'Platform-wide settings.' })
  listPlatform() {
    return this.settings.listPlatform();
  }

  @Put('settings/:key')
  @Access('platform_admin')
  @Doc({ summary: 'Set a platform-wide setting.', body: platformSettingInputSchema, errors: [404] })
  setPlatform(@CurrentActor() a: Actor, @Param('key') key: string, @Body() body: unknown) {
    return this.settings.setPlatform(a, key, parseInput(platformSettingInputSchema, body).value);
  }
}
