import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KEY, type TestGateway } from '../support.js';
import { until } from '../data-plane/helpers.js';
import { type Caller, startAdminGateway } from './helpers.js';

let gw: TestGateway;
let platform: Caller;
beforeAll(async () => {
  ({ gw, platform } = await startAdminGateway());
});
afterAll(() => gw?.close());

describe('quota usage and alerts through the admin API', () => {
  it('shows what the current period has used, as the gateway enforces it, and when it resets', async () => {
    const t = gw.seeded.tenant.id;
    const created = await platform.post(`/admin/tenants/${t}/quotas`, { scope: 'tenant', metric: 'cost', period: 'month', limit: '5' });
    expect(created.status).toBe(201);
    const client = new OpenAI({ baseURL: gw.v1, apiKey: DEMO_KEY, maxRetries: 0 });
    await until(async () => {
      // the quota reaches the data plane through pub/sub
      const r = await client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'spend a little' }], max_tokens: 20 }).withResponse();
      return Number(r.response.headers.get('x-conduit-cost-usd')) > 0;
    });
    const costs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: `more ${i}` }], max_tokens: 20 }).withResponse();
      costs.push(Number(r.response.headers.get('x-conduit-cost-usd')));
    }
    const listed = await until(async () => {
      const l = await platform.get(`/admin/tenants/${t}/quotas`);
      const q = l.body.find((x: { id: string }) => x.id === created.body.id);
      return Number(q.used) >= costs.reduce((a, b) => a + b, 0) && q;
    }, 2_000, 'usage settled');
    expect(listed.resetsAt).toMatch(/^\d{4}-\d{2}-01T00:00:00.000Z$/);
    expect(Number(listed.used)).toBeLessThan(5);
  });

  it('lists the thresholds the worker raised, newest first', async () => {
    const t = gw.seeded.tenant.id;
    const quota = await gw.prisma.quota.findFirstOrThrow({ where: { tenantId: t } });
    await gw.prisma.budgetAlert.create({ data: { quotaId: quota.id, tenantId: t, periodStart: new Date('2026-11-01'), threshold: 80, value: '4.1' } });
    const res = await platform.get(`/admin/tenants/${t}/quotas/alerts`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      expect.objectContaining({ quotaId: quota.id, threshold: 80, value: '4.1', limit: '5', metric: 'cost', period: 'month', deliveredAt: null }),
    ]);
  });
});
