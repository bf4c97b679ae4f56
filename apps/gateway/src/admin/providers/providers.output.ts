import type { CredentialOutput, ProviderOutput } from '@conduit/contracts';
import type { Provider, ProviderCredential } from '@conduit/db';
import { iso, obj } from '../common/output.js';

/** Only what is safe to show: never the ciphertext, iv or auth tag. */
export function toCredential(c: ProviderCredential): CredentialOutput {
  return { id: c.id, name: c.name, hint: c.hint, status: c.status, weight: c.weight, keyId: c.keyId, lastUsedAt: iso(c.lastUsedAt), createdAt: iso(c.createdAt), updatedAt: iso(c.updatedAt) };
}

export function toProvider(p: Provider & { credentials: ProviderCredential[] }): ProviderOutput {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    type: p.type,
    baseUrl: p.baseUrl,
    config: obj(p.config),
    source: p.source,
    enabled: p.enabled,
    tenantId: p.tenantId,
    credentials: p.credentials.map(toCredential),
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}
