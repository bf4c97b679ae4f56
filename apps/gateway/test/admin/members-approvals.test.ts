import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support.js';
import { type Caller, listenForChanges, PASSWORD, signIn, startAdminGateway, tenantWithMembers } from './helpers.js';
import { Fixtures } from './fixtures.js';

let gw: TestGateway;
let platform: Caller;
let anonymous: Caller;
let T: Awaited<ReturnType<typeof tenantWithMembers>>;
let fx: Fixtures;
let changes: Awaited<ReturnType<typeof listenForChanges>>;
beforeAll(async () => {
  ({ gw, platform, anonymous } = await startAdminGateway());
  T = await tenantWithMembers(gw, platform, 'team');
  fx = new Fixtures(gw, platform);
  changes = await listenForChanges(gw);
});
afterAll(async () => {
  await changes?.close();
  await gw?.close();
});
const t = () => `/admin/tenants/${T.id}`;

describe('members', () => {
  it('invites by email; the invitee accepts with the token, creates an account and signs in', async () => {
    const invite = await T.admin.post(`${t()}/members`, { email: 'newbie@team.test', role: 'developer' });
    expect(invite.status).toBe(201);
    expect(invite.body).toMatchObject({ kind: 'invitation', invitation: { email: 'newbie@team.test', role: 'developer' }, token: expect.any(String) });
    expect(JSON.stringify((await T.admin.get(`${t()}/invitations`)).body)).not.toContain(invite.body.token);
    const noPassword = await anonymous.post('/admin/invitations/accept', { token: invite.body.token });
    expect(noPassword.status).toBe(400);
    expect(noPassword.body.error.details.fields[0].field).toBe('password');
    const accepted = await anonymous.post('/admin/invitations/accept', { token: invite.body.token, password: PASSWORD, name: 'New Bie' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.member).toMatchObject({ email: 'newbie@team.test', role: 'developer', name: 'New Bie' });
    expect((await anonymous.post('/admin/invitations/accept', { token: invite.body.token, password: PASSWORD })).status).toBe(404);
    const newbie = await signIn(gw, 'newbie@team.test', PASSWORD);
    expect((await newbie.get(`${t()}/api-keys`)).status).toBe(200);
    const listed = await T.viewer.get(`${t()}/members`);
    expect(listed.body.map((m: { email: string }) => m.email)).toContain('newbie@team.test');
  });

  it('keeps at least one owner, lets only owners make owners, and refuses duplicates', async () => {
    const ownerId = T.owner.userId!;
    const demote = await T.owner.patch(`${t()}/members/${ownerId}`, { role: 'admin' });
    expect(demote.status).toBe(409);
    expect(demote.body.error).toMatchObject({ code: 'conflict', details: { reason: 'last_owner' } });
    expect((await T.owner.del(`${t()}/members/${ownerId}`)).status).toBe(409);
    expect((await T.admin.patch(`${t()}/members/${T.developer.userId}`, { role: 'owner' })).status).toBe(403);
    expect((await T.admin.del(`${t()}/members/${ownerId}`)).status).toBe(403);
    expect((await T.admin.post(`${t()}/members`, { email: 'developer@team.test', role: 'viewer' })).status).toBe(409);

    // a role change takes effect on the next request
    const m = await fx.member(T.id, 'viewer');
    const member = await signIn(gw, m.email, 'a-long-test-password-42');
    expect((await member.post(`${t()}/api-keys`, { name: 'x' })).status).toBe(403);
    expect((await T.admin.patch(`${t()}/members/${m.userId}`, { role: 'developer' })).body.role).toBe('developer');
    expect((await member.post(`${t()}/api-keys`, { name: 'x' })).status).toBe(201);
    expect((await T.admin.del(`${t()}/members/${m.userId}`)).status).toBe(204);
    expect((await member.get(`${t()}/api-keys`)).status).toBe(403);
  });
});

describe('approvals', () => {
  it('model access under a platform-admin policy: tenant admins cannot decide, a platform admin can', async () => {
    const model = await fx.model({ requiresApproval: true, approvalPolicy: 'platform_admin' });
    const r = await T.developer.post(`${t()}/access-requests`, { type: 'model_access', model: model.name, reason: 'research' });
    expect(r.body.reviewableBy).toBe('platform_admin');
    expect((await T.owner.post(`${t()}/access-requests/${r.body.id}/approve`, {})).status).toBe(403);
    expect((await T.owner.post(`${t()}/grants`, { model: model.name })).status).toBe(403);
    const queue = await platform.get('/admin/access-requests?status=pending&reviewableBy=platform_admin');
    expect(queue.body.map((x: { id: string }) => x.id)).toContain(r.body.id);
    const ok = await platform.post(`${t()}/access-requests/${r.body.id}/approve`, { note: 'approved centrally' });
    expect(ok.body.status).toBe('approved');
    expect(await gw.prisma.modelGrant.count({ where: { tenantId: T.id, modelId: model.id } })).toBe(1);
  });

  it('a key quota increase: the developer asks, a tenant admin approves, the limit changes atomically and is published', async () => {
    const key = await fx.key(T.id, T.developer);
    const quota = await T.admin.post(`${t()}/quotas`, { scope: 'key', apiKeyId: key.key.id, metric: 'cost', period: 'month', limit: '5' });
    const lower = await T.developer.post(`${t()}/access-requests`, { type: 'quota_increase', quotaId: quota.body.id, limit: '4', reason: 'less?' });
    expect(lower.status).toBe(400);
    const ask = await T.developer.post(`${t()}/access-requests`, { type: 'quota_increase', quotaId: quota.body.id, limit: '50', reason: 'launch week' });
    expect(ask.status).toBe(201);
    expect(ask.body).toMatchObject({ reviewableBy: 'tenant_admin', requested: { limit: '50', currentLimit: '5', metric: 'cost' } });
    changes.clear();
    const ok = await T.admin.post(`${t()}/access-requests/${ask.body.id}/approve`, { note: 'for the launch' });
    expect(ok.body.status).toBe('approved');
    expect((await T.viewer.get(`${t()}/quotas?apiKeyId=${key.key.id}`)).body[0].limit).toBe('50');
    await changes.waitFor((c) => c.kind === 'quota' && c.tenantId === T.id && c.keyId === key.key.id);
  });

  it('a new tenant-wide budget: only a platform admin decides; approval creates the budget', async () => {
    const ask = await T.developer.post(`${t()}/access-requests`, { type: 'quota_increase', scope: 'tenant', metric: 'cost', period: 'month', limit: 1000, reason: 'we grow' });
    expect(ask.status).toBe(201);
    expect(ask.body.reviewableBy).toBe('platform_admin');
    expect((await T.owner.post(`${t()}/access-requests/${ask.body.id}/approve`, {})).status).toBe(403);
    const ok = await platform.post(`${t()}/access-requests/${ask.body.id}/approve`, {});
    expect(ok.body.quotaId).toEqual(expect.any(String));
    const q = await gw.prisma.quota.findUniqueOrThrow({ where: { id: ok.body.quotaId } });
    expect(q).toMatchObject({ tenantId: T.id, scope: 'tenant', metric: 'cost', period: 'month' });
    expect(q.limit.toString()).toBe('1000');
  });

  it('requesters see their own requests and can cancel them; others see theirs only; decisions are audited', async () => {
    const r = await fx.accessRequest(T.id, T.developer);
    expect((await T.viewer.get(`${t()}/access-requests`)).body).toEqual([]);
    expect((await T.developer.get(`${t()}/access-requests`)).body.map((x: { id: string }) => x.id)).toContain(r.id);
    expect((await T.admin.get(`${t()}/access-requests?status=pending`)).body.map((x: { id: string }) => x.id)).toContain(r.id);
    const cancelled = await T.developer.post(`${t()}/access-requests/${r.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await T.admin.post(`${t()}/access-requests/${r.id}/approve`, {})).status).toBe(409);
    const missingReason = await T.developer.post(`${t()}/access-requests`, { type: 'model_access', model: 'demo-reasoning' });
    expect(missingReason.status).toBe(400);
    expect(missingReason.body.error.details.fields).toEqual([{ field: 'reason', message: expect.any(String) }]);
    expect((await T.developer.post(`${t()}/access-requests`, { type: 'model_access', model: 'demo-chat', reason: 'x' })).status).toBe(409);
    const audit = await T.admin.get(`${t()}/audit-log?action=access_request.*&limit=100`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['access_request.create', 'access_request.approve', 'access_request.cancel']),
    );
  });
});
