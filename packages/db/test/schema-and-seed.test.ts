import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, hashApiKey, type PrismaClient, SecretBox, verifyPassword } from '../src/index';
import { seed } from '../src/seed/index';
import { createTestDatabase, type TestDatabase } from '../src/testing';

const ENC = 'k1:' + Buffer.alloc(32, 7).toString('base64');
let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  db = await createTestDatabase('schema');
  prisma = createPrismaClient({ url: db.url, max: 2 });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe('schema', () => {
  it('holds every entity of the domain model', async () => {
    const rows = await prisma.$queryRawUnsafe<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    const tables = rows.map((r) => r.table_name);
    for (const t of [
      'User', 'RefreshToken', 'Tenant', 'Membership', 'TenantInvitation', 'ApiKey', 'Provider', 'ProviderCredential',
      'Model', 'ModelTenantAccess', 'ModelDeployment', 'RouteRule', 'ModelPrice', 'Quota', 'BudgetAlert',
      'AccessRequest', 'ModelGrant', 'RequestLog', 'UsageRollup', 'AuditLog', 'PromptTemplate', 'PromptVersion',
      'PlatformSetting',
    ]) {
      expect(tables, `table ${t}`).toContain(t);
    }
  });

  it('keeps one request log per request id', async () => {
    const tenant = await prisma.tenant.create({ data: { slug: 'rl', name: 'RL' } });
    const row = { requestId: 'req_dup', tenantId: tenant.id, endpoint: '/v1/chat/completions', model: 'm', status: 'success' as const, httpStatus: 200, latencyMs: 5 };
    await prisma.requestLog.create({ data: row });
    await expect(prisma.requestLog.create({ data: row })).rejects.toMatchObject({ code: 'P2002' });
    const { count } = await prisma.requestLog.createMany({ data: [row, { ...row, requestId: 'req_other' }], skipDuplicates: true });
    expect(count).toBe(1);
  });

  it('keeps rollups unique per bucket, tenant, key, model and provider', async () => {
    const tenant = await prisma.tenant.create({ data: { slug: 'ru', name: 'RU' } });
    const bucket = { granularity: 'hour' as const, bucketStart: new Date('2026-01-01T10:00:00Z'), tenantId: tenant.id, model: 'm' };
    await prisma.usageRollup.create({ data: { ...bucket, requests: 1 } });
    await expect(prisma.usageRollup.create({ data: { ...bucket, requests: 1 } })).rejects.toMatchObject({ code: 'P2002' });
  });

  it('indexes the dashboard queries', async () => {
    const rows = await prisma.$queryRawUnsafe<{ indexname: string }[]>(`SELECT indexname FROM pg_indexes WHERE tablename = 'RequestLog'`);
    const names = rows.map((r) => r.indexname);
    expect(names).toEqual(expect.arrayContaining(['RequestLog_requestId_key', 'RequestLog_tenantId_createdAt_idx', 'RequestLog_createdAt_idx']));
  });
});

describe('seed', () => {
  it('creates the admin, demo tenant, developer, demo key and the simulator when no provider is configured', async () => {
    const r = await seed(prisma, {
      CONDUIT_ENCRYPTION_KEYS: ENC,
      CONDUIT_ADMIN_EMAIL: 'Root@Example.com',
      CONDUIT_ADMIN_PASSWORD: 'correct horse battery',
      CONDUIT_DEMO_API_KEY: 'cdt_demo_key_for_tests_0123456789',
    });
    expect(r.admin).toMatchObject({ email: 'root@example.com', created: true });
    expect(r.admin.password).toBeUndefined(); // fixed by the environment: nothing generated to print
    expect(r.developer.created).toBe(true);
    expect(r.developer.password).toMatch(/^[\w-]{12,}$/); // generated, returned once
    expect(r.providers.map((p) => p.slug)).toEqual(['simulator']);

    const admin = await prisma.user.findUniqueOrThrow({ where: { email: 'root@example.com' }, include: { memberships: true } });
    expect(admin.platformRole).toBe('admin');
    expect(await verifyPassword(admin.passwordHash, 'correct horse battery')).toBe(true);
    expect(admin.passwordHash).not.toContain('correct horse');

    const key = await prisma.apiKey.findUniqueOrThrow({ where: { keyHash: hashApiKey('cdt_demo_key_for_tests_0123456789') } });
    expect(key).toMatchObject({ status: 'active', prefix: 'cdt_demo_key', tenantId: r.tenant.id });

    const models = await prisma.model.findMany({ include: { deployments: true, prices: true } });
    expect(models.map((m) => m.name).sort()).toEqual(['demo-chat', 'demo-chat-mini', 'demo-embedding', 'demo-reasoning']);
    for (const m of models) {
      expect(m.deployments).toHaveLength(1);
      expect(m.prices).toHaveLength(1);
    }
    expect(models.find((m) => m.name === 'demo-reasoning')?.requiresApproval).toBe(true);
  });

  it('is idempotent, and adds environment providers with encrypted credentials', async () => {
    const env = {
      CONDUIT_ENCRYPTION_KEYS: ENC,
      CONDUIT_ADMIN_EMAIL: 'root@example.com',
      CONDUIT_DEMO_API_KEY: 'cdt_demo_key_for_tests_0123456789',
      OPENAI_API_KEY: 'sk-test-abcdefghijklmnop',
      OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1/',
      ANTHROPIC_API_KEY: 'sk-ant-test-abcdefghijkl',
    };
    const counts = async () => ({
      users: await prisma.user.count(),
      tenants: await prisma.tenant.count(),
      keys: await prisma.apiKey.count(),
      deployments: await prisma.modelDeployment.count(),
      prices: await prisma.modelPrice.count(),
      credentials: await prisma.providerCredential.count(),
    });
    const first = await seed(prisma, env);
    const after1 = await counts();
    const second = await seed(prisma, env);
    expect(await counts()).toEqual(after1);
    expect(second.admin.created).toBe(false);
    expect(second.demoKey.created).toBe(false);
    expect(first.providers.map((p) => p.slug)).toEqual(['openai', 'anthropic']);

    const openai = await prisma.provider.findUniqueOrThrow({ where: { slug: 'openai' }, include: { credentials: true } });
    expect(openai).toMatchObject({ baseUrl: 'http://127.0.0.1:9999/v1', source: 'env', type: 'openai' });
    const [cred] = openai.credentials;
    expect(Buffer.from(cred.ciphertext).toString('utf8')).not.toContain('sk-test');
    expect(cred.hint).toBe('mnop');
    expect(new SecretBox(ENC).open(cred, openai.id)).toBe('sk-test-abcdefghijklmnop');
  });

  it('refuses to run without an encryption key, naming the variable', async () => {
    await expect(seed(prisma, {})).rejects.toThrow(/CONDUIT_ENCRYPTION_KEYS/);
  });
});

describe('SecretBox', () => {
  it('decrypts with older keys after rotation and rejects tampering', () => {
    const old = new SecretBox('old:' + Buffer.alloc(32, 1).toString('base64'));
    const sealed = old.seal('secret-value', 'aad');
    const rotated = new SecretBox('new:' + Buffer.alloc(32, 2).toString('base64') + ',old:' + Buffer.alloc(32, 1).toString('base64'));
    expect(rotated.currentKeyId).toBe('new');
    expect(rotated.open(sealed, 'aad')).toBe('secret-value');
    expect(rotated.seal('x').keyId).toBe('new');
    const tampered = { ...sealed, ciphertext: Buffer.from(sealed.ciphertext).fill(0) };
    expect(() => rotated.open(tampered, 'aad')).toThrow();
    expect(() => rotated.open(sealed, 'other-aad')).toThrow();
  });
});
