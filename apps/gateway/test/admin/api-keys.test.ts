import { hashApiKey } from '@conduit/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support.js';
import { type Caller, listenForChanges, startAdminGateway, tenantWithMembers } from './helpers.js';

let gw: TestGateway;
let platform: Caller;
let T: Awaited<ReturnType<typeof tenantWithMembers>>;
let changes: Awaited<ReturnType<typeof listenForChanges>>;
beforeAll(async () => {
  ({ gw, platform } = await startAdminGateway());
  T = await tenantWithMembers(gw, platform, 'keys'); // basic plan: rpm 600, tpm 400k, concurrency 20
  changes = await listenForChanges(gw);
});
afterAll(async () => {
  await changes?.close();
  await gw?.close();
});
const keys = () => `/admin/tenants/${T.id}/api-keys`;

describe('self-serve API keys: policy', () => {
  it("refuses limits above the tenant's, unknown models and past expiry, naming each field", async () => {
    const res = await T.developer.post(keys(), {
      name: 'greedy',
      allowedModels: ['demo-chat', 'no-such-model'],
      limits: { rpm: 10_000, tpm: 1000, concurrency: 50 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.fields).toEqual([
      { field: 'limits.rpm', message: "must be at most the tenant's 600" },
      { field: 'limits.concurrency', message: "must be at most the tenant's 20" },
      { field: 'allowedModels.1', message: '"no-such-model" is not a model this tenant can use' },
    ]);
    const past = await T.developer.post(keys(), { name: 'old', expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.error.details.fields[0].field).toBe('expiresAt');
    const shape = await T.developer.post(keys(), { name: '', limits: { rpm: -1 }, extra: true });
    expect(shape.status).toBe(400);
    expect(shape.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['(body)', 'limits.rpm', 'name']);
    expect(await gw.prisma.apiKey.count({ where: { tenantId: T.id } })).toBe(0);

    // a tenant-level override raises the ceiling
    expect((await platform.patch(`/admin/tenants/${T.id}`, { limits: { rpm: 20_000 } })).status).toBe(200);
    const raised = await T.developer.post(keys(), { name: 'fast', limits: { rpm: 10_000 } });
    expect(raised.status).toBe(201);
  });

  it('lets developers manage only their own keys; tenant admins manage any', async () => {
    const mine = await T.developer.post(keys(), { name: 'dev-key' });
    const theirs = await T.admin.post(keys(), { name: 'admin-key' });
    expect((await T.developer.patch(`${keys()}/${theirs.body.key.id}`, { name: 'taken' })).status).toBe(403);
    expect((await T.developer.post(`${keys()}/${theirs.body.key.id}/revoke`)).status).toBe(403);
    expect((await T.admin.patch(`${keys()}/${mine.body.key.id}`, { name: 'renamed by admin' })).body.name).toBe('renamed by admin');
    const onlyMine = await T.developer.get(`${keys()}?mine=true`);
    expect(onlyMine.body.every((k: { createdBy: { email: string } }) => k.createdBy.email === 'developer@keys.test')).toBe(true);
    expect((await T.viewer.post(keys(), { name: 'viewer-key' })).status).toBe(403);
  });

  it('rotation with no grace period stops the old secret at once, and carries grants and quotas to the new key', async () => {
    const k = await T.developer.post(keys(), { name: 'rot' });
    const id = k.body.key.id;
    const grant = await T.admin.post(`/admin/tenants/${T.id}/grants`, { model: 'demo-reasoning', apiKeyId: id });
    expect(grant.status).toBe(201);
    const quota = await T.admin.post(`/admin/tenants/${T.id}/quotas`, { scope: 'key', apiKeyId: id, metric: 'tokens', period: 'day', limit: 5000 });
    expect(quota.status).toBe(201);
    changes.clear();
    const rotated = await T.developer.post(`${keys()}/${id}/rotate`, { gracePeriodSeconds: 0 });
    expect(rotated.status).toBe(201);
    expect(rotated.body.previous).toMatchObject({ status: 'revoked' });
    const newId = rotated.body.key.id;
    await changes.waitFor((c) => c.kind === 'api_key' && c.keyId === id && c.keyHash === hashApiKey(k.body.secret));
    await changes.waitFor((c) => c.kind === 'grant' && c.tenantId === T.id);
    await changes.waitFor((c) => c.kind === 'quota' && c.keyId === newId);
    expect(await gw.prisma.modelGrant.count({ where: { apiKeyId: newId, revokedAt: null } })).toBe(1);
    expect((await gw.prisma.quota.findUniqueOrThrow({ where: { id: quota.body.id } })).apiKeyId).toBe(newId);
    expect((await T.developer.post(`${keys()}/${id}/revoke`)).body.status).toBe('revoked');
  });
});

describe('self-serve API keys: approval policy and suspension', () => {
  it('creates pending keys when the tenant requires approval; an admin approves (key active) or rejects (key revoked)', async () => {
    expect((await T.admin.patch(`/admin/tenants/${T.id}/settings`, { requireKeyApproval: true })).body.requireKeyApproval).toBe(true);
    const pending = await T.developer.post(keys(), { name: 'needs-ok' });
    expect(pending.status).toBe(201);
    expect(pending.body.key.status).toBe('pending');
    expect(pending.body.secret).toMatch(/^cdt_/);
    const requestId = pending.body.accessRequestId;
    expect(requestId).toEqual(expect.any(String));
    const mine = await T.developer.get(`/admin/tenants/${T.id}/access-requests?type=key_approval`);
    expect(mine.body.map((r: { id: string }) => r.id)).toContain(requestId);
    // admins' own keys need no approval
    expect((await T.admin.post(keys(), { name: 'admin-direct' })).body.key.status).toBe('active');

    changes.clear();
    const approved = await T.admin.post(`/admin/tenants/${T.id}/access-requests/${requestId}/approve`, { note: 'fine' });
    expect(approved.body.status).toBe('approved');
    expect((await T.developer.get(`${keys()}/${pending.body.key.id}`)).body.status).toBe('active');
    await changes.waitFor((c) => c.kind === 'api_key' && c.keyId === pending.body.key.id && c.keyHash === hashApiKey(pending.body.secret));

    const second = await T.developer.post(keys(), { name: 'will-be-refused' });
    const rejected = await T.owner.post(`/admin/tenants/${T.id}/access-requests/${second.body.accessRequestId}/reject`, { note: 'use the shared key' });
    expect(rejected.body).toMatchObject({ status: 'rejected', reviewNote: 'use the shared key' });
    expect((await T.developer.get(`${keys()}/${second.body.key.id}`)).body.status).toBe('revoked');
    await T.admin.patch(`/admin/tenants/${T.id}/settings`, { requireKeyApproval: false });
  });

  it('suspending a tenant is published at once and stops new keys; resuming lifts it', async () => {
    changes.clear();
    const suspended = await platform.post(`/admin/tenants/${T.id}/suspend`, { reason: 'unpaid invoice' });
    expect(suspended.body).toMatchObject({ status: 'suspended', suspendedAt: expect.any(String) });
    await changes.waitFor((c) => c.kind === 'tenant' && c.tenantId === T.id);
    const refused = await T.developer.post(keys(), { name: 'during-suspension' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('tenant_suspended');
    const entry = (await platform.get(`/admin/audit-log?action=tenant.suspend&tenantId=${T.id}`)).body.items[0];
    expect(entry.details).toMatchObject({ reason: 'unpaid invoice', before: { status: 'active' }, after: { status: 'suspended' } });
    expect((await platform.post(`/admin/tenants/${T.id}/resume`)).body.status).toBe('active');
    expect((await T.developer.post(keys(), { name: 'after' })).status).toBe(201);
  });
});
