import { z } from 'zod';

/**
 * Published on Redis (channel `${REDIS_PREFIX}:config-changes`) by whoever changes
 * configuration the data plane caches (the control-plane API, the seed); every
 * gateway replica drops what it cached for the entity within a second.
 */
export const CONFIG_CHANGES_CHANNEL = 'config-changes';

export const configChangeSchema = z.discriminatedUnion('kind', [
  /** a key was created, rotated, revoked, changed or deleted */
  z.object({ kind: z.literal('api_key'), keyId: z.string(), keyHash: z.string().optional(), tenantId: z.string() }),
  /** a tenant's status, plan, limits or settings changed (suspension included) */
  z.object({ kind: z.literal('tenant'), tenantId: z.string() }),
  /** a model grant was created or revoked */
  z.object({ kind: z.literal('grant'), tenantId: z.string(), modelId: z.string() }),
  /** quotas or budgets of a tenant (or one of its keys) changed */
  z.object({ kind: z.literal('quota'), tenantId: z.string(), keyId: z.string().optional() }),
  /** models, deployments, route rules, prices, providers or credentials changed */
  z.object({ kind: z.literal('catalogue') }),
  /** a prompt template of a tenant (or one of its versions, its active version or A/B split) changed */
  z.object({ kind: z.literal('prompt'), tenantId: z.string(), slug: z.string().optional() }),
]);
export type ConfigChange = z.infer<typeof configChangeSchema>;
