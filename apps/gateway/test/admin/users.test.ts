import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type TestGateway } from '../support.js';
import { type Caller, PASSWORD, signIn, startAdminGateway } from './helpers.js';

let gw: TestGateway;
let platform: Caller;
beforeAll(async () => {
  ({ gw, platform } = await startAdminGateway({ LOGIN_MAX_FAILURES: '2', LOGIN_LOCK_SECONDS: '600' }));
});
afterAll(() => gw?.close());

const login = (email: string, password: string) =>
  fetch(`${gw.url}/admin/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

describe('user accounts (platform admin)', () => {
  it('creates a user, lifts a sign-in lock, resets a password, and disabling signs the user out at once', async () => {
    const created = await platform.post('/admin/users', { email: 'Ops@Example.test', password: PASSWORD, name: 'Ops' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'ops@example.test', platformRole: 'user', status: 'active', memberships: [] });
    expect((await platform.post('/admin/users', { email: 'ops@example.test', password: PASSWORD })).status).toBe(409);
    const id = created.body.id;

    for (let i = 0; i < 2; i++) await login('ops@example.test', 'wrong-password');
    expect((await login('ops@example.test', PASSWORD)).status).toBe(423);
    expect((await platform.get('/admin/users?email=ops@')).body[0].lockedUntil).toEqual(expect.any(String));
    expect((await platform.patch(`/admin/users/${id}`, { unlock: true })).body.lockedUntil).toBeNull();
    const ops = await signIn(gw, 'ops@example.test', PASSWORD);
    expect((await ops.get('/admin/auth/me')).status).toBe(200);

    const disabled = await platform.patch(`/admin/users/${id}`, { status: 'disabled' });
    expect(disabled.body.status).toBe('disabled');
    expect((await ops.get('/admin/auth/me')).status).toBe(401);
    expect((await json(await login('ops@example.test', PASSWORD))).error.code).toBe('account_disabled');

    await platform.patch(`/admin/users/${id}`, { status: 'active', password: 'another-long-password-7' });
    expect((await login('ops@example.test', PASSWORD)).status).toBe(401);
    expect((await login('ops@example.test', 'another-long-password-7')).status).toBe(200);

    // no platform admin can lock themselves out
    expect((await platform.patch(`/admin/users/${platform.userId}`, { platformRole: 'user' })).status).toBe(409);
    const audit = await platform.get(`/admin/audit-log?targetId=${id}&action=user.*`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['user.update', 'user.update', 'user.update', 'user.create']);
    expect(JSON.stringify(audit.body)).not.toContain('another-long-password-7');
  });
});
