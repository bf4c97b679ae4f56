import type { ApiKeyOutput } from '@conduit/contracts';
import type { ApiKey } from '@conduit/db';
import { limitOverrides } from '../common/limits.js';
import { iso, obj } from '../common/output.js';

export type ApiKeyRow = ApiKey & { createdBy: { id: string; email: string } | null; rotatedTo: { id: string } | null };

export function keyStatus(k: Pick<ApiKey, 'status' | 'expiresAt'>, now = Date.now()): ApiKeyOutput['status'] {
  if (k.status === 'active' && k.expiresAt && k.expiresAt.getTime() <= now) return 'expired';
  return k.status;
}

export function toApiKey(k: ApiKeyRow): ApiKeyOutput {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    status: keyStatus(k),
    allowedModels: k.allowedModels,
    limits: limitOverrides(k.limits),
    metadata: obj(k.metadata),
    expiresAt: iso(k.expiresAt),
    lastUsedAt: iso(k.lastUsedAt),
    revokedAt: iso(k.revokedAt),
    rotatedFromId: k.rotatedFromId,
    rotatedToId: k.rotatedTo?.id ?? null,
    createdBy: k.createdBy,
    createdAt: iso(k.createdAt),
    updatedAt: iso(k.updatedAt),
  };
}
