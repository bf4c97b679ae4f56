import { createHash } from 'node:crypto';
import { GatewayError } from '@conduit/contracts';
import type { Redis } from 'ioredis';
import type { TenantEntry } from '../access-cache.js';

/** Fields that never change an answer, left out of the cache key. */
const NOT_IN_KEY = new Set(['stream', 'stream_options', 'user', 'metadata', 'store', 'service_tier']);

/** JSON with sorted keys, so equal requests give equal keys whatever the field order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const keys = Object.keys(value as Record<string, unknown>).sort();
  let out = '{';
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += JSON.stringify(k) + ':' + canonicalJson(v);
  }
  return out + '}';
}

export type CacheMode = 'use' | 'bypass' | 'refresh' | undefined;

export interface CacheDecision {
  /** read a stored answer */
  read: boolean;
  /** store this answer */
  write: boolean;
  key: string;
  ttlSeconds: number;
}

const WRITE_LUA = `
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]), KEYS[1])
local n = redis.call('ZCARD', KEYS[2])
local max = tonumber(ARGV[4])
if n > max then
  local old = redis.call('ZPOPMIN', KEYS[2], n - max)
  for i = 1, #old, 2 do redis.call('DEL', old[i]) end
end
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[2]) * 2)
return n
`;

/**
 * Part of every key: bumped when what is stored for a request changes, so entries an
 * older gateway wrote are never served (v2: embeddings stored in the encoding the
 * caller asked for; v1 could hold floats for a base64 request).
 */
const KEY_VERSION = 'v2\n';

/**
 * Exact-match response cache in Redis, scoped per tenant (a key never leads to
 * another tenant's entry). The key is the canonical request: endpoint, model and
 * every parameter that changes the output. On by default for deterministic
 * requests (temperature 0, and embeddings); `x-conduit-cache: use` opts in for
 * others, `bypass` skips it, `refresh` replaces the stored answer. Each tenant keeps
 * at most `maxEntries` (oldest evicted first), each for its TTL (per model if set).
 */
export class ResponseCache {
  private readonly redis: Redis & { conduitCacheWrite(n: number, ...a: (string | number)[]): Promise<number> };

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly maxEntryBytes: number,
  ) {
    redis.defineCommand('conduitCacheWrite', { lua: WRITE_LUA });
    this.redis = redis as typeof this.redis;
  }

  decide(tenant: TenantEntry, endpoint: string, model: string, body: Record<string, unknown>, mode: CacheMode, stream: boolean): CacheDecision | null {
    const settings = tenant.settings.cache;
    if (!settings.enabled || mode === 'bypass') return null;
    const deterministic = endpoint === '/v1/embeddings' || body.temperature === 0;
    if (!deterministic && mode !== 'use' && mode !== 'refresh') return null;
    const material: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) if (!NOT_IN_KEY.has(k)) material[k] = v;
    const hash = createHash('sha256').update(KEY_VERSION).update(endpoint).update('\n').update(canonicalJson(material)).update(stream ? '\nstream' : '').digest('base64url');
    return {
      read: mode !== 'refresh',
      write: true,
      key: `${this.prefix}:cache:${tenant.id}:${hash}`,
      ttlSeconds: settings.modelTtlSeconds[model] ?? settings.ttlSeconds,
    };
  }

  /** The stored answer, or undefined (a Redis failure counts as a miss). */
  async get<T>(d: CacheDecision): Promise<T | undefined> {
    if (!d.read) return undefined;
    try {
      const raw = await this.redis.get(d.key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch {
      return undefined;
    }
  }

  /** Stores an answer unless it is too large; never fails the request. */
  async set(tenant: TenantEntry, d: CacheDecision, value: unknown): Promise<void> {
    const raw = JSON.stringify(value);
    if (Buffer.byteLength(raw) > this.maxEntryBytes) return;
    try {
      await this.redis.conduitCacheWrite(2, d.key, `${this.prefix}:cache-index:${tenant.id}`, raw, d.ttlSeconds, Date.now(), tenant.settings.cache.maxEntries);
    } catch {
      // a cache that cannot be written is only a missed saving
    }
  }
}

/** The caller's `x-conduit-cache` request header. */
export function cacheMode(header: string | string[] | undefined): CacheMode {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (v === 'use' || v === 'bypass' || v === 'refresh') return v;
  throw new GatewayError('validation_failed', `x-conduit-cache: "${raw}" is not one of use, bypass, refresh.`, { param: 'x-conduit-cache' });
}
