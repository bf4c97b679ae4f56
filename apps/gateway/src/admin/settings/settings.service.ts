import { Injectable } from '@nestjs/common';
import { GatewayError, PLATFORM_SETTING_KEYS, type PlatformSettingOutput, type TenantSettings, type TenantSettingsPatch } from '@conduit/contracts';
import type { Actor, TenantScope } from '../../auth/access.guard.js';
import { AuditService } from '../../common/audit.service.js';
import { ConfigChangePublisher } from '../common/config-change.publisher.js';
import { mergeSettings, tenantSettings } from '../common/limits.js';
import { iso } from '../common/output.js';
import { SettingsRepository } from './settings.repository.js';

@Injectable()
export class SettingsService {
  constructor(
    private readonly repo: SettingsRepository,
    private readonly audit: AuditService,
    private readonly changes: ConfigChangePublisher,
  ) {}

  async getTenant(scope: TenantScope): Promise<TenantSettings> {
    const t = await this.repo.tenantSettings(scope.tenantId);
    if (!t) throw new GatewayError('not_found', 'No such tenant.');
    return tenantSettings(t.settings);
  }

  async patchTenant(scope: TenantScope, actor: Actor, patch: TenantSettingsPatch): Promise<TenantSettings> {
    const before = await this.getTenant(scope);
    const after = mergeSettings(before, patch as Record<string, unknown>);
    await this.repo.setTenantSettings(scope.tenantId, after);
    await this.changes.publish({ kind: 'tenant', tenantId: scope.tenantId });
    await this.audit.change(actor, { action: 'tenant.settings.update', tenantId: scope.tenantId, targetType: 'tenant', targetId: scope.tenantId, before, after });
    return after;
  }

  async listPlatform(): Promise<PlatformSettingOutput[]> {
    return (await this.repo.platformSettings()).map((s) => ({ key: s.key, value: s.value, updatedAt: iso(s.updatedAt) }));
  }

  async setPlatform(actor: Actor, key: string, value: unknown): Promise<PlatformSettingOutput> {
    if (!(PLATFORM_SETTING_KEYS as readonly string[]).includes(key)) {
      throw new GatewayError('not_found', `Unknown platform setting "${key}" (known: ${PLATFORM_SETTING_KEYS.join(', ')}).`);
    }
    const before = await this.repo.platformSetting(key);
    const s = await this.repo.setPlatformSetting(key, value as object);
    await this.changes.publish({ kind: 'catalogue' });
    await this.audit.change(actor, { action: 'platform.setting.update', targetType: 'platform_setting', targetId: key, before: before?.value ?? null, after: s.value });
    return { key: s.key, value: s.value, updatedAt: iso(s.updatedAt) };
  }
}
