import 'server-only';
import { z } from 'zod';
import { adminRequest } from './client';

// Shapes: @conduit/contracts tenants.ts (TenantSettings) and admin/settings.ts.
export const tenantSettingsSchema = z.looseObject({
  cache: z.looseObject({ enabled: z.boolean(), ttlSeconds: z.number() }),
  retentionDays: z.number(),
  logBodies: z.boolean(),
  redisFailMode: z.enum(['open', 'closed']),
  corsOrigins: z.array(z.string()),
  requireKeyApproval: z.boolean(),
  guardrails: z.unknown(),
});
export type TenantSettingsView = z.infer<typeof tenantSettingsSchema>;

const t = (tenant: string) => `/admin/tenants/${encodeURIComponent(tenant)}/settings`;

export const getTenantSettings = (token: string, tenant: string) => adminRequest({ path: t(tenant), accessToken: token, schema: tenantSettingsSchema });

export const patchTenantSettings = (token: string, tenant: string, body: Record<string, unknown>) =>
  adminRequest({ method: 'PATCH', path: t(tenant), body, accessToken: token, schema: tenantSettingsSchema });

const platformSettingSchema = z.object({ key: z.string(), value: z.unknown(), updatedAt: z.string().nullish() });
export type PlatformSetting = z.infer<typeof platformSettingSchema>;

export const listPlatformSettings = (token: string) =>
  adminRequest({ path: '/admin/settings', accessToken: token, schema: z.array(platformSettingSchema) });

export const setPlatformSetting = (token: string, key: string, value: unknown) =>
  adminRequest({ method: 'PUT', path: `/admin/settings/${encodeURIComponent(key)}`, body: { value }, accessToken: token, schema: z.unknown() });
