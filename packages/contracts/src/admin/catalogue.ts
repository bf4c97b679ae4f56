import { z } from 'zod';

export const MODEL_KINDS = ['chat', 'completion', 'embedding'] as const;
export const ROUTING_STRATEGIES = ['priority', 'weighted', 'round_robin', 'least_latency', 'lowest_cost'] as const;
export const MODEL_VISIBILITIES = ['public', 'restricted', 'hidden'] as const;
export const APPROVAL_POLICIES = ['tenant_admin', 'platform_admin'] as const;
export const FALLBACK_CATEGORIES = ['rate_limit', 'timeout', 'server_error', 'overloaded', 'auth', 'bad_request', 'not_found', 'content_filter'] as const;

const modelFields = {
  displayName: z.string().trim().max(200),
  description: z.string().trim().max(4000),
  kind: z.enum(MODEL_KINDS),
  routingStrategy: z.enum(ROUTING_STRATEGIES),
  requiresApproval: z.boolean(),
  approvalPolicy: z.enum(APPROVAL_POLICIES),
  visibility: z.enum(MODEL_VISIBILITIES),
  contextWindow: z.number().int().positive().nullable(),
  maxOutputTokens: z.number().int().positive().nullable(),
  fallbackOn: z.array(z.enum(FALLBACK_CATEGORIES)),
  maxRetries: z.number().int().min(0).max(10),
  enabled: z.boolean(),
};

export const createModelInputSchema = z
  .object({
    /** the public name clients send */
    name: z.string().trim().min(1).max(200).regex(/^[\w.:/@-]+$/, 'letters, digits and . : / @ - _ only'),
    ...modelFields,
    /** tenants that see a restricted model */
    tenantIds: z.array(z.string()).max(1000),
  })
  .partial()
  .required({ name: true })
  .strict();
export type CreateModelInput = z.input<typeof createModelInputSchema>;

export const updateModelInputSchema = z.object(modelFields).partial().strict();
export type UpdateModelInput = z.input<typeof updateModelInputSchema>;

export const modelTenantAccessInputSchema = z.object({ tenantId: z.string().min(1) }).strict();

const deploymentFields = {
  upstreamModel: z.string().trim().min(1).max(200),
  weight: z.number().int().min(0).max(1000),
  priority: z.number().int().min(0).max(1000),
  timeoutMs: z.number().int().min(100).max(600_000),
  enabled: z.boolean(),
  maxRpm: z.number().int().positive().nullable(),
  maxTpm: z.number().int().positive().nullable(),
  healthCheck: z.boolean(),
};
export const createDeploymentInputSchema = z
  .object({ providerId: z.string().min(1), ...deploymentFields })
  .partial()
  .required({ providerId: true, upstreamModel: true })
  .strict();
export const updateDeploymentInputSchema = z.object(deploymentFields).partial().strict();

export const routeConditionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), key: z.string().min(1).max(200), equals: z.string().max(1000) }).strict(),
  z.object({ type: z.literal('tag'), key: z.string().min(1).max(200), equals: z.string().max(1000) }).strict(),
  z
    .object({ type: z.literal('prompt_pattern'), pattern: z.string().min(1).max(1000) })
    .strict()
    .refine((c) => {
      try {
        new RegExp(c.pattern);
        return true;
      } catch {
        return false;
      }
    }, { message: 'is not a valid regular expression', path: ['pattern'] }),
]);
const routeFields = {
  name: z.string().trim().min(1).max(200),
  position: z.number().int().min(0).max(10_000),
  condition: routeConditionSchema,
  /** deployments of this model, in order */
  deploymentIds: z.array(z.string()).min(1).max(50),
  strategy: z.enum(ROUTING_STRATEGIES).nullable(),
  enabled: z.boolean(),
};
export const createRouteRuleInputSchema = z.object(routeFields).partial().required({ name: true, condition: true, deploymentIds: true }).strict();
export const updateRouteRuleInputSchema = z.object(routeFields).partial().strict();

const usd = z.union([z.number().min(0), z.string().regex(/^\d+(\.\d{1,6})?$/, 'a non-negative decimal with up to 6 places')]);
export const createPriceInputSchema = z
  .object({
    /** a deployment of this model whose price differs from the model's */
    deploymentId: z.string().nullable().optional(),
    /** USD per million tokens */
    inputPerMTokUsd: usd,
    outputPerMTokUsd: usd,
    cachedInputPerMTokUsd: usd.default(0),
    /** when it applies; defaults to now; prices are versioned, never edited */
    effectiveFrom: z.coerce.date().optional(),
  })
  .strict();

export interface DeploymentOutput {
  id: string;
  modelId: string;
  providerId: string;
  providerSlug: string;
  upstreamModel: string;
  weight: number;
  priority: number;
  timeoutMs: number;
  enabled: boolean;
  maxRpm: number | null;
  maxTpm: number | null;
  healthCheck: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface RouteRuleOutput {
  id: string;
  modelId: string;
  name: string;
  position: number;
  condition: z.output<typeof routeConditionSchema>;
  deploymentIds: string[];
  strategy: (typeof ROUTING_STRATEGIES)[number] | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface PriceOutput {
  id: string;
  modelId: string;
  deploymentId: string | null;
  inputPerMTokUsd: string;
  outputPerMTokUsd: string;
  cachedInputPerMTokUsd: string;
  effectiveFrom: string;
  createdAt: string;
}

export interface ModelOutput {
  id: string;
  name: string;
  displayName: string;
  description: string;
  kind: (typeof MODEL_KINDS)[number];
  routingStrategy: (typeof ROUTING_STRATEGIES)[number];
  requiresApproval: boolean;
  approvalPolicy: (typeof APPROVAL_POLICIES)[number];
  visibility: (typeof MODEL_VISIBILITIES)[number];
  contextWindow: number | null;
  maxOutputTokens: number | null;
  fallbackOn: string[];
  maxRetries: number;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** platform admin views only */
  tenantIds?: string[];
  deployments?: DeploymentOutput[];
  routeRules?: RouteRuleOutput[];
  prices?: PriceOutput[];
}

/** A model as a tenant sees it, with whether the tenant may call it. */
export interface TenantModelOutput {
  id: string;
  name: string;
  displayName: string;
  description: string;
  kind: (typeof MODEL_KINDS)[number];
  contextWindow: number | null;
  requiresApproval: boolean;
  approvalPolicy: (typeof APPROVAL_POLICIES)[number];
  /** available: callable now; requires_approval: ask first; pending: a request is waiting */
  access: 'available' | 'granted' | 'requires_approval' | 'pending';
  /** the current price (USD per million tokens) */
  price: { inputPerMTokUsd: string; outputPerMTokUsd: string; cachedInputPerMTokUsd: string } | null;
}
