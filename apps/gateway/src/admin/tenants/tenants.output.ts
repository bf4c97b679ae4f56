import type { MemberRole, TenantOutput } from '@conduit/contracts';
import type { Tenant } from '@conduit/db';
import { effectiveLimits, limitOverrides, tenantSettings } from '../common/limits.js';
import { iso } from '../common/output.js';

export function toTenant(t: Tenant, myRole?: MemberRole | null): TenantOutput {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    plan: t.plan,
    status: t.status,
    limits: limitOverrides(t.limits),
    effectiveLimits: effectiveLimits(t.plan, t.limits),
    settings: tenantSettings(t.settings),
    suspendedAt: iso(t.suspendedAt),
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
    ...(myRole !== undefined ? { myRole } : {}),
  };
}
