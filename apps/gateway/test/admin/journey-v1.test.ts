/**
 * The check, through the public APIs only: keys made in the admin API are
 * honoured by the data plane (/v1) — approval, rotation grace, revocation, suspension.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support.js';
import { type Caller, startAdminGateway, tenantWithMembers } from './helpers.js';

let gw: TestGateway;
let platform: Caller;
beforeAll(async () => {
  ({ gw, platform } = await startAdminGateway());
});
afterAll(() => gw?.close());

const ask = (apiKey: string, model = 'demo-chat') =>
  new OpenAI({ baseURL: `${gw.url}/v1`, apiKey, maxRetries: 0 }).chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }] });

/** Retries until the assertion holds (cross-replica changes apply within a second). */
async function within(ms: number, check: () => Promise<void>) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe('admin API → data plane', () => {
  it('a developer’s key works, is refused an approval model until approved, stops after the rotation grace, on revocation and on suspension', async () => {
    const T = await tenantWithMembers(gw, platform, 'live');
    const created = await T.developer.post(`/admin/tenants/${T.id}/api-keys`, { name: 'app' });
    const secret = created.body.secret as string;
    const hi = await ask(secret);
    expect(hi.choices[0]!.message.content).toBeTruthy();

    await expect(ask(secret, 'demo-reasoning')).rejects.toMatchObject({ status: 403, code: 'model_access_requires_approval' });
    const r = await T.developer.post(`/admin/tenants/${T.id}/access-requests`, { type: 'model_access', model: 'demo-reasoning', reason: 'try it' });
    await expect(ask(secret, 'demo-reasoning')).rejects.toMatchObject({ status: 403 });
    await T.admin.post(`/admin/tenants/${T.id}/access-requests/${r.body.id}/approve`, { note: 'go' });
    await within(1000, async () => {
      expect((await ask(secret, 'demo-reasoning')).choices.length).toBe(1);
    });

    // rotation: both secrets work during the grace period, then only the new one
    const rotated = await T.developer.post(`/admin/tenants/${T.id}/api-keys/${created.body.key.id}/rotate`, { gracePeriodSeconds: 1 });
    const fresh = rotated.body.secret as string;
    await ask(secret);
    await ask(fresh, 'demo-reasoning');
    await new Promise((res) => setTimeout(res, Math.max(0, new Date(rotated.body.previous.expiresAt).getTime() - Date.now() + 50)));
    await expect(ask(secret)).rejects.toMatchObject({ status: 401, code: 'api_key_expired' });
    await ask(fresh);

    // suspension and revocation apply on the next request
    await platform.post(`/admin/tenants/${T.id}/suspend`, {});
    await within(1000, async () => {
      await expect(ask(fresh)).rejects.toMatchObject({ status: 403, code: 'tenant_suspended' });
    });
    await platform.post(`/admin/tenants/${T.id}/resume`);
    await within(1000, async () => {
      await ask(fresh);
    });
    await T.developer.post(`/admin/tenants/${T.id}/api-keys/${rotated.body.key.id}/revoke`);
    await within(1000, async () => {
      await expect(ask(fresh)).rejects.toMatchObject({ status: 401, code: 'api_key_revoked' });
    });
  });
});
