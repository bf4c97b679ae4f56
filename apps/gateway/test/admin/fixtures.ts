import type { TestGateway } from '../support.js';
import type { Caller } from './helpers.js';

let seq = 0;
/** a unique suffix for names that must be unique */
export const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

async function ok<T = any>(p: Promise<{ status: number; body: any }>, what: string): Promise<T> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as T;
}

/** Creates things through the API (as the given callers) for tests to act on. */
export class Fixtures {
  constructor(
    readonly gw: TestGateway,
    readonly platform: Caller,
  ) {}

  key(tenant: string, as: Caller, body: object = {}) {
    return ok(as.post(`/admin/tenants/${tenant}/api-keys`, { name: `k-${uniq()}`, ...body }), 'create key');
  }

  async model(body: object = {}) {
    return ok(this.platform.post('/admin/models', { name: `m-${uniq()}`, ...body }), 'create model');
  }

  async provider(body: object = {}) {
    return ok(
      this.platform.post('/admin/providers', {
        slug: `p-${uniq()}`,
        name: 'Test provider',
        type: 'openai_compatible',
        baseUrl: 'https://93.184.215.14/v1',
        credentials: [{ name: 'main', secret: 'sk-test-secret-000000001234' }],
        ...body,
      }),
      'create provider',
    );
  }

  async deployment(modelId: string, providerId: string) {
    return ok(this.platform.post(`/admin/models/${modelId}/deployments`, { providerId, upstreamModel: 'upstream-x' }), 'create deployment');
  }

  async member(tenant: string, role = 'developer') {
    const r = await ok(this.platform.post(`/admin/tenants/${tenant}/members`, { email: `u-${uniq()}@test.local`, role, password: 'a-long-test-password-42' }), 'add member');
    return r.member as { userId: string; email: string };
  }

  async invitation(tenant: string) {
    return ok<{ invitation: { id: string }; token: string }>(this.platform.post(`/admin/tenants/${tenant}/members`, { email: `i-${uniq()}@test.local`, role: 'viewer' }), 'invite');
  }

  async accessRequest(tenant: string, as: Caller, policy: 'tenant_admin' | 'platform_admin' = 'tenant_admin') {
    const m = await this.model({ requiresApproval: true, approvalPolicy: policy });
    return ok(as.post(`/admin/tenants/${tenant}/access-requests`, { type: 'model_access', model: m.name, reason: 'testing' }), 'access request');
  }

  async grant(tenant: string) {
    const m = await this.model({ requiresApproval: true });
    return ok(this.platform.post(`/admin/tenants/${tenant}/grants`, { model: m.name }), 'grant');
  }

  async keyQuota(tenant: string, keyId: string) {
    return ok(this.platform.post(`/admin/tenants/${tenant}/quotas`, { scope: 'key', apiKeyId: keyId, metric: 'cost', period: 'month', limit: '10' }), 'quota');
  }

  async tenant() {
    const r = await ok(this.platform.post('/admin/tenants', { slug: `t-${uniq()}`, name: 'Scratch' }), 'tenant');
    return r.tenant as { id: string; slug: string };
  }

  async requestLog(tenantId: string) {
    const requestId = `req_${uniq()}`;
    await this.gw.prisma.requestLog.create({
      data: { requestId, tenantId, endpoint: '/v1/chat/completions', model: 'demo-chat', status: 'success', httpStatus: 200, latencyMs: 120, promptTokens: 10, completionTokens: 20, costUsd: '0.00003' },
    });
    return requestId;
  }
}
