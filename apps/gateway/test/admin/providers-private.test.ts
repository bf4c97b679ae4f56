/**
 * Provider tests on a gateway that allows private upstreams (CONDUIT_ALLOW_PRIVATE_UPSTREAMS=true).
 * A file of its own: passport strategies are process-global, so one gateway per test file.
 */
import { startSimulator, type SimulatorHandle } from '@conduit/providers/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support.js';
import { type Caller, startAdminGateway } from './helpers.js';

let open: TestGateway;
let admin: Caller;
let sim: SimulatorHandle;
beforeAll(async () => {
  ({ gw: open, platform: admin } = await startAdminGateway({ CONDUIT_ALLOW_PRIVATE_UPSTREAMS: 'true' }));
  sim = await startSimulator({ provider: 'openai' });
});
afterAll(async () => {
  await sim?.close();
  await open?.close();
});

describe('providers on a platform that allows private upstreams', () => {
  it('accepts a loopback base URL', async () => {
    const res = await admin.post('/admin/providers', { slug: 'local-vllm', name: 'vLLM', type: 'openai_compatible', baseUrl: 'http://127.0.0.1:8000/v1' });
    expect(res.status).toBe(201);
  });

  it("calls the provider's model listing with the credential and reports what it said", async () => {
    const p = await admin.post('/admin/providers', {
      slug: 'sim-openai',
      name: 'Simulated OpenAI',
      type: 'openai',
      baseUrl: sim.baseUrl,
      credentials: [{ name: 'main', secret: 'sk-sim-secret-0001' }],
    });
    expect(p.status).toBe(201);
    sim.reset();
    const res = await admin.post(`/admin/providers/${p.body.id}/test`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, status: 200, message: 'connected', credentialId: p.body.credentials[0].id, url: `${sim.baseUrl}/models` });
    expect(res.body.models.length).toBeGreaterThan(0);
    expect(sim.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/models', headers: expect.objectContaining({ authorization: 'Bearer sk-sim-secret-0001' }) });

    // without a credential the upstream refuses, and the report says so
    const bare = await admin.post('/admin/providers', { slug: 'sim-bare', name: 'No key', type: 'openai', baseUrl: sim.baseUrl });
    const refused = await admin.post(`/admin/providers/${bare.body.id}/test`, {});
    expect(refused.body).toMatchObject({ ok: false, status: 401, credentialId: null });
    expect(refused.body.message.length).toBeGreaterThan(0);

    // nothing listening: a connection error, reported, not thrown
    const dead = await admin.post('/admin/providers', { slug: 'dead', name: 'Dead', type: 'openai', baseUrl: 'http://127.0.0.1:1/v1', credentials: [{ secret: 'sk-x-000000000000' }] });
    const down = await admin.post(`/admin/providers/${dead.body.id}/test`, { timeoutMs: 2000 });
    expect(down.body).toMatchObject({ ok: false, status: null });
    expect(down.body.message).toMatch(/ECONNREFUSED/);
    expect((await admin.get(`/admin/audit-log?action=provider.test_connection`)).body.items.length).toBe(3);
  });
});
