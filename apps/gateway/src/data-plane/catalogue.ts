import { type AwsCredentials, createProvider, type ProviderAdapter, type ProviderId } from '@conduit/providers';
import type { PrismaClient, ProviderType } from '@conduit/db';
import { SecretBox } from '@conduit/db';

/** USD per million tokens, effective from a time. */
export interface PriceEntry {
  effectiveFrom: number;
  input: number;
  output: number;
  cachedInput: number;
}

export interface DeploymentEntry {
  id: string;
  modelId: string;
  providerId: string;
  providerSlug: string;
  /** the adapter type that talks to this deployment */
  providerType: ProviderId;
  upstreamModel: string;
  weight: number;
  priority: number;
  timeoutMs: number;
  /** probed in the background (opt-in: a probe is a real, billed request) */
  healthCheck: boolean;
  /** the upstream's own quota for this deployment, enforced across replicas */
  maxRpm: number | null;
  maxTpm: number | null;
  /** deployment-specific prices (newest first); empty = the model's */
  prices: PriceEntry[];
  /** one adapter per usable credential; traffic is spread over them */
  adapters: ProviderAdapter[];
}

export type RouteCondition =
  | { type: 'header'; key: string; equals?: string; pattern?: string }
  | { type: 'tag'; key: string; equals?: string; pattern?: string }
  | { type: 'prompt_pattern'; pattern: string };

export interface RouteRuleEntry {
  id: string;
  name: string;
  condition: RouteCondition;
  /** compiled pattern for `pattern` conditions */
  regex?: RegExp;
  deploymentIds: string[];
  strategy: RoutingStrategy | null;
}

export type RoutingStrategy = 'priority' | 'weighted' | 'round_robin' | 'least_latency' | 'lowest_cost';

export interface ModelEntry {
  id: string;
  name: string;
  kind: 'chat' | 'completion' | 'embedding';
  displayName: string;
  routingStrategy: RoutingStrategy;
  requiresApproval: boolean;
  visibility: 'public' | 'restricted' | 'hidden';
  /** tenants a restricted model is visible to */
  tenants: Set<string>;
  fallbackOn: Set<string>;
  maxRetries: number;
  /** the most a response may generate when a request does not say (reservation size) */
  maxOutputTokens: number | null;
  created: number;
  deployments: DeploymentEntry[];
  rules: RouteRuleEntry[];
  /** model-level prices, newest first */
  prices: PriceEntry[];
}

export interface CatalogueSnapshot {
  models: Map<string, ModelEntry>;
  loadedAt: number;
}

/** Provider types stored in the database → adapter ids of @conduit/providers. */
const ADAPTER_FOR: Record<ProviderType, ProviderId> = {
  openai: 'openai',
  azure_openai: 'azure',
  anthropic: 'anthropic',
  gemini: 'gemini',
  mistral: 'mistral',
  ollama: 'ollama',
  bedrock: 'bedrock',
  openai_compatible: 'openai-compatible',
  // the built-in simulator speaks OpenAI's wire format
  simulator: 'openai',
};

export interface CatalogueLoadOptions {
  secrets: SecretBox;
  /** base URL of the in-process simulator, for providers of type `simulator` */
  simulatorBaseUrl?: string;
  onWarning?: (message: string, details: Record<string, unknown>) => void;
}

const toPrice = (p: { effectiveFrom: Date; inputPerMTokUsd: unknown; outputPerMTokUsd: unknown; cachedInputPerMTokUsd: unknown }): PriceEntry => ({
  effectiveFrom: p.effectiveFrom.getTime(),
  input: Number(p.inputPerMTokUsd),
  output: Number(p.outputPerMTokUsd),
  cachedInput: Number(p.cachedInputPerMTokUsd),
});

/**
 * Reads the whole catalogue (models, deployments, providers with decrypted
 * credentials, prices, route rules, per-tenant visibility) into memory. The data
 * plane serves from this snapshot; it is rebuilt when the catalogue changes.
 */
export async function loadCatalogue(prisma: PrismaClient, opts: CatalogueLoadOptions): Promise<CatalogueSnapshot> {
  const rows = await prisma.model.findMany({
    where: { enabled: true },
    include: {
      deployments: {
        where: { enabled: true, provider: { enabled: true } },
        include: { provider: { include: { credentials: { where: { status: 'active' } } } }, prices: { orderBy: { effectiveFrom: 'desc' } } },
      },
      prices: { where: { deploymentId: null }, orderBy: { effectiveFrom: 'desc' } },
      routeRules: { where: { enabled: true }, orderBy: { position: 'asc' } },
      tenantAccess: { select: { tenantId: true } },
    },
  });

  const adaptersByProvider = new Map<string, ProviderAdapter[]>();
  const adaptersFor = (provider: (typeof rows)[number]['deployments'][number]['provider']): ProviderAdapter[] => {
    const cached = adaptersByProvider.get(provider.id);
    if (cached) return cached;
    const type = ADAPTER_FOR[provider.type];
    const config = (provider.config ?? {}) as { apiVersion?: string; headers?: Record<string, string>; region?: string };
    const baseUrl = provider.type === 'simulator' ? opts.simulatorBaseUrl : provider.baseUrl;
    const list: ProviderAdapter[] = [];
    if (!baseUrl) {
      opts.onWarning?.('provider has no usable base URL; its deployments get no traffic', { provider: provider.slug });
    } else {
      const secrets: (string | undefined)[] = provider.credentials.length
        ? provider.credentials.flatMap((c) => {
            try {
              return Array.from({ length: Math.max(1, c.weight) }, () => opts.secrets.open(c, provider.id));
            } catch (e) {
              opts.onWarning?.('cannot decrypt a provider credential; it is skipped', { provider: provider.slug, credential: c.id, error: (e as Error).message });
              return [];
            }
          })
        : [undefined]; // no credential: Ollama, the simulator, or an upstream that needs none
      for (const secret of secrets) {
        try {
          // Bedrock's secret is AWS credentials as JSON: {"accessKeyId","secretAccessKey","sessionToken"?}
          // No stored credential (the simulator, Ollama, or a server configured by URL alone):
          // send a placeholder; an upstream that does need a key answers 401, which surfaces
          // as `upstream_auth_failed` naming the provider.
          const auth =
            secret === undefined
              ? provider.type === 'ollama' || provider.type === 'bedrock'
                ? {}
                : { apiKey: 'conduit-no-credential' }
              : provider.type === 'bedrock'
                ? { credentials: JSON.parse(secret) as AwsCredentials }
                : { apiKey: secret };
          list.push(
            createProvider({
              type,
              baseUrl,
              ...auth,
              ...(config.region ? { region: config.region } : {}),
              ...(config.apiVersion ? { apiVersion: config.apiVersion } : {}),
              ...(config.headers ? { headers: config.headers } : {}),
            } as Parameters<typeof createProvider>[0]),
          );
        } catch (e) {
          opts.onWarning?.('provider configuration is invalid; its deployments get no traffic', { provider: provider.slug, error: (e as Error).message });
        }
      }
    }
    adaptersByProvider.set(provider.id, list);
    return list;
  };

  const models = new Map<string, ModelEntry>();
  for (const m of rows) {
    const deployments: DeploymentEntry[] = m.deployments.map((d) => ({
      id: d.id,
      modelId: m.id,
      providerId: d.providerId,
      providerSlug: d.provider.slug,
      providerType: ADAPTER_FOR[d.provider.type],
      upstreamModel: d.upstreamModel,
      weight: Math.max(0, d.weight),
      priority: d.priority,
      timeoutMs: d.timeoutMs,
      healthCheck: d.healthCheck,
      maxRpm: d.maxRpm,
      maxTpm: d.maxTpm,
      prices: d.prices.map(toPrice),
      adapters: adaptersFor(d.provider),
    }));
    const rules: RouteRuleEntry[] = [];
    for (const r of m.routeRules) {
      const condition = r.condition as unknown as RouteCondition;
      let regex: RegExp | undefined;
      const pattern = 'pattern' in condition ? condition.pattern : undefined;
      if (pattern) {
        try {
          regex = new RegExp(pattern, 'i');
        } catch {
          opts.onWarning?.('route rule has an invalid pattern; it is skipped', { model: m.name, rule: r.name });
          continue;
        }
      }
      rules.push({ id: r.id, name: r.name, condition, regex, deploymentIds: r.deploymentIds, strategy: r.strategy });
    }
    models.set(m.name, {
      id: m.id,
      name: m.name,
      kind: m.kind,
      displayName: m.displayName,
      routingStrategy: m.routingStrategy,
      requiresApproval: m.requiresApproval,
      visibility: m.visibility,
      tenants: new Set(m.tenantAccess.map((t) => t.tenantId)),
      fallbackOn: new Set(m.fallbackOn),
      maxRetries: m.maxRetries,
      maxOutputTokens: m.maxOutputTokens,
      created: Math.floor(m.createdAt.getTime() / 1000),
      deployments,
      rules,
      prices: m.prices.map(toPrice),
    });
  }
  return { models, loadedAt: Date.now() };
}

/** The price in force at `at`: the deployment's own, else the model's. */
export function priceAt(model: ModelEntry, deployment: DeploymentEntry | undefined, at: number): PriceEntry | undefined {
  const own = deployment?.prices;
  if (own) for (let i = 0; i < own.length; i++) if (own[i]!.effectiveFrom <= at) return own[i];
  const list = model.prices;
  if (list) for (let i = 0; i < list.length; i++) if (list[i]!.effectiveFrom <= at) return list[i];
  return undefined;
}

/** Whether a tenant may see a model at all (visibility; approval is checked separately). */
export function visibleTo(model: ModelEntry, tenantId: string): boolean {
  return model.visibility === 'public' || (model.visibility === 'restricted' && model.tenants.has(tenantId));
}
