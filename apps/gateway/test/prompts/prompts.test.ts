import { startSimulator, type SimulatorHandle } from '@conduit/providers/simulators';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support.js';
import { type Caller, startAdminGateway, tenantWithMembers } from '../admin/helpers.js';
import { addModel, until, usageEvents } from '../data-plane/helpers.js';

let gw: TestGateway;
let sim: SimulatorHandle;
let tenant: Awaited<ReturnType<typeof tenantWithMembers>>;
let other: Awaited<ReturnType<typeof tenantWithMembers>>;
let client: OpenAI;
let otherClient: OpenAI;

async function keyFor(dev: Caller, tenantId: string) {
  const r = await dev.post(`/admin/tenants/${tenantId}/api-keys`, { name: 'prompts' });
  expect(r.status).toBe(201);
  return new OpenAI({ baseURL: gw.v1, apiKey: r.body.secret as string, maxRetries: 0 });
}

const SENTIMENT = {
  slug: 'sentiment',
  name: 'Sentiment',
  version: {
    model: 'prompt-model',
    messages: [
      { role: 'system', content: 'Classify the sentiment of the text as positive, negative or neutral.' },
      { role: 'user', content: 'Text: {{text}} (language: {{lang}})' },
    ],
    parameters: { temperature: 0, max_tokens: 50 },
    inputSchema: { type: 'object', properties: { text: { type: 'string', minLength: 1 }, lang: { type: 'string', enum: ['en', 'de'] } }, required: ['text', 'lang'], additionalProperties: false },
  },
};

beforeAll(async () => {
  const started = await startAdminGateway({ USAGE_FLUSH_MS: '5' });
  gw = started.gw;
  sim = await startSimulator({ provider: 'openai' });
  await addModel(gw, 'prompt-model', [sim], { maxRetries: 0 });
  tenant = await tenantWithMembers(gw, started.platform, 'prompts-a');
  other = await tenantWithMembers(gw, started.platform, 'prompts-b');
  client = await keyFor(tenant.developer, tenant.id);
  otherClient = await keyFor(other.developer, other.id);
});
afterAll(async () => {
  await gw?.close();
  await sim?.close();
});
beforeEach(() => sim.reset());

const run = (c: OpenAI, path: string, body: unknown) => c.post(path, { body }).withResponse() as Promise<{ data: OpenAI.ChatCompletion; response: Response }>;

describe('prompt templates', () => {
  it('are managed through the admin API: developers write, viewers read, versions are numbered, inputs validated', async () => {
    expect((await tenant.viewer.post(`/admin/tenants/${tenant.id}/prompts`, SENTIMENT)).status).toBe(403);
    const created = await tenant.developer.post(`/admin/tenants/${tenant.id}/prompts`, SENTIMENT);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: 'sentiment', activeVersion: 1, latestVersion: 1, versions: [{ version: 1, variables: ['text', 'lang'], model: 'prompt-model' }] });
    expect((await tenant.developer.post(`/admin/tenants/${tenant.id}/prompts`, SENTIMENT)).status).toBe(409);
    const bad = await tenant.developer.post(`/admin/tenants/${tenant.id}/prompts/sentiment/versions`, { ...SENTIMENT.version, inputSchema: { type: 'no-such-type' } });
    expect(bad.status).toBe(400);
    const v2 = await tenant.developer.post(`/admin/tenants/${tenant.id}/prompts/sentiment/versions`, {
      ...SENTIMENT.version,
      messages: [{ role: 'user', content: 'v2 sentiment of: {{text}} [{{lang}}]' }],
      note: 'shorter',
    });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, variables: ['text', 'lang'], note: 'shorter' });
    const read = await tenant.viewer.get(`/admin/tenants/${tenant.id}/prompts/sentiment`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ activeVersion: 1, latestVersion: 2 }); // a new version is not activated unless asked
    expect(read.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await tenant.viewer.get(`/admin/tenants/${tenant.id}/prompts`)).body).toEqual([expect.objectContaining({ slug: 'sentiment', latestVersion: 2 })]);
    expect((await tenant.developer.patch(`/admin/tenants/${tenant.id}/prompts/sentiment`, { activeVersion: 7 })).status).toBe(400);
    // the other tenant sees none of it
    expect((await other.developer.get(`/admin/tenants/${tenant.id}/prompts/sentiment`)).status).toBe(403);
    expect((await other.developer.get(`/admin/tenants/${other.id}/prompts/sentiment`)).status).toBe(404);
    const audit = await gw.prisma.auditLog.findMany({ where: { tenantId: tenant.id, action: { startsWith: 'prompt.' } }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['prompt.create', 'prompt.version.create']);
  });

  it('a published prompt is a REST endpoint: input validated, rendered, answered in chat-completion shape with the version header', async () => {
    const { data, response } = await run(client, '/prompts/sentiment/run', { text: 'I love this gateway', lang: 'en' });
    expect(response.headers.get('x-conduit-prompt-version')).toBe('1');
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]!.message.content).toBe('You said: Text: I love this gateway (language: en)');
    const upstream = sim.requests[0]!.body as { messages: { role: string; content: string }[]; temperature: number; max_tokens: number };
    expect(upstream.messages[0]).toMatchObject({ role: 'system' });
    expect(upstream).toMatchObject({ temperature: 0, max_tokens: 50 });
    const event = await until(async () => (await usageEvents(gw)).find((e) => e.requestId === response.headers.get('x-request-id')));
    expect(event).toMatchObject({ status: 'success', model: 'prompt-model', metadata: { prompt: { slug: 'sentiment', version: 1, variant: 'active' } } });
  });

  it('rejects input that does not match the schema, naming what is wrong, before any upstream call', async () => {
    await expect(run(client, '/prompts/sentiment/run', { text: 'hi' })).rejects.toMatchObject({ status: 400, code: 'prompt_input_invalid', message: expect.stringMatching(/lang/) });
    await expect(run(client, '/prompts/sentiment/run', { text: 'hi', lang: 'fr' })).rejects.toMatchObject({ status: 400, code: 'prompt_input_invalid', message: expect.stringMatching(/allowed values/) });
    await expect(run(client, '/prompts/sentiment/run', { text: 'hi', lang: 'en', extra: 1 })).rejects.toMatchObject({ status: 400, code: 'prompt_input_invalid' });
    await expect(run(client, '/prompts/sentiment/run', [1, 2])).rejects.toMatchObject({ status: 400 });
    expect(sim.requests).toHaveLength(0);
  });

  it('runs a pinned version, streams on request, and 404s unknown prompts, versions and other tenants’ prompts', async () => {
    const { data, response } = await run(client, '/prompts/sentiment/versions/2/run', { text: 'meh', lang: 'de' });
    expect(response.headers.get('x-conduit-prompt-version')).toBe('2');
    expect(data.choices[0]!.message.content).toBe('You said: v2 sentiment of: meh [de]');

    const res = await fetch(`${gw.v1}/prompts/sentiment/run?stream=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'streamed', lang: 'en' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(res.headers.get('x-conduit-prompt-version')).toBe('1');
    const sse = await res.text();
    const text = sse
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => (JSON.parse(l.slice(6)) as OpenAI.ChatCompletionChunk).choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('You said: Text: streamed (language: en)');
    expect(sse.trimEnd().endsWith('data: [DONE]')).toBe(true);

    await expect(run(client, '/prompts/sentiment/versions/9/run', { text: 'x', lang: 'en' })).rejects.toMatchObject({ status: 404, code: 'prompt_not_found' });
    await expect(run(client, '/prompts/nope/run', {})).rejects.toMatchObject({ status: 404, code: 'prompt_not_found' });
    await expect(run(otherClient, '/prompts/sentiment/run', { text: 'x', lang: 'en' })).rejects.toMatchObject({ status: 404, code: 'prompt_not_found' });
  });

  it('splits traffic between versions by weight, records the variant, and follows changes at once', async () => {
    const patched = await tenant.developer.patch(`/admin/tenants/${tenant.id}/prompts/sentiment`, { abSplit: [{ version: 1, weight: 1 }, { version: 2, weight: 1 }] });
    expect(patched.status).toBe(200);
    const seen = new Set<string>();
    const ids: string[] = [];
    await until(async () => {
      const { response } = await run(client, '/prompts/sentiment/run', { text: 'split', lang: 'en' });
      seen.add(response.headers.get('x-conduit-prompt-version')!);
      ids.push(response.headers.get('x-request-id')!);
      return seen.size === 2;
    }, 10_000, 'both versions served');
    const events = await until(async () => {
      const e = (await usageEvents(gw)).filter((x) => ids.includes(x.requestId));
      return e.length === ids.length ? e : false;
    });
    expect(new Set(events.map((e) => (e.metadata as { prompt: { variant: string } }).prompt.variant))).toEqual(new Set(['ab']));
    expect(new Set(events.map((e) => (e.metadata as { prompt: { version: number } }).prompt.version))).toEqual(new Set([1, 2]));

    // only version 2 now; then archived: gone
    await tenant.developer.patch(`/admin/tenants/${tenant.id}/prompts/sentiment`, { abSplit: [], activeVersion: 2 });
    await until(async () => (await run(client, '/prompts/sentiment/run', { text: 'x', lang: 'en' })).response.headers.get('x-conduit-prompt-version') === '2', 5_000, 'version 2 active');
    await tenant.developer.patch(`/admin/tenants/${tenant.id}/prompts/sentiment`, { archived: true });
    await until(
      async () => (await run(client, '/prompts/sentiment/run', { text: 'x', lang: 'en' }).then(() => false, (e: { status: number }) => e.status === 404)),
      5_000,
      'archived prompt gone',
    );
  });
});
