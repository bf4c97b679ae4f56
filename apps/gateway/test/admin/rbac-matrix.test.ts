/**
 * The RBAC matrix: every admin endpoint × every kind of caller, with the status
 * each must get. Fixtures are created fresh for each call, so an allowed call
 * really does its work (and a refused one is refused before touching anything).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support.js';
import { type Caller, startAdminGateway, tenantWithMembers } from './helpers.js';
import { Fixtures, uniq } from './fixtures.js';

type Who = 'platform' | 'owner' | 'admin' | 'developer' | 'viewer' | 'outsider' | 'anonymous';
const WHO: Who[] = ['platform', 'owner', 'admin', 'developer', 'viewer', 'outsider', 'anonymous'];
type Rule = 'public' | 'signed_in' | 'platform' | 'viewer' | 'developer' | 'admin';

interface Ctx {
  A: { id: string; slug: string };
  B: { id: string };
  as: Record<Who, Caller>;
  fx: Fixtures;
  simulatorId: string;
}

interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** the route as in the OpenAPI document */
  route: string;
  rule: Rule;
  ok: number;
  /** builds the concrete path and body for one call by `who` */
  prepare: (c: Ctx, who: Who) => Promise<{ path: string; body?: unknown }> | { path: string; body?: unknown };
  /** statuses that differ from what the rule implies */
  except?: Partial<Record<Who, number>>;
}

const RANK: Record<string, number> = { viewer: 1, developer: 2, admin: 3, owner: 4 };

function expected(e: Endpoint, who: Who): number {
  if (e.except?.[who] !== undefined) return e.except[who]!;
  if (e.rule === 'public') return e.ok;
  if (who === 'anonymous') return 401;
  if (e.rule === 'signed_in' || who === 'platform') return e.ok;
  if (e.rule === 'platform' || who === 'outsider') return 403;
  return RANK[who]! >= RANK[e.rule]! ? e.ok : 403;
}

const t = (c: Ctx) => `/admin/tenants/${c.A.id}`;
const devKey = async (c: Ctx) => (await c.fx.key(c.A.id, c.as.developer)).key.id as string;
const PROMPT_VERSION = { model: 'demo-chat', messages: [{ role: 'user', content: 'Sentiment of: {{text}}' }], inputSchema: { type: 'object', required: ['text'] } };
const promptSlug = async (c: Ctx) => (await c.as.platform.post(`${t(c)}/prompts`, { slug: `p-${uniq()}`, name: 'P', version: PROMPT_VERSION })).body.slug as string;

const ENDPOINTS: Endpoint[] = [
  // tenants
  { method: 'GET', route: '/admin/tenants', rule: 'signed_in', ok: 200, prepare: () => ({ path: '/admin/tenants' }) },
  { method: 'POST', route: '/admin/tenants', rule: 'platform', ok: 201, prepare: () => ({ path: '/admin/tenants', body: { slug: `n-${uniq()}`, name: 'New' } }) },
  { method: 'GET', route: '/admin/tenants/{tenantId}', rule: 'viewer', ok: 200, prepare: (c) => ({ path: t(c) }) },
  { method: 'PATCH', route: '/admin/tenants/{tenantId}', rule: 'platform', ok: 200, prepare: (c) => ({ path: t(c), body: { name: 'Tenant A' } }) },
  { method: 'POST', route: '/admin/tenants/{tenantId}/suspend', rule: 'platform', ok: 200, prepare: async (c) => ({ path: `/admin/tenants/${(await c.fx.tenant()).id}/suspend`, body: {} }) },
  { method: 'POST', route: '/admin/tenants/{tenantId}/resume', rule: 'platform', ok: 200, prepare: async (c) => ({ path: `/admin/tenants/${(await c.fx.tenant()).id}/resume` }) },
  // members
  { method: 'GET', route: '/admin/tenants/{tenantId}/members', rule: 'viewer', ok: 200, prepare: (c) => ({ path: `${t(c)}/members` }) },
  { method: 'POST', route: '/admin/tenants/{tenantId}/members', rule: 'admin', ok: 201, prepare: (c) => ({ path: `${t(c)}/members`, body: { email: `x-${uniq()}@test.local`, role: 'viewer' } }) },
  { method: 'PATCH', route: '/admin/tenants/{tenantId}/members/{userId}', rule: 'admin', ok: 200, prepare: async (c) => ({ path: `${t(c)}/members/${(await c.fx.member(c.A.id)).userId}`, body: { role: 'viewer' } }) },
  { method: 'DELETE', route: '/admin/tenants/{tenantId}/members/{userId}', rule: 'admin', ok: 204, prepare: async (c) => ({ path: `${t(c)}/members/${(await c.fx.member(c.A.id)).userId}` }) },
  { method: 'GET', route: '/admin/tenants/{tenantId}/invitations', rule: 'admin', ok: 200, prepare: (c) => ({ path: `${t(c)}/invitations` }) },
  { method: 'DELETE', route: '/admin/tenants/{tenantId}/invitations/{invitationId}', rule: 'admin', ok: 200, prepare: async (c) => ({ path: `${t(c)}/invitations/${(await c.fx.invitation(c.A.id)).invitation.id}` }) },
  { method: 'POST', route: '/admin/invitations/accept', rule: 'public', ok: 200, prepare: async (c) => ({ path: '/admin/invitations/accept', body: { token: (await c.fx.invitation(c.A.id)).token, password: 'a-long-test-password-42' } }) },
  // settings
  { method: 'GET', route: '/admin/tenants/{tenantId}/settings', rule: 'viewer', ok: 200, prepare: (c) => ({ path: `${t(c)}/settings` }) },
  { method: 'PATCH', route: '/admin/tenants/{tenantId}/settings', rule: 'admin', ok: 200, prepare: (c) => ({ path: `${t(c)}/settings`, body: { retentionDays: 30 } }) },
  { method: 'GET', route: '/admin/settings', rule: 'platform', ok: 200, prepare: () => ({ path: '/admin/settings' }) },
  { method: 'PUT', route: '/admin/settings/{key}', rule: 'platform', ok: 200, prepare: () => ({ path: '/admin/settings/signup.open', body: { value: false } }) },
  // api keys
  { method: 'GET', route: '/admin/tenants/{tenantId}/api-keys', rule: 'viewer', ok: 200, prepare: (c) => ({ path: `${t(c)}/api-keys` }) },
  { method: 'POST', route: '/admin/tenants/{tenantId}/api-keys', rule: 'developer', ok: 201, prepare: (c) => ({ path: `${t(c)}/api-keys`, body: { name: 'matrix' } }) },
  { method: 'GET', route: '/admin/tenants/{tenantId}/api-keys/{keyId}', rule: 'viewer', ok: 200, prepare: async (c) => ({ path: `${t(c)}/api-keys/${await devKey(c)}` }) },
  { method: 'PATCH', route: '/admin/tenants/{tenantId}/api-keys/{keyId}', rule: 'developer', ok: 200, prepare: async (c) => ({ path: `${t(c)}/api-keys/${await devKey(c)}`, body: { name: 'renamed' } }) },
  { method: 'POST', route: '/admin/tenants/{tenantId}/api-keys/{keyId}/rotate', rule: 'developer', ok: 201, prepare: async (c) => ({ path: `${t(c)}/api-keys/${await devKey(c)}/rotate`, body: { gracePeriodSeconds: 60 } }) },
  { method: 'POST', route: '/admin/tenants/{tenantId}/api-keys/{keyId}/revoke', rule: 'developer', ok: 200, prepare: async (c) => ({ path: `${t(c)}/api-keys/${await devKey(c)}/revoke` }) },
  // providers
  { method: 'GET', route: '/admin/providers', rule: 'platform', ok: 200, prepare: () => ({ path: '/admin/providers' }) },
  { method: 'POST', route: '/admin/providers', rule: 'platform', ok: 201, prepare: () => ({ path: '/admin/providers', body: { slug: `p-${uniq()}`, name: 'P', type: 'openai', baseUrl: 'https://93.184.215.14/v1' } }) },
  { method: 'GET', route: '/admin/providers/{providerId}', rule: 'platform', ok: 200, prepare: (c) => ({ path: `/admin/providers/${c.simulatorId}` }) },
  { method: 'PATCH', route: '/admin/providers/{providerId}', rule: 'platform', ok: 200, prepare: async (c) => ({ path: `/admin/providers/${(await c.fx.provider()).id}`, body: { name: 'Renamed' } }) },
  { method: 'DELETE', route: '/admin/providers/{providerId}', rule: 'platform', ok: 204, prepare: async (c) => ({ path: `/admin/providers/${(await c.fx.provider()).id}` }) },
  { method: 'POST', route: '/admin/providers/{providerId}/credentials', rule: 'platform', ok: 201, prepare: async (c) => ({ path: `/admin/providers/${(await c.fx.provider()).id}/credentials`, body: { name: 'second', secret: 'sk-another-secret-5678' } }) },
  {
    method: 'PATCH',
    route: '/admin/providers/{providerId}/credentials/{credentialId}',
    rule: 'platform',
    ok: 200,
    prepare: async (c) => {
      const p = await c.fx.provider();
      return { path: `/admin/providers/${p.id}/credentials/${p.credentials[0].id}`, body: { status: 'draining' } };
    },
  },
  {
    method: 'DELETE',
    route: '/admin/providers/{providerId}/credentials/{credentialId}',
    rule: 'platform',
    ok: 204,
    prepare: async (c) => {
      const p = await c.fx.provider();
      return { path: `/admin/providers/${p.id}/credentials/${p.credentials[0].id}` };
    },
  },
  { method: 'POST', route: '/admin/providers/{providerId}/test', rule: 'platform', ok: 200, prepare: (c) => ({ path: `/admin/providers/${c.simulatorId}/test`, body: {} }) },
  // catalogue
  { method: 'GET', route: '/admin/tenants/{tenantId}/models', rule: 'viewer', ok: 200, prepare: (c) => ({ path: `${t(c)}/models` }) },
  { method: 'GET', route: '/admin/models', rule: 'platform', ok: 200, prepare: () => ({ path: '/admin/models' }) },
  { method: 'POST', route: '/admin/models', rule: 'platform', ok: 201, prepare: () => ({ path: '/admin/models', body: { name: `m-${uniq()}` } }) },
  { method: 'GET', route: '/admin/models/{modelId}', rule: 'platform', ok: 200, prepare: () => ({ path: '/admin/models/demo-chat' }) },
  { method: 'PATCH', route: '/admin/models/{modelId}', rule: 'platform', ok: 200, prepare: async (c) => ({ path: `/admin/models/${(await c.fx.model()).id}`, body: { description: 'changed' } }) },
  { method: 'DELETE', route: '/admin/models/{modelId}', rule: 'platform', ok: 204, prepare: async (c) => ({ path: `/admin/models/${(await c.fx.model()).id}` }) },
  { method: 'POST', route: '/admin/models/{modelId}/tenants', rule: 'platform', ok: 200, prepare: async (c) => ({ path: `/admin/models/${(await c.fx.model({ visibility: 'restricted' })).id}/tenants`, body: { tenantId: c.A.id } }) },
  { method: 'DELETE', route: '/admin/models/{modelId}/tenants/{tenantId}', rule: 'platform', ok: 200, prepare: async (c) => ({ path: `/admin/models/${(await c.fx.model({ visibility: 'restricted', tenantIds: [c.A.id] })).id}/tenants/${c.A.id}` }) },
  { method: 'POST', route: '/admin/models/{modelId}/deployments', rule: 'platform', ok: 201, prepare: async (c) => ({ path: `/admin/models/${(await c.fx.model()).id}/deployments`, body: { providerId: c.simulatorId, upstreamModel: 'sim-chat' } }) },
  {
    method: 'PATCH',
    route: '/admin/models/{modelId}/deployments/{deploymentId}',
    rule: 'platform',
    ok: 200,
    prepare: async (c) => {
      const m = await c.fx.model();
      const d = await c.fx.deployment(m.id, c.simulatorId);
      return { path: `/admin/models/${m.id}/deployments/${d.id}`, body: { weight: 3 } };
    },
  },
  {
    method: 'DELETE',
    route: '/admin/models/{modelId}/deployments/{deploymentId}',
    rule: 'platform',
    ok: 204,
    prepare: async (c) => {
      const m = await c.fx.model();
      const d = await c.fx.deployment(m.id, c.simulatorId);
      return { path: `/admin/models/${m.id}/deployments/${d.id}` };
    },
  },
  {
    method: 'POST',
    route: '/admin/models/{modelId}/routes',
    rule: 'platform',
    ok: 201,
    prepare: async (c) => {
      const m = await c.fx.model();
      const d = await c.fx.deployment(m.id, c.simulatorId);
      return { path: `/admin/models/${m.id}/routes`, body: { name: 'eu', condition: { type: 'header', key: 'x-region', equals: 'eu' }, deploymentIds: [d.id] } };
    },
  },
  {
    method: 'PATCH',
    route: '/admin/models/{modelId}/routes/{routeId}',
    rule: 'platform',
    ok: 200,
    prepare: async (c) => {
      const m = await c.fx.model();
      const d = await c.fx.deployment(m.id, c.simulatorId);
      const r = await c.as.platform.post(`/admin/models/${m.id}/routes`, { name: 'eu', condition: { type: 'tag', key: 'team', equals: 'a' }, deploymentIds: [d.id] });
      return { path: `/admin/models/${m.id}/routes/${r.body.id}`, body: { enabled: false } };
    },
  },
  {
    method: 'DELETE',
    route: '/admin/models/{modelId}/routes/{routeId}',
    rule: 'platform',
    ok: 204,
    prepare: async (c) => {
      const m = await c.fx.model();
      const d = await c.fx.deployment(m.id, c.simulatorId);
      const r = await c.as.platform.post(`/admin/models/${m.id}/routes`, { name: 'eu', condition: { type: 'prompt_pattern', pattern: '^hi' }, deploymentIds: [d.id] });
      return { path: `/admin/models/${m.id}/routes/${r.body.id}` };
    },
  },
  { method: 'GET', route: '/admin/models/{modelId}/prices', rule: 'platform', ok: 200, prepare: () => ({ path: '/admin/models/demo-chat/prices' }) },
  { method: 'POST', route: '/admin/models/{modelId}/prices', rule: 'platform', ok: 201, prepare: async (c) => ({ path: `/admin/models/${(await c.fx.model()).id}/prices`, body: { inputPerMTokUsd: 1, outputPerMTokUsd: '2.5' } }) },
  {
    method: 'DELETE',
    route: '/admin/models/{modelId}/prices/{priceId}',
    rule: 'platform',
    ok: 204,
    prepare: async (c) => {
      const m = await c.fx.model();
      const p = await c.as.platform.post(`/admin/models/${m.id}/prices`, { inputPerMTokUsd: 1, outputPerMTokUsd: 2, effectiveFrom: new Date(Date.now() + 86_400_000).toISOString() });
      return { path: `/admin/models/${m.id}/prices/${p.body.id}` };
    },
  },
  // approvals and grants
  { method: 'GET', route: '/admin/tenants/{tenantId}/access-requests', rule: 'viewer', ok: 200, prepare: (c) => ({ path: `${t(c)}/access-requests` }) },
  {
    method: 'POST',
    route: '/admin/tenants/{tenantId}/access-requests',
    rule: 'developer',
    ok: 201,
    prepare: async (c) => ({ path: `${t(c)}/access-requests`, body: { type: 'model_access', model: (await c.fx.model({ requiresApproval: true })).name, reason: 'need it' } }),
  },
  {
    method: 'GET',
    route: '/admin/tenants/{tenantId}/access-requests/{requestId}',
    rule: 'viewer',
    ok: 200,
    // requesters see their own; a viewer who did not ask sees nothing
    except: { viewer: 404 },
    prepare: async (c) => ({ path: `${t(c)}/access-requests/${(await c.fx.accessRequest(c.A.id, c.as.developer)).id}` }),
  },
  { method: 'POST', route: '/admin/tenants/{tenantId}/access-requests/{requestId}/approve', rule: 'admin', ok: 200, prepare: async (c) => ({ path: `${t(c)}/access-requests/${(await c.fx.accessRequest(c.A.id, c.as.developer)).id}/approve`, body: { note: 'ok' } }) },
  { method: 'POST', route: '/admin/tenants/{tenantId}/access-requests/{requestId}/reject', rule: 'admin', ok: 200, prepare: async (c) => ({ path: `${t(c)}/access-requests/${(await c.fx.accessRequest(c.A.id, c.as.developer)).id}/reject`, body: { note: 'no' } }) },
  {
    method: 'POST',
    route: '/admin/tenants/{tenantId}/access-requests/{requestId}/cancel',
    rule: 'developer',
    ok: 200,
    // only the requester (the developer) can withdraw a request
    except: { owner: 403, admin: 403, platform: 403 },
    prepare: async (c) => ({ path: `${t(c)}/access-requests/${(await c.fx.accessRequest(c.A.id, c.as.developer)).id}/cancel` }),
  },
  { method: 'GET', route: '/admin/access-requests', rule: 'platform', ok: 200, prepare: () => ({ path: '/admin/access-requests?status=pending' }) },
  { method: 'GET', route: '/admin/tenants/{tenantId}/grants', rule: 'viewer', ok: 200, prepare: (c) => ({ path: `${t(c)}/grants` }) },
  { method: 'POST', route: '/admin/tenants/{tenantId}/grants', rule: 'admin', ok: 201, prepare: async (c) => ({ path: `${t(c)}/grants`, body: { model: (await c.fx.model({ requiresApproval: true })).name } }) },
  { method: 'POST', route: '/admin/tenants/{tenantId}/grants/{grantId}/revoke', rule: 'admin', ok: 200, prepare: async (c) => ({ path: `${t(c)}/grants/${(await c.fx.grant(c.A.id)).id}/revoke` }) },
  // prompts
  { method: 'GET', route: '/admin/tenants/{tenantId}/prompts', rule: 'viewer', ok: 200, prepare: (c) => ({ path: `${t(c)}/prompts` }) },
  { method: 'POST', route: '/admin/tenants/{tenantId}/prompts', rule: 'developer', ok: 201, prepare: (c) => ({ path: `${t(c)}/prompts`, body: { slug: `p-${uniq()}`, name: 'P', version: PROMPT_VERSION } }) },
  { method: 'GET', route: '/admin/tenants/{tenantId}/prompts/{slug}', rule: 'viewer', ok: 200, prepare: async (c) => ({ path: `${t(c)}/prompts/${await promptSlug(c)}` }) },
  { method: 'PATCH', route: '/admin/tenants/{tenantId}/prompts/{slug}', rule: 'developer', ok: 200, prepare: async (c) => ({ path: `${t(c)}/prompts/${await promptSlug(c)}`, body: { name: 'Renamed', activeVersion: 1 } }) },
  { method: 'POST', route: '/admin/tenants/{tenantId}/prompts/{slug}/versions', rule: 'developer', ok: 201, prepare: async (c) => ({ path: `${t(c)}/prompts/${await promptSlug(c)}/versions`, body: PROMPT_VERSION }) },
  // quotas
  { method: 'GET', route: '/admin/tenants/{tenantId}/quotas', rule: 'viewer', ok: 200, prepare: (c) => ({ path: `${t(c)}/quotas` }) },
  { method: 'GET', route: '/admin/tenants/{tenantId}/quotas/alerts', rule: 'viewer', ok: 200, prepare: (c) => ({ path: `${t(c)}/quotas/alerts` }) },
  { method: 'POST', route: '/admin/tenants/{tenantId}/quotas', rule: 'admin', ok: 201, prepare: async (c) => ({ path: `${t(c)}/quotas`, body: { scope: 'key', apiKeyId: await devKey(c), metric: 'requests', period: 'day', limit: 1000 } }) },
  {
    method: 'POST',
    route: '/admin/tenants/{tenantId}/quotas',
    rule: 'admin',
    ok: 201,
    // tenant-wide budgets are the platform's to set
    except: { owner: 403, admin: 403 },
    prepare: (c) => ({ path: `${t(c)}/quotas`, body: { scope: 'tenant', metric: 'cost', period: 'month', limit: '100' } }),
  },
  { method: 'PATCH', route: '/admin/tenants/{tenantId}/quotas/{quotaId}', rule: 'admin', ok: 200, prepare: async (c) => ({ path: `${t(c)}/quotas/${(await c.fx.keyQuota(c.A.id, await devKey(c))).id}`, body: { limit: 20 } }) },
  { method: 'DELETE', route: '/admin/tenants/{tenantId}/quotas/{quotaId}', rule: 'admin', ok: 204, prepare: async (c) => ({ path: `${t(c)}/quotas/${(await c.fx.keyQuota(c.A.id, await devKey(c))).id}` }) },
  // analytics, logs, audit
  { method: 'GET', route: '/admin/tenants/{tenantId}/analytics/summary', rule: 'viewer', ok: 200, prepare: (c) => ({ path: `${t(c)}/analytics/summary?groupBy=model` }) },
  { method: 'GET', route: '/admin/tenants/{tenantId}/analytics/timeseries', rule: 'viewer', ok: 200, prepare: (c) => ({ path: `${t(c)}/analytics/timeseries` }) },
  { method: 'GET', route: '/admin/analytics/summary', rule: 'platform', ok: 200, prepare: () => ({ path: '/admin/analytics/summary?groupBy=tenant' }) },
  { method: 'GET', route: '/admin/analytics/timeseries', rule: 'platform', ok: 200, prepare: () => ({ path: '/admin/analytics/timeseries' }) },
  { method: 'GET', route: '/admin/tenants/{tenantId}/request-logs', rule: 'viewer', ok: 200, prepare: (c) => ({ path: `${t(c)}/request-logs` }) },
  { method: 'GET', route: '/admin/tenants/{tenantId}/request-logs/{requestId}', rule: 'viewer', ok: 200, prepare: async (c) => ({ path: `${t(c)}/request-logs/${await c.fx.requestLog(c.A.id)}` }) },
  { method: 'GET', route: '/admin/tenants/{tenantId}/audit-log', rule: 'admin', ok: 200, prepare: (c) => ({ path: `${t(c)}/audit-log` }) },
  { method: 'GET', route: '/admin/audit-log', rule: 'platform', ok: 200, prepare: () => ({ path: '/admin/audit-log' }) },
  // user accounts
  { method: 'GET', route: '/admin/users', rule: 'platform', ok: 200, prepare: () => ({ path: '/admin/users?email=alpha' }) },
  { method: 'POST', route: '/admin/users', rule: 'platform', ok: 201, prepare: () => ({ path: '/admin/users', body: { email: `u-${uniq()}@test.local`, password: 'a-long-test-password-42' } }) },
  { method: 'PATCH', route: '/admin/users/{userId}', rule: 'platform', ok: 200, prepare: async (c) => ({ path: `/admin/users/${(await c.fx.member(c.A.id)).userId}`, body: { name: 'Renamed' } }) },
  // the signed-in user
  { method: 'GET', route: '/admin/auth/me', rule: 'signed_in', ok: 200, prepare: () => ({ path: '/admin/auth/me' }) },
];

let gw: TestGateway;
let ctx: Ctx;
beforeAll(async () => {
  const started = await startAdminGateway();
  gw = started.gw;
  const A = await tenantWithMembers(gw, started.platform, 'alpha');
  const B = await tenantWithMembers(gw, started.platform, 'beta');
  const sim = await gw.prisma.provider.findUniqueOrThrow({ where: { slug: 'simulator' } });
  ctx = {
    A: { id: A.id, slug: A.slug },
    B: { id: B.id },
    as: { platform: started.platform, owner: A.owner, admin: A.admin, developer: A.developer, viewer: A.viewer, outsider: B.admin, anonymous: started.anonymous },
    fx: new Fixtures(gw, started.platform),
    simulatorId: sim.id,
  };
});
afterAll(() => gw?.close());

describe('RBAC matrix: every admin endpoint × every caller', () => {
  it('covers every /admin endpoint in the OpenAPI document (except sign-in, refresh and sign-out)', async () => {
    const doc = (await (await fetch(`${gw.url}/docs/openapi.json`)).json()) as { paths: Record<string, object> };
    const documented: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/admin')) continue;
      for (const method of Object.keys(ops)) documented.push(`${method.toUpperCase()} ${path}`);
    }
    const inMatrix = new Set(ENDPOINTS.map((e) => `${e.method} ${e.route}`));
    const missing = documented.filter((d) => !inMatrix.has(d) && !/\/admin\/auth\/(login|refresh|logout)$/.test(d));
    expect(missing).toEqual([]);
    expect([...inMatrix].filter((e) => !documented.includes(e))).toEqual([]);
  });

  for (const e of ENDPOINTS) {
    const label = `${e.method} ${e.route}${e.except ? ' (' + JSON.stringify(e.except) + ')' : ''}`;
    it(`${label} → ${WHO.map((w) => `${w}:${expected(e, w)}`).join(' ')}`, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const who of WHO) {
        const { path, body } = await e.prepare(ctx, who);
        const res = await ctx.as[who].call(e.method, path, body ?? (e.method === 'GET' || e.method === 'DELETE' ? undefined : {}));
        got[who] = res.status;
        want[who] = expected(e, who);
        if (res.status === 403) expect(res.body.error.code).toBe('forbidden');
        if (res.status === 401) expect(res.body.error.code).toBe('unauthenticated');
      }
      expect(got).toEqual(want);
    });
  }
});
