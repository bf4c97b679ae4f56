import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support.js';
import { until } from '../data-plane/helpers.js';
import { type Caller, startAdminGateway, tenantWithMembers } from './helpers.js';

let gw: TestGateway;
let platform: Caller;
beforeAll(async () => {
  ({ gw, platform } = await startAdminGateway());
});
afterAll(() => gw?.close());

describe("a key's guardrails override through the admin API", () => {
  it('is set by tenant admins only, survives a developer’s own limit changes, and applies on the data plane', async () => {
    const t = await tenantWithMembers(gw, platform, 'guarded', { plan: 'pro' });
    const created = await t.developer.post(`/admin/tenants/${t.id}/api-keys`, { name: 'mine' });
    expect(created.status).toBe(201);
    const keyId = created.body.key.id;
    const secret: string = created.body.secret;

    const byDeveloper = await t.developer.patch(`/admin/tenants/${t.id}/api-keys/${keyId}`, { limits: { guardrails: { enabled: false } } });
    expect(byDeveloper.status).toBe(403);
    expect(byDeveloper.body.error.message).toMatch(/Only the tenant's admins/);

    const override = { enabled: true, pii: { action: 'mask', types: ['email'] } };
    const byAdmin = await t.admin.patch(`/admin/tenants/${t.id}/api-keys/${keyId}`, { limits: { guardrails: override } });
    expect(byAdmin.status).toBe(200);

    // the developer tightens their own rate limit: the admin's guardrails stay
    expect((await t.developer.patch(`/admin/tenants/${t.id}/api-keys/${keyId}`, { limits: { rpm: 100 } })).status).toBe(200);
    const stored = await gw.prisma.apiKey.findUniqueOrThrow({ where: { id: keyId } });
    expect(stored.limits).toMatchObject({ rpm: 100, guardrails: override });

    // the simulator echoes the prompt: the email must not reach it
    const client = new OpenAI({ baseURL: gw.v1, apiKey: secret, maxRetries: 0 });
    const answer = await until(async () => {
      const r = await client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'mail me at jane.doe@example.com' }] });
      const text = r.choices[0]!.message.content ?? '';
      return !text.includes('jane.doe@example.com') && text;
    }, 2_000, 'override applied');
    expect(answer).toContain('[EMAIL]');
  });
});
