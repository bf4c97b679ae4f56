import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { apiKeyDisplayPrefix, generateApiKey, hashApiKey, hashPassword } from '../credentials';
import type { PrismaClient } from '../generated/prisma/client';
import { SecretBox, secretHint } from '../secrets';
import { type CatalogueProvider, PROVIDER_CATALOGUE, SIMULATOR_PROVIDER } from './catalogue';

export { PROVIDER_CATALOGUE, SIMULATOR_PROVIDER } from './catalogue';

const seedEnvSchema = z.object({
  CONDUIT_ADMIN_EMAIL: z.string().trim().toLowerCase().email().default('admin@conduit.local'),
  CONDUIT_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  CONDUIT_DEVELOPER_EMAIL: z.string().trim().toLowerCase().email().default('developer@conduit.local'),
  CONDUIT_DEVELOPER_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  CONDUIT_DEMO_API_KEY: z.string().min(20, 'must be at least 20 characters').optional(),
  CONDUIT_ENCRYPTION_KEYS: z.string().min(1, 'is required to encrypt provider credentials'),
});

export interface SeedResult {
  admin: { email: string; password?: string; created: boolean };
  developer: { email: string; password?: string; created: boolean };
  tenant: { id: string; slug: string };
  demoKey: { id: string; prefix: string; secret?: string; created: boolean };
  providers: { slug: string; type: string; baseUrl: string; models: string[] }[];
}

const generatedPassword = () => randomBytes(12).toString('base64url');

/**
 * Idempotent seed: a platform admin, a demo tenant with a developer member and a
 * demo API key, the providers configured in the environment (or the built-in
 * simulator when there are none), their usual models and prices. Values given in
 * the environment win; generated secrets are returned (to be printed once) only
 * when they were created by this run.
 */
export async function seed(prisma: PrismaClient, environment: NodeJS.ProcessEnv = process.env): Promise<SeedResult> {
  const env = seedEnvSchema.parse(environment);
  const box = new SecretBox(env.CONDUIT_ENCRYPTION_KEYS);

  const admin = await upsertUser(prisma, env.CONDUIT_ADMIN_EMAIL, 'Platform admin', 'admin', env.CONDUIT_ADMIN_PASSWORD);
  const developer = await upsertUser(prisma, env.CONDUIT_DEVELOPER_EMAIL, 'Demo developer', 'user', env.CONDUIT_DEVELOPER_PASSWORD);

  const tenant = await prisma.tenant.upsert({
    where: { slug: 'demo' },
    create: { slug: 'demo', name: 'Demo tenant', plan: 'pro' },
    update: {},
  });
  for (const [userId, role] of [
    [admin.id, 'owner'],
    [developer.id, 'developer'],
  ] as const) {
    await prisma.membership.upsert({
      where: { userId_tenantId: { userId, tenantId: tenant.id } },
      create: { userId, tenantId: tenant.id, role },
      update: {},
    });
  }

  const demoKey = await upsertDemoKey(prisma, tenant.id, developer.id, env.CONDUIT_DEMO_API_KEY);

  const configured = PROVIDER_CATALOGUE.filter((p) => p.enabledBy.some((v) => nonEmpty(environment[v])));
  const toSeed = configured.length ? configured : [SIMULATOR_PROVIDER];
  const providers: SeedResult['providers'] = [];
  for (const def of toSeed) {
    providers.push(await upsertProvider(prisma, box, def, environment));
  }

  await prisma.auditLog.create({
    data: {
      action: 'platform.seed',
      details: { providers: providers.map((p) => p.slug), tenant: tenant.slug },
    },
  });

  return {
    admin: { email: admin.email, password: admin.password, created: admin.created },
    developer: { email: developer.email, password: developer.password, created: developer.created },
    tenant: { id: tenant.id, slug: tenant.slug },
    demoKey,
    providers,
  };
}

const nonEmpty = (v: string | undefined): v is string => typeof v === 'string' && v.trim() !== '';

async function upsertUser(
  prisma: PrismaClient,
  email: string,
  name: string,
  platformRole: 'admin' | 'user',
  fixedPassword: string | undefined,
) {
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) {
    // A password given in the environment is authoritative (automation relies on it).
    if (fixedPassword) {
      await prisma.user.update({
        where: { id: existing.id },
        data: { passwordHash: await hashPassword(fixedPassword), failedLoginCount: 0, lockedUntil: null, status: 'active' },
      });
    }
    if (existing.platformRole !== platformRole && platformRole === 'admin') {
      await prisma.user.update({ where: { id: existing.id }, data: { platformRole } });
    }
    return { id: existing.id, email, created: false, password: undefined };
  }
  const password = fixedPassword ?? generatedPassword();
  const user = await prisma.user.create({
    data: { email, name, platformRole, passwordHash: await hashPassword(password) },
  });
  return { id: user.id, email, created: true, password: fixedPassword ? undefined : password };
}

async function upsertDemoKey(prisma: PrismaClient, tenantId: string, createdById: string, fixed: string | undefined) {
  if (fixed) {
    const keyHash = hashApiKey(fixed);
    const existing = await prisma.apiKey.findUnique({ where: { keyHash } });
    if (existing) {
      if (existing.status !== 'active') await prisma.apiKey.update({ where: { id: existing.id }, data: { status: 'active', revokedAt: null } });
      return { id: existing.id, prefix: existing.prefix, created: false };
    }
    const key = await prisma.apiKey.create({
      data: { tenantId, createdById, name: 'demo', keyHash, prefix: apiKeyDisplayPrefix(fixed) },
    });
    return { id: key.id, prefix: key.prefix, created: true };
  }
  const existing = await prisma.apiKey.findFirst({ where: { tenantId, name: 'demo' }, orderBy: { createdAt: 'asc' } });
  if (existing) return { id: existing.id, prefix: existing.prefix, created: false };
  const secret = generateApiKey();
  const key = await prisma.apiKey.create({
    data: { tenantId, createdById, name: 'demo', keyHash: hashApiKey(secret), prefix: apiKeyDisplayPrefix(secret) },
  });
  return { id: key.id, prefix: key.prefix, secret, created: true };
}

async function upsertProvider(prisma: PrismaClient, box: SecretBox, def: CatalogueProvider, environment: NodeJS.ProcessEnv) {
  const urlFromEnv = def.urlVar ? environment[def.urlVar] : undefined;
  const baseUrl = (nonEmpty(urlFromEnv) ? urlFromEnv : def.defaultBaseUrl).replace(/\/+$/, '');
  if (!baseUrl) throw new Error(`${def.urlVar} is required for provider ${def.name}`);
  const source = def.type === 'simulator' ? 'seed' : 'env';
  const provider = await prisma.provider.upsert({
    where: { slug: def.slug },
    create: { slug: def.slug, name: def.name, type: def.type, baseUrl, source, config: (def.config ?? {}) as object },
    update: { baseUrl, type: def.type, source },
  });

  const secret = def.keyVar ? environment[def.keyVar] : undefined;
  if (nonEmpty(secret)) {
    const existing = await prisma.providerCredential.findFirst({ where: { providerId: provider.id, name: 'env' } });
    const current = existing ? safeOpen(box, existing, provider.id) : undefined;
    if (current !== secret) {
      const sealed = box.seal(secret, provider.id);
      const data = {
        ciphertext: Buffer.from(sealed.ciphertext),
        iv: Buffer.from(sealed.iv),
        authTag: Buffer.from(sealed.authTag),
        keyId: sealed.keyId,
        hint: secretHint(secret),
        status: 'active' as const,
      };
      if (existing) await prisma.providerCredential.update({ where: { id: existing.id }, data });
      else await prisma.providerCredential.create({ data: { providerId: provider.id, name: 'env', ...data } });
    }
  }

  const models: string[] = [];
  for (const m of def.models) {
    const model = await prisma.model.upsert({
      where: { name: m.name },
      create: {
        name: m.name,
        displayName: m.displayName,
        kind: m.kind,
        contextWindow: m.contextWindow ?? null,
        requiresApproval: m.requiresApproval ?? false,
      },
      update: {},
    });
    const upstreamModel = m.upstream ?? m.name;
    const deployment = await prisma.modelDeployment.findFirst({ where: { modelId: model.id, providerId: provider.id } });
    if (!deployment) {
      const siblings = await prisma.modelDeployment.count({ where: { modelId: model.id } });
      await prisma.modelDeployment.create({
        data: { modelId: model.id, providerId: provider.id, upstreamModel, priority: siblings, weight: 1 },
      });
    }
    const hasPrice = await prisma.modelPrice.findFirst({ where: { modelId: model.id, deploymentId: null } });
    if (!hasPrice) {
      await prisma.modelPrice.create({
        data: {
          modelId: model.id,
          inputPerMTokUsd: m.price[0],
          outputPerMTokUsd: m.price[1],
          cachedInputPerMTokUsd: m.price[2],
          effectiveFrom: new Date('2025-01-01T00:00:00Z'),
        },
      });
    }
    models.push(m.name);
  }
  return { slug: provider.slug, type: provider.type, baseUrl: provider.baseUrl, models };
}

function safeOpen(box: SecretBox, c: { ciphertext: Uint8Array; iv: Uint8Array; authTag: Uint8Array; keyId: string }, aad: string) {
  try {
    return box.open(c, aad);
  } catch {
    return undefined;
  }
}
