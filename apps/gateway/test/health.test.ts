import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@conduit/contracts';
import { loadConfig } from '../src/config.js';
import { json, startTestGateway, type TestGateway } from './support.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.close());

describe('health and readiness', () => {
  it('answers /health and /ready when PostgreSQL and Redis are up', async () => {
    const health = await fetch(`${gw.url}/health`);
    expect(health.status).toBe(200);
    expect(await json(health)).toEqual({ status: 'ok' });
    const ready = await fetch(`${gw.url}/ready`);
    expect(ready.status).toBe(200);
    const body = await json(ready);
    expect(body.status).toBe('ready');
    expect(body.checks.postgres.ok).toBe(true);
    expect(body.checks.redis.ok).toBe(true);
  });

  it('puts a request id on every response, keeping the caller’s own', async () => {
    const mine = await fetch(`${gw.url}/health`, { headers: { 'x-request-id': 'my-trace-123' } });
    expect(mine.headers.get('x-request-id')).toBe('my-trace-123');
    const generated = await fetch(`${gw.url}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^req_[\w-]{18,}$/);
  });

  it('serves the OpenAPI document at /docs', async () => {
    const doc = await json(await fetch(`${gw.url}/docs/openapi.json`));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/ready', '/admin/auth/login', '/admin/auth/me']));
    const page = await fetch(`${gw.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });

  it('answers unknown routes with a 404 in the admin error shape, never a stack trace', async () => {
    const res = await fetch(`${gw.url}/admin/nothing-here`);
    expect(res.status).toBe(404);
    const body = await json(res);
    expect(body).toMatchObject({ error: { code: 'not_found' }, requestId: expect.any(String) });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('readiness when a dependency is down', () => {
  it('names Redis when Redis is unreachable', async () => {
    const down = await startTestGateway({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const res = await fetch(`${down.url}/ready`);
      expect(res.status).toBe(503);
      const body = await json(res);
      expect(body.message).toBe('redis unreachable');
      expect(body.checks.redis.ok).toBe(false);
      expect(body.checks.postgres.ok).toBe(true);
      expect((await fetch(`${down.url}/health`)).status).toBe(200);
    } finally {
      await down.close();
    }
  });

  it('names PostgreSQL when the database is unreachable', async () => {
    const down = await startTestGateway({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' });
    try {
      const res = await fetch(`${down.url}/ready`);
      expect(res.status).toBe(503);
      const body = await json(res);
      expect(body.message).toBe('postgres unreachable');
      expect(body.checks.postgres.ok).toBe(false);
      expect(body.checks.redis.ok).toBe(true);
    } finally {
      await down.close();
    }
  });
});

describe('configuration', () => {
  it('stops the boot with a message naming each bad variable, without echoing secrets', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', CONDUIT_JWT_SECRET: 'short-secret', REDIS_URL: 'http://x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toContain('PORT');
    expect(message).toContain('(got "eighty")');
    expect(message).toContain('CONDUIT_JWT_SECRET: must be at least 32 characters');
    expect(message).not.toContain('short-secret');
    expect(message).toContain('CONDUIT_ENCRYPTION_KEYS: is required');
    expect(message).toContain('REDIS_URL: must be a URL starting with redis://');
  });
});
