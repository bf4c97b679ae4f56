import { CONFIG_CHANGES_CHANNEL, type ConfigChange, type UsageEvent, usageEventsQueue } from '@conduit/contracts';
import { apiKeyDisplayPrefix, generateApiKey, hashApiKey, type PrismaClient, SecretBox } from '@conduit/db';
import type { SimulatorHandle } from '@conduit/providers/simulators';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { TEST_ENCRYPTION_KEYS, type TestGateway } from '../support.js';

export async function publish(gw: TestGateway, change: ConfigChange) {
  const redis = new Redis(gw.config.REDIS_URL);
  try {
    await redis.publish(`${gw.config.REDIS_PREFIX}:${CONFIG_CHANGES_CHANNEL}`, JSON.stringify(change));
  } finally {
    redis.disconnect();
  }
}

export async function until<T>(fn: () => Promise<T | false | undefined | null>, timeoutMs = 5_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A model served by the given simulators (one deployment each, of the simulator's provider type, in priority order). */
export async function addModel(
  gw: TestGateway,
  name: string,
  sims: SimulatorHandle[],
  opts: { strategy?: 'priority' | 'weighted' | 'round_robin' | 'least_latency' | 'lowest_cost'; maxRetries?: number; fallbackOn?: string[]; prices?: [number, number][]; kind?: 'chat' | 'embedding' } = {},
) {
  const model = await gw.prisma.model.create({
    data: {
      name,
      kind: opts.kind ?? 'chat',
      routingStrategy: opts.strategy ?? 'priority',
      maxRetries: opts.maxRetries ?? 2,
      ...(opts.fallbackOn ? { fallbackOn: opts.fallbackOn } : {}),
      prices: { create: { inputPerMTokUsd: 1, outputPerMTokUsd: 2, cachedInputPerMTokUsd: 0.5, effectiveFrom: new Date('2025-01-01') } },
    },
  });
  const deployments = [];
  for (const [i, sim] of sims.entries()) {
    const slug = `sim-${name}-${i}`;
    const type = sim.provider as 'openai' | 'anthropic' | 'gemini' | 'mistral' | 'ollama';
    const provider = await gw.prisma.provider.create({ data: { slug, name: slug, type, baseUrl: sim.baseUrl, source: 'admin' } });
    const sealed = new SecretBox(TEST_ENCRYPTION_KEYS).seal(`sk-sim-${slug}`, provider.id);
    await gw.prisma.providerCredential.create({
      data: { providerId: provider.id, ciphertext: Buffer.from(sealed.ciphertext), iv: Buffer.from(sealed.iv), authTag: Buffer.from(sealed.authTag), keyId: sealed.keyId },
    });
    const d = await gw.prisma.modelDeployment.create({ data: { modelId: model.id, providerId: provider.id, upstreamModel: `up-${i}`, priority: i, timeoutMs: 5_000 } });
    if (opts.prices?.[i]) {
      await gw.prisma.modelPrice.create({ data: { modelId: model.id, deploymentId: d.id, inputPerMTokUsd: opts.prices[i]![0], outputPerMTokUsd: opts.prices[i]![1], effectiveFrom: new Date('2025-01-01') } });
    }
    deployments.push({ ...d, provider });
  }
  await publish(gw, { kind: 'catalogue' });
  await until(async () => (await fetch(`${gw.v1}/models/${name}`, { headers: { authorization: `Bearer ${DEMO}` } })).ok, 5_000, `model ${name} visible`);
  return { model, deployments };
}

export const DEMO = 'cdt_test_demo_key_0123456789abcdef';

type KeyData = { allowedModels?: string[]; expiresAt?: Date; status?: 'active' | 'pending' | 'revoked' };

/** Creates a key in a tenant; returns its secret. */
export async function createKeyIn(prisma: PrismaClient, tenantId: string, data: KeyData = {}) {
  const secret = generateApiKey();
  const key = await prisma.apiKey.create({
    data: { tenantId, name: 'test', keyHash: hashApiKey(secret), prefix: apiKeyDisplayPrefix(secret), ...data },
  });
  return { secret, key };
}

/** Creates a key in the demo tenant; returns its secret. */
export const createKey = (gw: TestGateway, data: KeyData = {}) => createKeyIn(gw.prisma, gw.seeded.tenant.id, data);

/** Usage events the gateway has enqueued so far (no worker runs in these tests). */
export async function usageEvents(gw: TestGateway): Promise<UsageEvent[]> {
  const connection = new Redis(gw.config.REDIS_URL, { maxRetriesPerRequest: null });
  const q = new Queue(usageEventsQueue.name, { connection, prefix: `${gw.config.REDIS_PREFIX}:bull` });
  try {
    const jobs = await q.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized']);
    return jobs.flatMap((j) => (j.data as { events: UsageEvent[] }).events);
  } finally {
    await q.close();
    connection.disconnect();
  }
}

/** The usage events of one request, once the gateway has enqueued at least one. */
export function usageEventsOf(gw: TestGateway, requestId: string | null, timeoutMs = 5_000, what = 'usage event'): Promise<UsageEvent[]> {
  return until(async () => {
    const found = (await usageEvents(gw)).filter((e) => e.requestId === requestId);
    return found.length ? found : false;
  }, timeoutMs, what);
}
