import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestGateway, type TestGateway } from '../support.js';
import { createKey, DEMO, publish, until } from './helpers.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.close());

const ask = (apiKey: string, model = 'demo-chat') =>
  new OpenAI({ baseURL: gw.v1, apiKey, maxRetries: 0 }).chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('API key authentication', () => {
  it('gives missing, unknown, expired and pending keys distinct codes', async () => {
    const none = await fetch(`${gw.v1}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    expect((await json(none)).error).toMatchObject({ code: 'missing_api_key', type: 'authentication_error' });
    await expect(ask('cdt_not_a_real_key_000000000000000')).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    const expired = await createKey(gw, { expiresAt: new Date(Date.now() - 1000) });
    await expect(ask(expired.secret)).rejects.toMatchObject({ status: 401, code: 'api_key_expired' });
    const pending = await createKey(gw, { status: 'pending' });
    await expect(ask(pending.secret)).rejects.toMatchObject({ status: 403, code: 'api_key_pending_approval' });
  });

  it('accepts the key as x-api-key too (Anthropic clients)', async () => {
    const res = await fetch(`${gw.v1}/models`, { headers: { 'x-api-key': DEMO } });
    expect(res.status).toBe(200);
  });

  it('stops a revoked key within a second, on a key the gateway had cached', async () => {
    const { secret, key } = await createKey(gw);
    await ask(secret); // cached now
    await gw.prisma.apiKey.update({ where: { id: key.id }, data: { status: 'revoked', revokedAt: new Date() } });
    const t0 = Date.now();
    await publish(gw, { kind: 'api_key', keyId: key.id, tenantId: key.tenantId });
    await until(async () => {
      try {
        await ask(secret);
        return false;
      } catch (e) {
        return (e as { code?: string }).code === 'api_key_revoked';
      }
    }, 1_000, 'revocation');
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('stops every key of a suspended tenant', async () => {
    const { secret } = await createKey(gw);
    await ask(secret);
    await gw.prisma.tenant.update({ where: { id: gw.seeded.tenant.id }, data: { status: 'suspended' } });
    await publish(gw, { kind: 'tenant', tenantId: gw.seeded.tenant.id });
    try {
      await until(async () => ask(secret).then(() => false, (e) => e.code === 'tenant_suspended'), 1_000, 'suspension');
    } finally {
      await gw.prisma.tenant.update({ where: { id: gw.seeded.tenant.id }, data: { status: 'active' } });
      await publish(gw, { kind: 'tenant', tenantId: gw.seeded.tenant.id });
    }
    await until(async () => ask(secret).then(() => true, () => false), 1_000, 'reactivation');
  });

  it('keeps a key restricted to its allowed models', async () => {
    const { secret } = await createKey(gw, { allowedModels: ['demo-chat-mini'] });
    await expect(ask(secret, 'demo-chat-mini')).resolves.toBeTruthy();
    await expect(ask(secret, 'demo-chat')).rejects.toMatchObject({ status: 403, code: 'model_not_allowed' });
    const ids = [];
    for await (const m of new OpenAI({ baseURL: gw.v1, apiKey: secret }).models.list()) ids.push(m.id);
    expect(ids).toEqual(['demo-chat-mini']);
  });

  it('refuses an approval-required model until a grant exists', async () => {
    const err = await ask(DEMO, 'demo-reasoning').catch((e) => e);
    expect(err).toMatchObject({ status: 403, code: 'model_access_requires_approval' });
    expect(err.message).toMatch(/request access/i);
    const model = await gw.prisma.model.findUniqueOrThrow({ where: { name: 'demo-reasoning' } });
    await gw.prisma.modelGrant.create({ data: { tenantId: gw.seeded.tenant.id, modelId: model.id } });
    await publish(gw, { kind: 'grant', tenantId: gw.seeded.tenant.id, modelId: model.id });
    const ok = await until(async () => ask(DEMO, 'demo-reasoning').catch(() => null), 1_000, 'grant');
    expect(ok.model).toBe('demo-reasoning');
  });
});
