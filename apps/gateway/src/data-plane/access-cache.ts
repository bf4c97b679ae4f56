import crypto from 'node:crypto';
import { hashApiKey, type PrismaClient } from '@conduit/db';
import { type QuotaMetric, type QuotaPeriod, type TenantSettings, tenantSettingsSchema, usdToNano } from '@conduit/contracts';

export interface TenantEntry {
  id: string;
  slug: string;
  plan: 'free' | 'basic' | 'pro' | 'enterprise';
  status: 'active' | 'suspended';
  settings: TenantSettings;
  limits: Record<string, unknown>;
  /** models granted to the whole tenant */
  tenantGrants: Set<string>;
  /** models granted to single keys: keyId → model ids */
  keyGrants: Map<string, Set<string>>;
  /** enabled quotas and budgets of the tenant and of its keys */
  quotas: QuotaEntry[];
}

export interface QuotaEntry {
  id: string;
  /** null = the whole tenant */
  apiKeyId: string | null;
  metric: QuotaMetric;
  period: QuotaPeriod;
  /** the limit in counter units (requests, tokens, nano-USD) */
  limitUnits: number;
  /** the limit as configured (USD for cost), for messages */
  limit: string;
}

export interface Resolved {
  key: KeyEntry;
  tenant: TenantEntry;
}

export interface KeyEntry {
  id: string;
  tenantId: string;
  name: string;
  status: 'pending' | 'active' | 'revoked';
  allowedModels: Set<string>;
  limits: Record<string, unknown>;
  expiresAt: number | null;
}

interface Cached<T> {
  value: T | null;
  loadedAt: number;
  /** set when an invalidation arrived: reload on next use, but serve this if the database is down */
  stale: boolean;
}

const REFRESH_AFTER_MS = 60_000;

/**
 * `hashApiKey` through Node's one-shot `crypto.hash` (Node ≥ 20.12), about twice
 * as cheap per request as a Hash object; used only if it gives the same digests.
 */
const hashSecret: (secret: string) => string = (() => {
  const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
  if (typeof oneShot !== 'function') return hashApiKey;
  const fast = (secret: string) => oneShot('sha256', secret, 'hex');
  for (const probe of ['cdt_probe_0123456789abcdef', 'ümlaut-€-key', '']) if (fast(probe) !== hashApiKey(probe)) return hashApiKey;
  return fast;
})();
const NEGATIVE_TTL_MS = 10_000;
const MAX_ENTRIES = 100_000;

/**
 * API keys (by hash), tenants and grants, cached in process so a request never
 * waits on PostgreSQL once its key has been seen. Invalidated over Redis pub/sub
 * (ConfigChange); entries are also refreshed in the background every minute. If
 * PostgreSQL is unavailable, the last known value keeps serving.
 */
export class AccessCache {
  private readonly keys = new Map<string, Cached<KeyEntry>>();
  private readonly tenants = new Map<string, Cached<TenantEntry>>();
  private readonly inflight = new Map<string, Promise<unknown>>();
  /** key usage seen since the last flush: keyId → last use */
  readonly lastUsed = new Map<string, number>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly onError: (what: string, err: unknown) => void = () => undefined,
  ) {}

  private readonly loadKeyBy = (hash: string) => this.loadKey(hash);
  private readonly loadTenantBy = (tenantId: string) => this.loadTenant(tenantId);

  /**
   * The key and its tenant, or null for an unknown secret: at once (no promise) when
   * both are cached and fresh, as on nearly every request; a promise when either loads.
   */
  resolve(secret: string): Resolved | null | Promise<Resolved | null> {
    const key = this.cached('key', this.keys, hashSecret(secret), this.loadKeyBy);
    return key instanceof Promise ? key.then((k) => this.withTenant(k)) : this.withTenant(key);
  }

  private withTenant(key: KeyEntry | null): Resolved | null | Promise<Resolved | null> {
    if (!key) return null;
    const tenant = this.cached('tenant', this.tenants, key.tenantId, this.loadTenantBy);
    if (tenant instanceof Promise) return tenant.then((t) => (t ? { key, tenant: t } : null));
    return tenant ? { key, tenant } : null;
  }

  invalidateKey(keyId: string, keyHash?: string) {
    if (keyHash) this.markStale(this.keys, keyHash);
    for (const [hash, entry] of this.keys) if (entry.value?.id === keyId) this.markStale(this.keys, hash);
  }

  invalidateTenant(tenantId: string) {
    this.markStale(this.tenants, tenantId);
  }

  /** After a Redis reconnect, messages may have been missed: revalidate everything. */
  invalidateAll() {
    for (const k of this.keys.keys()) this.markStale(this.keys, k);
    for (const t of this.tenants.keys()) this.markStale(this.tenants, t);
  }

  private markStale<T>(map: Map<string, Cached<T>>, id: string) {
    const entry = map.get(id);
    if (!entry) return;
    // An unknown key that was just created must not wait out the negative cache.
    if (entry.value === null) map.delete(id);
    else entry.stale = true;
  }

  /** The cached value (at once), or the promise of loading it. */
  private cached<T>(kind: string, map: Map<string, Cached<T>>, id: string, load: (id: string) => Promise<T | null>): T | null | Promise<T | null> {
    const entry = map.get(id);
    const now = Date.now();
    if (entry) {
      const age = now - entry.loadedAt;
      if (entry.value === null) {
        if (age < NEGATIVE_TTL_MS) return null;
      } else if (entry.stale) {
        // Invalidated: the next request must see the change (revocation within a second).
        return this.reload(kind, map, id, load, entry);
      } else {
        if (age > REFRESH_AFTER_MS) void this.reload(kind, map, id, load, entry).catch(() => undefined);
        return entry.value;
      }
    }
    return this.reload(kind, map, id, load, entry);
  }

  private reload<T>(kind: string, map: Map<string, Cached<T>>, id: string, load: (id: string) => Promise<T | null>, previous: Cached<T> | undefined): Promise<T | null> {
    const flightKey = `${kind}:${id}`;
    const running = this.inflight.get(flightKey) as Promise<T | null> | undefined;
    if (running) return running;
    const p = load(id)
      .then((value) => {
        if (map.size >= MAX_ENTRIES && !map.has(id)) map.delete(map.keys().next().value as string);
        map.set(id, { value, loadedAt: Date.now(), stale: false });
        return value;
      })
      .catch((err: unknown) => {
        this.onError('access cache reload', err);
        // PostgreSQL unavailable: keep serving what we knew.
        if (previous && previous.value !== null) return previous.value;
        throw err;
      })
      .finally(() => this.inflight.delete(flightKey));
    this.inflight.set(flightKey, p);
    return p;
  }

  private async loadKey(keyHash: string): Promise<KeyEntry | null> {
    const k = await this.prisma.apiKey.findUnique({ where: { keyHash } });
    if (!k) return null;
    return {
      id: k.id,
      tenantId: k.tenantId,
      name: k.name,
      status: k.status,
      allowedModels: new Set(k.allowedModels),
      limits: (k.limits ?? {}) as Record<string, unknown>,
      expiresAt: k.expiresAt ? k.expiresAt.getTime() : null,
    };
  }

  private async loadTenant(tenantId: string): Promise<TenantEntry | null> {
    const t = await this.prisma.tenant.findUnique({
      where: { id: tenantId },
      include: {
        grants: { where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] }, select: { modelId: true, apiKeyId: true } },
        quotas: { where: { enabled: true } },
      },
    });
    if (!t) return null;
    const tenantGrants = new Set<string>();
    const keyGrants = new Map<string, Set<string>>();
    for (const g of t.grants) {
      if (!g.apiKeyId) tenantGrants.add(g.modelId);
      else {
        let s = keyGrants.get(g.apiKeyId);
        if (!s) keyGrants.set(g.apiKeyId, (s = new Set()));
        s.add(g.modelId);
      }
    }
    const parsed = tenantSettingsSchema.safeParse(t.settings ?? {});
    return {
      id: t.id,
      slug: t.slug,
      plan: t.plan,
      status: t.status,
      settings: parsed.success ? parsed.data : tenantSettingsSchema.parse({}),
      limits: (t.limits ?? {}) as Record<string, unknown>,
      tenantGrants,
      keyGrants,
      quotas: t.quotas.map((q) => ({
        id: q.id,
        apiKeyId: q.scope === 'key' ? q.apiKeyId : null,
        metric: q.metric,
        period: q.period,
        limit: q.limit.toString(),
        limitUnits: q.metric === 'cost' ? usdToNano(q.limit.toString()) : Math.floor(Number(q.limit)),
      })),
    };
  }

  /** Writes the last-use times gathered since the previous call (one statement). */
  async flushLastUsed(): Promise<void> {
    if (this.lastUsed.size === 0) return;
    const batch = [...this.lastUsed];
    this.lastUsed.clear();
    try {
      const ids = batch.map(([id]) => id);
      const times = batch.map(([, t]) => new Date(t).toISOString());
      await this.prisma.$executeRaw`
        UPDATE "ApiKey" AS k SET "lastUsedAt" = v.t
        FROM (SELECT unnest(${ids}::text[]) AS id, unnest(${times}::timestamptz[]) AS t) AS v
        WHERE k.id = v.id AND (k."lastUsedAt" IS NULL OR k."lastUsedAt" < v.t)`;
    } catch (err) {
      for (const [id, t] of batch) if ((this.lastUsed.get(id) ?? 0) < t) this.lastUsed.set(id, t);
      this.onError('last-used flush', err);
    }
  }
}
