import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, json, post, startTestGateway, type TestGateway } from './support.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ LOGIN_MAX_FAILURES: '4', LOGIN_LOCK_SECONDS: '60' });
});
afterAll(() => gw?.close());

const login = (email: string, password: string) => post(`${gw.url}/admin/auth/login`, { email, password });
const me = (token: string) => fetch(`${gw.url}/admin/auth/me`, { headers: { authorization: `Bearer ${token}` } });

describe('admin sign-in', () => {
  it('signs the admin in and returns who they are', async () => {
    const res = await login(ADMIN.email.toUpperCase(), ADMIN.password);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { email: ADMIN.email, platformRole: 'admin' } });
    expect(body.user.memberships).toEqual([expect.objectContaining({ tenantSlug: 'demo', role: 'owner' })]);
    const who = await me(body.accessToken);
    expect(who.status).toBe(200);
    expect(await json(who)).toMatchObject({ email: ADMIN.email, platformRole: 'admin' });
    const audit = await gw.prisma.auditLog.findFirst({ where: { action: 'auth.login' } });
    expect(audit?.ip).toBeTruthy();
  });

  it('rejects a wrong password and an unknown email alike', async () => {
    for (const res of [await login(gw.seeded.developer.email, 'nope'), await login('nobody@test.local', 'nope')]) {
      expect(res.status).toBe(401);
      expect(await json(res)).toMatchObject({ error: { code: 'invalid_credentials', message: 'The email or password is not correct.' } });
    }
  });

  it('says which fields are wrong', async () => {
    const res = await post(`${gw.url}/admin/auth/login`, { email: 'not-an-email' });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['email', 'password']);
    const bad = await fetch(`${gw.url}/admin/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe('validation_failed');
  });

  it('rejects requests without a valid token', async () => {
    const none = await fetch(`${gw.url}/admin/auth/me`);
    expect(none.status).toBe(401);
    expect((await json(none)).error.code).toBe('unauthenticated');
    expect((await me('not.a.jwt')).status).toBe(401);
  });

  it('rotates refresh tokens, and a replayed refresh token ends the session', async () => {
    const first = await json(await login(ADMIN.email, ADMIN.password));
    const r1 = await post(`${gw.url}/admin/auth/refresh`, { refreshToken: first.refreshToken });
    expect(r1.status).toBe(200);
    const second = await json(r1);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await me(second.accessToken)).status).toBe(200);

    // the first token was used already: replaying it revokes the whole family
    const replay = await post(`${gw.url}/admin/auth/refresh`, { refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    expect((await json(replay)).error.code).toBe('invalid_refresh_token');
    expect((await post(`${gw.url}/admin/auth/refresh`, { refreshToken: second.refreshToken })).status).toBe(401);
    expect((await me(second.accessToken)).status).toBe(401);
  });

  it('signs out: the refresh token and the access token stop working', async () => {
    const s = await json(await login(ADMIN.email, ADMIN.password));
    const out = await fetch(`${gw.url}/admin/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: s.refreshToken }),
    });
    expect(out.status).toBe(204);
    expect((await me(s.accessToken)).status).toBe(401);
    expect((await post(`${gw.url}/admin/auth/refresh`, { refreshToken: s.refreshToken })).status).toBe(401);
  });

  it('slows down and then locks an account after repeated failures', async () => {
    const email = gw.seeded.developer.email;
    await gw.prisma.user.update({ where: { email }, data: { failedLoginCount: 0, lockedUntil: null } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(email, 'wrong-password')).status);
    expect(statuses).toEqual([401, 401, 401, 423]);
    const locked = await login(email, 'wrong-password');
    expect(locked.status).toBe(423);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await json(locked);
    expect(body.error.code).toBe('account_locked');
    expect(body.error.message).toMatch(/locked until/);
    expect(await gw.prisma.auditLog.count({ where: { action: 'auth.account_locked' } })).toBe(1);
  });
});
