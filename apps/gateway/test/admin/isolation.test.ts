/**
 * Tenant isolation: nothing lets one tenant read or change another tenant's data —
 * neither tenant A's paths called by tenant B's members, nor tenant B's own paths
 * given tenant A's object ids. Tenant A's rows are compared before and after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support.js';
import { type Caller, startAdminGateway, tenantWithMembers } from './helpers.js';
import { Fixtures } from './fixtures.js';

let gw: TestGateway;
let platform: Caller;
let A: Awaited<ReturnType<typeof tenantWithMembers>>;
let B: Awaited<ReturnType<typeof tenantWithMembers>>;
const ids: Record<string, string> = {};

async function snapshotOf(tenantId: string) {
  const p = gw.prisma;
  const [tenant, keys, quotas, requests, grants, members, invitations, logs, rollups, prompts] = await Promise.all([
    p.tenant.findUnique({ where: { id: tenantId } }),
    p.apiKey.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    p.quota.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    p.accessRequest.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    p.modelGrant.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    p.membership.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    p.tenantInvitation.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    p.requestLog.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    p.usageRollup.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    p.promptTemplate.findMany({ where: { tenantId }, orderBy: { id: 'asc' }, include: { versions: { orderBy: { version: 'asc' } } } }),
  ]);
  return JSON.stringify({ tenant, keys, quotas, requests, grants, members, invitations, logs, rollups, prompts }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

beforeAll(async () => {
  let started;
  ({ gw, platform, ...started } = await startAdminGateway());
  A = await tenantWithMembers(gw, platform, 'tenant-a');
  B = await tenantWithMembers(gw, platform, 'tenant-b');
  const fx = new Fixtures(gw, platform);
  const key = await fx.key(A.id, A.developer, { name: 'a-secret-project' });
  ids.key = key.key.id;
  ids.quota = (await fx.keyQuota(A.id, ids.key)).id;
  ids.request = (await fx.accessRequest(A.id, A.developer)).id;
  ids.grant = (await fx.grant(A.id)).id;
  ids.requestLog = await fx.requestLog(A.id);
  ids.invitation = (await fx.invitation(A.id)).invitation.id;
  ids.member = (await fx.member(A.id)).userId;
  const prompt = await A.developer.post(`/admin/tenants/${A.id}/prompts`, { slug: 'a-secret-project', name: 'a-secret-project', version: { model: 'demo-chat', messages: [{ role: 'user', content: '{{text}}' }] } });
  ids.prompt = prompt.body.slug;
  const restricted = await fx.model({ visibility: 'restricted', tenantIds: [A.id] });
  ids.restrictedModel = restricted.name;
  await gw.prisma.usageRollup.create({
    data: { granularity: 'hour', bucketStart: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000), tenantId: A.id, apiKeyId: ids.key, model: 'demo-chat', requests: 7, costUsd: '0.5' },
  });
  void started;
});
afterAll(() => gw?.close());

describe('tenant isolation', () => {
  it("refuses every tenant-A endpoint to tenant B's members, and nothing of A changes", async () => {
    const before = await snapshotOf(A.id);
    const a = `/admin/tenants/${A.id}`;
    const calls: [string, string, unknown?][] = [
      ['GET', a],
      ['PATCH', a, { name: 'pwned' }],
      ['POST', `${a}/suspend`, {}],
      ['GET', `${a}/members`],
      ['POST', `${a}/members`, { email: 'spy@evil.test', role: 'owner', password: 'a-long-test-password-42' }],
      ['PATCH', `${a}/members/${ids.member}`, { role: 'owner' }],
      ['DELETE', `${a}/members/${ids.member}`],
      ['GET', `${a}/invitations`],
      ['DELETE', `${a}/invitations/${ids.invitation}`],
      ['GET', `${a}/settings`],
      ['PATCH', `${a}/settings`, { logBodies: true }],
      ['GET', `${a}/api-keys`],
      ['POST', `${a}/api-keys`, { name: 'mine-now' }],
      ['GET', `${a}/api-keys/${ids.key}`],
      ['PATCH', `${a}/api-keys/${ids.key}`, { name: 'x' }],
      ['POST', `${a}/api-keys/${ids.key}/rotate`, { gracePeriodSeconds: 0 }],
      ['POST', `${a}/api-keys/${ids.key}/revoke`, {}],
      ['GET', `${a}/models`],
      ['GET', `${a}/access-requests`],
      ['POST', `${a}/access-requests`, { type: 'model_access', model: 'demo-reasoning', reason: 'x' }],
      ['GET', `${a}/access-requests/${ids.request}`],
      ['POST', `${a}/access-requests/${ids.request}/approve`, {}],
      ['POST', `${a}/access-requests/${ids.request}/reject`, {}],
      ['POST', `${a}/access-requests/${ids.request}/cancel`, {}],
      ['GET', `${a}/grants`],
      ['POST', `${a}/grants`, { model: 'demo-reasoning' }],
      ['POST', `${a}/grants/${ids.grant}/revoke`, {}],
      ['GET', `${a}/quotas`],
      ['GET', `${a}/quotas/alerts`],
      ['POST', `${a}/quotas`, { scope: 'key', apiKeyId: ids.key, metric: 'cost', period: 'day', limit: 1 }],
      ['PATCH', `${a}/quotas/${ids.quota}`, { limit: 1 }],
      ['DELETE', `${a}/quotas/${ids.quota}`],
      ['GET', `${a}/prompts`],
      ['POST', `${a}/prompts`, { slug: 'spy', name: 'spy' }],
      ['GET', `${a}/prompts/${ids.prompt}`],
      ['PATCH', `${a}/prompts/${ids.prompt}`, { archived: true }],
      ['POST', `${a}/prompts/${ids.prompt}/versions`, { model: 'demo-chat', messages: [{ role: 'user', content: 'x' }], activate: true }],
      ['GET', `${a}/analytics/summary`],
      ['GET', `${a}/analytics/timeseries`],
      ['GET', `${a}/request-logs`],
      ['GET', `${a}/request-logs/${ids.requestLog}`],
      ['GET', `${a}/audit-log`],
    ];
    // by slug too: the path accepts either
    calls.push(['GET', `/admin/tenants/${A.slug}/api-keys`], ['POST', `/admin/tenants/${A.slug}/api-keys/${ids.key}/revoke`, {}]);
    for (const who of [B.owner, B.admin, B.developer, B.viewer]) {
      for (const [method, path, body] of calls) {
        const res = await who.call(method, path, body);
        expect([403, 404], `${method} ${path} → ${res.status}`).toContain(res.status);
        expect(JSON.stringify(res.body)).not.toContain('a-secret-project');
      }
    }
    expect(await snapshotOf(A.id)).toBe(before);
  });

  it("answers 404 (or 400 for references in a body) when tenant B's paths are given tenant A's ids", async () => {
    const before = await snapshotOf(A.id);
    const b = `/admin/tenants/${B.id}`;
    const notFound: [string, string, unknown?][] = [
      ['GET', `${b}/api-keys/${ids.key}`],
      ['PATCH', `${b}/api-keys/${ids.key}`, { name: 'x' }],
      ['POST', `${b}/api-keys/${ids.key}/rotate`, {}],
      ['POST', `${b}/api-keys/${ids.key}/revoke`, {}],
      ['PATCH', `${b}/members/${ids.member}`, { role: 'viewer' }],
      ['DELETE', `${b}/members/${ids.member}`],
      ['DELETE', `${b}/invitations/${ids.invitation}`],
      ['GET', `${b}/access-requests/${ids.request}`],
      ['POST', `${b}/access-requests/${ids.request}/approve`, {}],
      ['POST', `${b}/access-requests/${ids.request}/reject`, {}],
      ['POST', `${b}/access-requests/${ids.request}/cancel`, {}],
      ['POST', `${b}/grants/${ids.grant}/revoke`, {}],
      ['PATCH', `${b}/quotas/${ids.quota}`, { limit: 1 }],
      ['DELETE', `${b}/quotas/${ids.quota}`],
      ['GET', `${b}/request-logs/${ids.requestLog}`],
      ['GET', `${b}/prompts/${ids.prompt}`],
      ['PATCH', `${b}/prompts/${ids.prompt}`, { archived: true }],
      ['POST', `${b}/prompts/${ids.prompt}/versions`, { model: 'demo-chat', messages: [{ role: 'user', content: 'x' }], activate: true }],
    ];
    for (const [method, path, body] of notFound) {
      const res = await B.owner.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const badReferences: [string, unknown][] = [
      [`${b}/quotas`, { scope: 'key', apiKeyId: ids.key, metric: 'cost', period: 'day', limit: 1 }],
      [`${b}/access-requests`, { type: 'model_access', model: 'demo-reasoning', apiKeyId: ids.key, reason: 'x' }],
      [`${b}/grants`, { model: 'demo-reasoning', apiKeyId: ids.key }],
      [`${b}/api-keys`, { name: 'x', allowedModels: [ids.restrictedModel] }],
      [`${b}/access-requests`, { type: 'quota_increase', quotaId: ids.quota, limit: 100, reason: 'x' }],
    ];
    for (const [path, body] of badReferences) {
      const res = await B.owner.post(path, body);
      expect(res.status, `POST ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    // filters with A's ids find nothing in B
    expect((await B.owner.get(`${b}/request-logs?apiKeyId=${ids.key}`)).body.items).toEqual([]);
    expect((await B.owner.get(`${b}/audit-log?targetId=${ids.key}`)).body.items).toEqual([]);
    expect((await B.owner.get(`${b}/analytics/summary?apiKeyId=${ids.key}`)).body.totals.requests).toBe(0);
    expect((await A.owner.get(`/admin/tenants/${A.id}/analytics/summary?apiKeyId=${ids.key}`)).body.totals.requests).toBe(7);
    const aAudit = await A.owner.get(`/admin/tenants/${A.id}/audit-log?limit=1`);
    const cursor = await B.owner.get(`${b}/audit-log?cursor=${aAudit.body.items[0].id}`);
    expect(cursor.status).toBe(400);
    // a restricted model shown to A is invisible to B
    expect((await B.owner.get(`${b}/models`)).body.map((m: { name: string }) => m.name)).not.toContain(ids.restrictedModel);
    expect((await A.owner.get(`/admin/tenants/${A.id}/models`)).body.map((m: { name: string }) => m.name)).toContain(ids.restrictedModel);
    expect(await snapshotOf(A.id)).toBe(before);
  });
});
