import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma.service.js';

@Injectable()
export class SettingsRepository {
  constructor(private readonly prisma: PrismaService) {}

  tenantSettings(tenantId: string) {
    return this.prisma.client.tenant.findUnique({ where: { id: tenantId }, select: { id: true, settings: true } });
  }

  setTenantSettings(tenantId: string, settings: object) {
    return this.prisma.client.tenant.update({ where: { id: tenantId }, data: { settings }, select: { id: true, settings: true } });
  }

  platformSettings() {
    return this.prisma.client.platformSetting.findMany({ orderBy: { key: 'asc' } });
  }

  platformSetting(key: string) {
    return this.prisma.client.platformSetting.findUnique({ where: { key } });
  }

  setPlatformSetting(key: string, value: object | string | number | boolean) {
    return this.prisma.client.platformSetting.upsert({ where: { key }, create: { key, value }, update: { value } });
  }
}
