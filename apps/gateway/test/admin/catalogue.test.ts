import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support.js';
import { type Caller, listenForChanges, startAdminGateway, tenantWithMembers } from './helpers.js';

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

describe('catalogue', () => {
  it('models, deployments, routes and prices: every change is published for the replicas and audited', async () => {
    const sim = await gw.prisma.provider.findUniqueOrThrow({ where: { slug: 'simulator' } });
    const published = async (step: () => Promise<{ status: number; body: any }>, status: number) => {
      changes.clear();
      const res = await step();
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      await changes.waitFor((c) => c.kind === 'catalogue');
      return res.body;
    };
    const model = await published(
      () => platform.post('/admin/models', { name: 'acme-large', displayName: 'Acme Large', routingStrategy: 'weighted', requiresApproval: true, fallbackOn: ['timeout', 'rate_limit'] }),
      201,
    );
    expect(model).toMatchObject({ name: 'acme-large', visibility: 'public', approvalPolicy: 'tenant_admin', fallbackOn: ['timeout', 'rate_limit'], deployments: [] });
    const d1 = await published(() => platform.post(`/admin/models/${model.id}/deployments`, { providerId: sim.id, upstreamModel: 'sim-chat', weight: 3, priority: 0, timeoutMs: 20_000 }), 201);
    const d2 = await published(() => platform.post(`/admin/models/${model.id}/deployments`, { providerId: sim.id, upstreamModel: 'sim-chat-mini', weight: 1, priority: 1 }), 201);
    expect(d1).toMatchObject({ providerSlug: 'simulator', weight: 3, timeoutMs: 20_000 });
    await published(() => platform.patch(`/admin/models/${model.id}/deployments/${d2.id}`, { enabled: false }), 200);
    const rule = await published(
      () => platform.post(`/admin/models/${model.id}/routes`, { name: 'eu', position: 1, condition: { type: 'header', key: 'x-region', equals: 'eu' }, deploymentIds: [d2.id, d1.id], strategy: 'priority' }),
      201,
    );
    expect(rule.deploymentIds).toEqual([d2.id, d1.id]);
    const p1 = await published(() => platform.post(`/admin/models/acme-large/prices`, { inputPerMTokUsd: 1.25, outputPerMTokUsd: '5', effectiveFrom: '2025-01-01T00:00:00Z' }), 201);
    const p2 = await published(() => platform.post(`/admin/models/acme-large/prices`, { inputPerMTokUsd: '1', outputPerMTokUsd: '4', effectiveFrom: new Date(Date.now() + 86_400_000).toISOString() }), 201);
    expect(p1).toMatchObject({ inputPerMTokUsd: '1.25', outputPerMTokUsd: '5', cachedInputPerMTokUsd: '0' });
    const full = (await platform.get(`/admin/models/${model.id}`)).body;
    expect(full.deployments.map((d: { id: string; enabled: boolean }) => [d.id, d.enabled])).toEqual([
      [d1.id, true],
      [d2.id, false],
    ]);
    expect(full.prices.map((p: { id: string }) => p.id)).toEqual([p2.id, p1.id]);
    expect((await platform.del(`/admin/models/${model.id}/prices/${p1.id}`)).status).toBe(409);
    await published(() => platform.del(`/admin/models/${model.id}/prices/${p2.id}`).then((r) => ({ ...r, status: r.status })), 204);
    // removing a deployment drops it from the rules that name it
    await published(() => platform.del(`/admin/models/${model.id}/deployments/${d2.id}`), 204);
    expect((await platform.get(`/admin/models/${model.id}`)).body.routeRules[0].deploymentIds).toEqual([d1.id]);

    const audit = await platform.get('/admin/audit-log?limit=200');
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['model.create', 'deployment.create', 'deployment.update', 'deployment.delete', 'route_rule.create', 'price.create', 'price.delete']));
    const upd = audit.body.items.find((e: { action: string }) => e.action === 'deployment.update');
    expect(upd.details.before.enabled).toBe(true);
    expect(upd.details.after.enabled).toBe(false);
  });

  it('validates references and shapes with a message per field', async () => {
    const m = (await platform.post('/admin/models', { name: 'validate-me' })).body;
    const other = (await platform.post('/admin/models', { name: 'other-model' })).body;
    const sim = await gw.prisma.provider.findUniqueOrThrow({ where: { slug: 'simulator' } });
    const foreign = (await platform.post(`/admin/models/${other.id}/deployments`, { providerId: sim.id, upstreamModel: 'x' })).body;
    const r1 = await platform.post(`/admin/models/${m.id}/routes`, { name: 'r', condition: { type: 'header', key: 'k', equals: 'v' }, deploymentIds: [foreign.id] });
    expect(r1.status).toBe(400);
    expect(r1.body.error.details.fields).toEqual([{ field: 'deploymentIds.0', message: 'is not a deployment of this model' }]);
    const r2 = await platform.post(`/admin/models/${m.id}/routes`, { name: 'r', condition: { type: 'prompt_pattern', pattern: '(' }, deploymentIds: ['x'] });
    expect(r2.status).toBe(400);
    expect(r2.body.error.details.fields[0].field).toBe('condition.pattern');
    const r3 = await platform.post(`/admin/models/${m.id}/deployments`, { providerId: 'nope', upstreamModel: 'x' });
    expect(r3.body.error.details.fields).toEqual([{ field: 'providerId', message: 'is not a provider' }]);
    const dup = await platform.post('/admin/models', { name: 'validate-me' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
    expect((await platform.get('/admin/models/does-not-exist')).status).toBe(404);
  });

  it('restricted models are visible only to the tenants they are shown to', async () => {
    const A = await tenantWithMembers(gw, platform, 'cat-a');
    const m = (await platform.post('/admin/models', { name: 'private-preview', visibility: 'restricted' })).body;
    const names = async () => (await A.viewer.get(`/admin/tenants/${A.id}/models`)).body.map((x: { name: string }) => x.name);
    expect(await names()).not.toContain('private-preview');
    expect((await A.developer.post(`/admin/tenants/${A.id}/api-keys`, { name: 'k', allowedModels: ['private-preview'] })).status).toBe(400);
    expect((await platform.post(`/admin/models/${m.id}/tenants`, { tenantId: A.id })).body.tenantIds).toEqual([A.id]);
    expect(await names()).toContain('private-preview');
    expect((await A.developer.post(`/admin/tenants/${A.id}/api-keys`, { name: 'k', allowedModels: ['private-preview'] })).status).toBe(201);
    await platform.del(`/admin/models/${m.id}/tenants/${A.id}`);
    expect(await names()).not.toContain('private-preview');
  });
});
