import { SecretBox } from '@conduit/db';
import { startSimulator, type SimulatorHandle } from '@conduit/providers/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENCRYPTION_KEYS, type TestGateway } from '../support.js';
import { type Caller, listenForChanges, startAdminGateway } from './helpers.js';
import { uniq } from './fixtures.js';

let gw: TestGateway;
let platform: Caller;
let sim: SimulatorHandle;
beforeAll(async () => {
  ({ gw, platform } = await startAdminGateway());
  sim = await startSimulator({ provider: 'openai' });
});
afterAll(async () => {
  await sim?.close();
  await gw?.close();
});

const provider = (baseUrl: string, extra: object = {}) =>
  platform.post('/admin/providers', { slug: `p-${uniq()}`, name: 'Upstream', type: 'openai_compatible', baseUrl, ...extra });

describe('providers: base URL SSRF guard', () => {
  it('refuses loopback, link-local (cloud metadata), private, CGNAT and unspecified addresses, and names resolving to them', async () => {
    for (const url of [
      'http://127.0.0.1:8080/v1',
      'http://localhost:11434',
      'http://169.254.169.254/latest/meta-data',
      'http://10.1.2.3/v1',
      'http://172.20.0.5/v1',
      'http://192.168.1.10/v1',
      'http://100.64.0.1/v1',
      'http://0.0.0.0/v1',
      'http://[::1]:8000/v1',
      'http://[fe80::1]/v1',
      'http://[fd00::1]/v1',
      'http://[::ffff:127.0.0.1]/v1',
    ]) {
      const res = await provider(url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.fields[0].field).toBe('baseUrl');
      expect(res.body.error.details.fields[0].message).toMatch(/loopback, link-local or private/);
    }
    expect(await gw.prisma.provider.count({ where: { source: 'admin' } })).toBe(0);
    // a public address is fine; so is changing it to another public one, but not to a private one
    const ok = await provider('https://93.184.215.14/v1');
    expect(ok.status).toBe(201);
    const moved = await platform.patch(`/admin/providers/${ok.body.id}`, { baseUrl: 'http://169.254.169.254' });
    expect(moved.status).toBe(400);
    const bad = await provider('ftp://example.com');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0]).toMatchObject({ field: 'baseUrl', message: 'must be an http(s) URL without credentials' });
  });
});

describe('providers: credentials', () => {
  it('encrypts credentials with AES-256-GCM and a key id, never returns them, and rotates without downtime', async () => {
    const changes = await listenForChanges(gw);
    try {
      const secret = 'sk-live-very-secret-value-9876';
      const created = await provider('https://93.184.215.14/v1', { credentials: [{ name: 'old', secret, weight: 1 }] });
      expect(created.status).toBe(201);
      await changes.waitFor((c) => c.kind === 'catalogue');
      const id = created.body.id;
      expect(created.body.credentials).toEqual([
        expect.objectContaining({ name: 'old', hint: '9876', status: 'active', keyId: 'k1', weight: 1 }),
      ]);
      const row = await gw.prisma.providerCredential.findFirstOrThrow({ where: { providerId: id } });
      expect(Buffer.from(row.ciphertext).toString('utf8')).not.toContain(secret);
      expect(new SecretBox(TEST_ENCRYPTION_KEYS).open(row, id)).toBe(secret);

      // rotation: add the new credential, drain the old, then disable it
      const next = await platform.post(`/admin/providers/${id}/credentials`, { name: 'new', secret: 'sk-live-the-next-one-5555', weight: 3 });
      expect(next.status).toBe(201);
      changes.clear();
      const drained = await platform.patch(`/admin/providers/${id}/credentials/${row.id}`, { status: 'draining' });
      expect(drained.body).toMatchObject({ status: 'draining', hint: '9876' });
      await changes.waitFor((c) => c.kind === 'catalogue');
      const listed = await platform.get(`/admin/providers/${id}`);
      expect(listed.body.credentials.map((c: { name: string; status: string; weight: number }) => [c.name, c.status, c.weight])).toEqual([
        ['old', 'draining', 1],
        ['new', 'active', 3],
      ]);
      expect((await platform.patch(`/admin/providers/${id}/credentials/${row.id}`, { status: 'disabled' })).body.status).toBe('disabled');

      // nothing anywhere shows a secret: not the API, not the audit log
      const everything = JSON.stringify([(await platform.get('/admin/providers')).body, (await platform.get('/admin/audit-log?limit=200')).body]);
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain('sk-live-the-next-one-5555');
      expect(everything).not.toContain(Buffer.from(row.ciphertext).toString('base64'));
      const audit = await platform.get(`/admin/audit-log?action=provider.*&limit=200`);
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining(['provider.create', 'provider.credential.create', 'provider.credential.update']),
      );
    } finally {
      await changes.close();
    }
  });

  it('refuses to delete a provider that still serves deployments', async () => {
    const sim = await gw.prisma.provider.findUniqueOrThrow({ where: { slug: 'simulator' } });
    const res = await platform.del(`/admin/providers/${sim.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
  });
});

describe('providers: test connection', () => {
  it('re-checks the address when it calls (a name that now resolves to loopback is refused), but trusts providers from the environment', async () => {
    // as if DNS had changed after the provider was saved: the stored URL now names a loopback address
    const p = await provider('https://93.184.215.14/v1', { credentials: [{ secret: 'sk-rebind-00000000' }] });
    await gw.prisma.provider.update({ where: { id: p.body.id }, data: { baseUrl: `http://localhost:${sim.port}/v1` } });
    sim.reset();
    const res = await platform.post(`/admin/providers/${p.body.id}/test`, { timeoutMs: 2000 });
    expect(res.body).toMatchObject({ ok: false, status: null });
    expect(res.body.message).toMatch(/non-public address/);
    expect(sim.requests).toHaveLength(0);

    await gw.prisma.provider.update({ where: { id: p.body.id }, data: { source: 'env' } });
    const trusted = await platform.post(`/admin/providers/${p.body.id}/test`, {});
    expect(trusted.body).toMatchObject({ ok: true, status: 200 });
    expect(sim.requests).toHaveLength(1);
  });
});
