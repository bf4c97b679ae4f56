import { hashApiKey } from '@conduit/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support.js';
import { type Caller, listenForChanges, PASSWORD, signIn, startAdminGateway, tenantWithMembers } from './helpers.js';

let gw: TestGateway;
let platform: Caller;
let changes: Awaited<ReturnType<typeof listenForChanges>>;
beforeAll(async () => {
  ({ gw, platform } = await startAdminGateway());
  changes = await listenForChanges(gw);
});
afterAll(async () => {
  await changes?.close();
  await gw?.close();
});

describe('a new tenant, end to end through the admin API', () => {
  it('platform admin creates a tenant and a developer; the developer gets a key, asks for a model, is approved; rotation, revocation, isolation and audit', async () => {
    // ── the platform admin creates the tenant with its owner, and a developer ──
    const created = await platform.post('/admin/tenants', {
      slug: 'acme',
      name: 'Acme',
      plan: 'basic',
      owner: { email: 'owner@acme.test', password: PASSWORD, name: 'Olive Owner' },
    });
    expect(created.status).toBe(201);
    expect(created.body.tenant).toMatchObject({ slug: 'acme', plan: 'basic', status: 'active', effectiveLimits: { rpm: 600, tpm: 400_000 } });
    expect(created.body.owner).toMatchObject({ kind: 'member', userCreated: true, member: { email: 'owner@acme.test', role: 'owner' } });
    const tenantId = created.body.tenant.id;
    const owner = await signIn(gw, 'owner@acme.test', PASSWORD);
    const addDev = await owner.post(`/admin/tenants/acme/members`, { email: 'dev@acme.test', role: 'developer', password: PASSWORD });
    expect(addDev.status).toBe(201);
    const dev = await signIn(gw, 'dev@acme.test', PASSWORD);

    // ── the developer sees the catalogue with what needs approval ──
    const models = await dev.get(`/admin/tenants/acme/models`);
    expect(models.status).toBe(200);
    const byName = Object.fromEntries(models.body.map((m: { name: string; access: string }) => [m.name, m.access]));
    expect(byName).toMatchObject({ 'demo-chat': 'available', 'demo-reasoning': 'requires_approval' });

    // ── creates a key: the secret is shown once, listings show only the prefix ──
    changes.clear();
    const key = await dev.post(`/admin/tenants/${tenantId}/api-keys`, { name: 'backend', allowedModels: ['demo-chat', 'demo-reasoning'], expiresInDays: 30, limits: { rpm: 100 } });
    expect(key.status).toBe(201);
    const secret: string = key.body.secret;
    expect(secret).toMatch(/^cdt_/);
    expect(key.body.key).toMatchObject({ name: 'backend', status: 'active', prefix: secret.slice(0, 12), limits: { rpm: 100 } });
    const stored = await gw.prisma.apiKey.findUniqueOrThrow({ where: { id: key.body.key.id } });
    expect(stored.keyHash).toBe(hashApiKey(secret));
    await changes.waitFor((c) => c.kind === 'api_key' && c.keyId === stored.id);
    const listing = await dev.get(`/admin/tenants/acme/api-keys`);
    expect(listing.body.map((k: { id: string }) => k.id)).toContain(stored.id);
    expect(JSON.stringify(listing.body)).not.toContain(secret);
    expect(JSON.stringify(listing.body)).not.toContain(stored.keyHash);
    expect((await dev.get(`/admin/tenants/acme/api-keys/${stored.id}`)).body).toMatchObject({ lastUsedAt: null, status: 'active' });

    // ── asks for the approval-required model: refused until a tenant admin approves ──
    const request = await dev.post(`/admin/tenants/acme/access-requests`, { type: 'model_access', model: 'demo-reasoning', reason: 'evaluating reasoning for support triage' });
    expect(request.status).toBe(201);
    expect(request.body).toMatchObject({ status: 'pending', reviewableBy: 'tenant_admin', model: { name: 'demo-reasoning' } });
    const again = await dev.post(`/admin/tenants/acme/access-requests`, { type: 'model_access', model: 'demo-reasoning', reason: 'again' });
    expect(again.status).toBe(409);
    expect(await gw.prisma.modelGrant.count({ where: { tenantId } })).toBe(0);
    expect((await dev.get(`/admin/tenants/acme/models`)).body.find((m: { name: string }) => m.name === 'demo-reasoning').access).toBe('pending');
    const selfApprove = await dev.post(`/admin/tenants/acme/access-requests/${request.body.id}/approve`, {});
    expect(selfApprove.status).toBe(403);

    changes.clear();
    const approved = await owner.post(`/admin/tenants/acme/access-requests/${request.body.id}/approve`, { note: 'ok for the pilot' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', reviewNote: 'ok for the pilot', reviewer: { email: 'owner@acme.test' }, grantId: expect.any(String) });
    const grant = await gw.prisma.modelGrant.findUniqueOrThrow({ where: { id: approved.body.grantId } });
    expect(grant).toMatchObject({ tenantId, apiKeyId: null, accessRequestId: request.body.id });
    await changes.waitFor((c) => c.kind === 'grant' && c.tenantId === tenantId && c.modelId === grant.modelId);
    const seen = await dev.get(`/admin/tenants/acme/access-requests/${request.body.id}`);
    expect(seen.body.status).toBe('approved');
    expect((await dev.get(`/admin/tenants/acme/models`)).body.find((m: { name: string }) => m.name === 'demo-reasoning').access).toBe('granted');
    const twice = await owner.post(`/admin/tenants/acme/access-requests/${request.body.id}/approve`, {});
    expect(twice.status).toBe(409);

    // ── rotation: a new secret, the old one valid for the grace period only ──
    changes.clear();
    const before = Date.now();
    const rotated = await dev.post(`/admin/tenants/acme/api-keys/${stored.id}/rotate`, { gracePeriodSeconds: 1 });
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).not.toBe(secret);
    expect(rotated.body.key).toMatchObject({ status: 'active', rotatedFromId: stored.id, name: 'backend', allowedModels: ['demo-chat', 'demo-reasoning'] });
    expect(rotated.body.previous.rotatedToId).toBe(rotated.body.key.id);
    const graceEnd = new Date(rotated.body.previous.expiresAt).getTime();
    expect(graceEnd).toBeGreaterThanOrEqual(before + 1000);
    expect(graceEnd).toBeLessThan(Date.now() + 1500);
    await changes.waitFor((c) => c.kind === 'api_key' && c.keyId === stored.id && c.keyHash === stored.keyHash);
    await changes.waitFor((c) => c.kind === 'api_key' && c.keyId === rotated.body.key.id);
    expect((await dev.get(`/admin/tenants/acme/api-keys/${stored.id}`)).body.status).toBe('active');
    await new Promise((r) => setTimeout(r, Math.max(0, graceEnd - Date.now() + 50)));
    expect((await dev.get(`/admin/tenants/acme/api-keys/${stored.id}`)).body.status).toBe('expired');
    const rotateOld = await dev.post(`/admin/tenants/acme/api-keys/${stored.id}/rotate`, {});
    expect(rotateOld.status).toBe(409);

    // ── revocation: published at once, with the key hash replicas cache by ──
    changes.clear();
    const newKey = rotated.body.key.id;
    const revoked = await dev.post(`/admin/tenants/acme/api-keys/${newKey}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    await changes.waitFor((c) => c.kind === 'api_key' && c.keyId === newKey && c.keyHash === hashApiKey(rotated.body.secret));
    expect((await gw.prisma.apiKey.findUniqueOrThrow({ where: { id: newKey } })).status).toBe('revoked');

    // ── a second tenant's admin sees none of it ──
    const other = await tenantWithMembers(gw, platform, 'globex');
    expect((await other.admin.get(`/admin/tenants/acme/api-keys`)).status).toBe(403);
    expect((await other.admin.get(`/admin/tenants/${tenantId}/access-requests`)).status).toBe(403);
    expect((await other.admin.get(`/admin/tenants/acme/audit-log`)).status).toBe(403);
    const theirTenants = await other.admin.get('/admin/tenants');
    expect(theirTenants.body.map((t: { slug: string }) => t.slug)).toEqual(['globex']);
    expect((await other.admin.get(`/admin/tenants/globex/api-keys`)).body).toEqual([]);

    // ── every step is in the audit log, with who, from where, and no secret ──
    const audit = await owner.get(`/admin/tenants/acme/audit-log?limit=200`);
    expect(audit.status).toBe(200);
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    for (const action of ['tenant.create', 'member.add', 'api_key.create', 'access_request.create', 'access_request.approve', 'api_key.rotate', 'api_key.revoke']) {
      expect(actions).toContain(action);
    }
    const approveEntry = audit.body.items.find((e: { action: string }) => e.action === 'access_request.approve');
    expect(approveEntry).toMatchObject({ actor: { email: 'owner@acme.test' }, targetType: 'access_request', targetId: request.body.id, ip: expect.any(String) });
    expect(approveEntry.details.before.status).toBe('pending');
    expect(approveEntry.details.after.status).toBe('approved');
    const text = JSON.stringify(audit.body);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(rotated.body.secret);
    expect(text).not.toContain(stored.keyHash);
  });
});
