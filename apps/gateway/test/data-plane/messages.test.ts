import Anthropic from '@anthropic-ai/sdk';
import { startSimulator, type SimulatorHandle } from '@conduit/providers/simulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { json, post, startTestGateway, type TestGateway } from '../support.js';
import { SecretBox } from '@conduit/db';
import { TEST_ENCRYPTION_KEYS } from '../support.js';
import { addModel, DEMO, publish, until, usageEvents, usageEventsOf } from './helpers.js';

let gw: TestGateway;
let client: Anthropic;
let sim: SimulatorHandle;
let backup: SimulatorHandle;
/** its own deployment: a Retry-After from upstream cools the deployment down, which must not touch the other tests */
let limited: SimulatorHandle;
/** an Anthropic-format upstream: Anthropic in, unified in the middle, Anthropic upstream, and back */
let claude: SimulatorHandle;

beforeAll(async () => {
  // a high circuit threshold: the failure tests below must not open the deployment's circuit for the next ones
  gw = await startTestGateway({ USAGE_FLUSH_MS: '5', CIRCUIT_FAILURE_THRESHOLD: '1000' });
  // only baseURL (the gateway origin: the SDK appends /v1/messages) and apiKey (sent as x-api-key)
  client = new Anthropic({ baseURL: gw.url, apiKey: DEMO, maxRetries: 0 });
  sim = await startSimulator({ provider: 'openai' });
  backup = await startSimulator({ provider: 'openai' });
  limited = await startSimulator({ provider: 'openai' });
  claude = await startSimulator({ provider: 'anthropic' });
  await addModel(gw, 'msg-solo', [sim], { maxRetries: 0 });
  await addModel(gw, 'msg-fallback', [sim, backup]);
  await addModel(gw, 'msg-limited', [limited], { maxRetries: 0 });
  await addAnthropicModel('msg-claude', claude);
});
afterAll(async () => {
  await gw?.close();
  await sim?.close();
  await backup?.close();
  await limited?.close();
  await claude?.close();
});
beforeEach(() => {
  sim.reset();
  backup.reset();
});

/** A model served by one deployment of type `anthropic` (helpers.addModel makes OpenAI-format ones). */
async function addAnthropicModel(name: string, s: SimulatorHandle) {
  const model = await gw.prisma.model.create({
    data: { name, maxRetries: 0, prices: { create: { inputPerMTokUsd: 3, outputPerMTokUsd: 15, effectiveFrom: new Date('2025-01-01') } } },
  });
  const provider = await gw.prisma.provider.create({ data: { slug: `sim-${name}`, name, type: 'anthropic', baseUrl: s.baseUrl, source: 'admin' } });
  const sealed = new SecretBox(TEST_ENCRYPTION_KEYS).seal('sk-ant-sim', provider.id);
  await gw.prisma.providerCredential.create({
    data: { providerId: provider.id, ciphertext: Buffer.from(sealed.ciphertext), iv: Buffer.from(sealed.iv), authTag: Buffer.from(sealed.authTag), keyId: sealed.keyId },
  });
  await gw.prisma.modelDeployment.create({ data: { modelId: model.id, providerId: provider.id, upstreamModel: 'claude-sim-1', priority: 0, timeoutMs: 5_000 } });
  await publish(gw, { kind: 'catalogue' });
  await until(async () => (await fetch(`${gw.v1}/models/${name}`, { headers: { authorization: `Bearer ${DEMO}` } })).ok, 5_000, `model ${name} visible`);
}

/** The body the gateway sent upstream (OpenAI chat format). */
function upstreamBody(s: SimulatorHandle = sim): any {
  const r = s.requests.filter((x) => x.path.endsWith('/chat/completions'));
  return r[r.length - 1]!.body;
}

/** A raw /v1/messages call, returning the SSE events in order. */
async function rawEvents(body: unknown, headers: Record<string, string> = {}) {
  const res = await post(`${gw.url}/v1/messages`, body, { 'x-api-key': DEMO, 'anthropic-version': '2023-06-01', ...headers });
  const text = await res.text();
  if (process.env.DEBUG_SSE) console.log(text);
  const events = text
    .split('\n\n')
    .filter((b) => b.trim())
    .map((b) => {
      const event = /^event: (.*)$/m.exec(b)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(b)![1]!);
      expect(data.type).toBe(event); // Anthropic repeats the event name as data.type
      return data;
    });
  return { res, events, types: events.map((e) => e.type as string) };
}

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('POST /v1/messages through the official @anthropic-ai/sdk', () => {
  it('answers a message with text blocks, the requested model name, mapped stop reason, usage and routing headers', async () => {
    const { data, response } = await client.messages
      .create({ model: 'demo-chat', max_tokens: 200, system: 'Be brief.', messages: [{ role: 'user', content: 'Say hello to Conduit' }] })
      .withResponse();
    expect(data.type).toBe('message');
    expect(data.role).toBe('assistant');
    expect(data.id).toMatch(/^msg_/);
    expect(data.model).toBe('demo-chat');
    expect(data.content[0]!.type).toBe('text');
    expect(data.content[0]!.type === 'text' && data.content[0].text).toContain('Say hello to Conduit');
    expect(data.stop_reason).toBe('end_turn');
    expect(data.stop_sequence).toBeNull();
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(data.usage.output_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-conduit-provider')).toBe('simulator');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.headers.get('request-id')).toBe(response.headers.get('x-request-id'));
    expect(Number(response.headers.get('x-conduit-cost-usd'))).toBeGreaterThan(0);
  });

  it('translates system blocks, multi-turn, images (base64 and URL), sampling, stop_sequences and metadata for the upstream', async () => {
    const res = await client.messages.create({
      model: 'msg-solo',
      max_tokens: 300,
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Answer in English.' },
      ],
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these pictures?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['###'],
      metadata: { user_id: 'user-42' },
    } as Anthropic.MessageCreateParamsNonStreaming); // this SDK version no longer types the sampling fields; the API takes them
    expect(res.model).toBe('msg-solo');
    expect(res.stop_reason).toBe('end_turn');
    const up = upstreamBody();
    expect(up.model).toBe('up-0');
    expect(up.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'You are terse.' }, { type: 'text', text: 'Answer in English.' }] },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these pictures?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
    expect(up).toMatchObject({ temperature: 0.3, top_p: 0.9, stop: ['###'], user: 'user-42' });
    expect(up.max_tokens ?? up.max_completion_tokens).toBe(300);
    expect(up).not.toHaveProperty('top_k'); // dropped on purpose: OpenAI-shaped providers have none
  });

  it('maps max_tokens to stop_reason max_tokens and applies stop sequences upstream', async () => {
    const short = await client.messages.create({ model: 'demo-chat', max_tokens: 2, messages: [{ role: 'user', content: 'one two three four five six seven' }] });
    expect(short.stop_reason).toBe('max_tokens');
    expect(short.usage.output_tokens).toBe(2);
    const stopped = await client.messages.create({
      model: 'demo-chat',
      max_tokens: 100,
      stop_sequences: ['three'],
      messages: [{ role: 'user', content: 'one two three four five' }],
    });
    const text = stopped.content[0]!.type === 'text' ? stopped.content[0].text : '';
    expect(text).toContain('one two');
    expect(text).not.toContain('three');
  });

  it('maps output_config.format (structured output) to a JSON-schema response format', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const res = await client.messages.create({
      model: 'msg-solo',
      max_tokens: 200,
      output_config: { format: { type: 'json_schema', schema } },
      messages: [{ role: 'user', content: 'Name a city' }],
    });
    expect(upstreamBody().response_format).toEqual({ type: 'json_schema', json_schema: { name: 'output', schema } });
    expect(JSON.parse(res.content[0]!.type === 'text' ? res.content[0].text : '')).toHaveProperty('city');
  });

  it('calls tools: tool_use blocks with parsed input, tool_choice any/tool/none/auto, and tool_result history', async () => {
    const res = await client.messages.create({
      model: 'msg-solo',
      max_tokens: 200,
      tools: [weatherTool],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    expect(res.stop_reason).toBe('tool_use');
    const use = res.content.find((b) => b.type === 'tool_use')!;
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather' });
    expect(use.type === 'tool_use' && typeof use.id).toBe('string');
    expect(use.type === 'tool_use' && use.input).toHaveProperty('city');
    const up = upstreamBody();
    expect(up.tool_choice).toBe('required');
    expect(up.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: weatherTool.input_schema } },
    ]);

    await client.messages.create({
      model: 'msg-solo',
      max_tokens: 200,
      tools: [weatherTool],
      tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    expect(upstreamBody()).toMatchObject({ tool_choice: { type: 'function', function: { name: 'get_weather' } }, parallel_tool_calls: false });

    const none = await client.messages.create({ model: 'msg-solo', max_tokens: 200, tools: [weatherTool], tool_choice: { type: 'none' }, messages: [{ role: 'user', content: 'Just talk' }] });
    expect(none.stop_reason).toBe('end_turn');
    expect(upstreamBody().tool_choice).toBe('none');

    // the assistant's tool_use and the user's tool_result go back as history
    const id = use.type === 'tool_use' ? use.id : '';
    const answer = await client.messages.create({
      model: 'msg-solo',
      max_tokens: 200,
      tools: [weatherTool],
      tool_choice: { type: 'auto' },
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id, name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: [{ type: 'text', text: 'Sunny, 21°C' }] }, { type: 'text', text: 'Thanks!' }] },
      ],
    });
    const msgs = upstreamBody().messages;
    expect(msgs[1]).toEqual({
      role: 'assistant',
      content: 'Let me check.',
      tool_calls: [{ id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
    });
    expect(msgs[2]).toEqual({ role: 'tool', tool_call_id: id, content: 'Sunny, 21°C' });
    expect(msgs[3]).toEqual({ role: 'user', content: 'Thanks!' });
    expect(upstreamBody().tool_choice).toBe('auto');
    expect(answer.content.length).toBeGreaterThan(0);

    // the simulator answers the tool result when it is the last turn
    const direct = await client.messages.create({
      model: 'demo-chat',
      max_tokens: 200,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' }] },
      ],
      tools: [weatherTool],
    });
    expect(direct.content[0]!.type === 'text' && direct.content[0].text).toBe('Tool result: Sunny');
  });

  it('streams the exact Anthropic event sequence, with usage in message_delta', async () => {
    const { res, types, events } = await rawEvents({ model: 'demo-chat', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'Stream a short answer please' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    expect(types[0]).toBe('message_start');
    expect(types[1]).toBe('ping');
    expect(types[2]).toBe('content_block_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(new Set(types.slice(3, -3))).toEqual(new Set(['content_block_delta']));
    const start = events[0];
    expect(start.message).toMatchObject({ type: 'message', role: 'assistant', model: 'demo-chat', content: [], stop_reason: null });
    expect(start.message.id).toMatch(/^msg_/);
    expect(events[2]).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    const text = events
      .filter((e) => e.type === 'content_block_delta')
      .map((e) => {
        expect(e.index).toBe(0);
        expect(e.delta.type).toBe('text_delta');
        return e.delta.text;
      })
      .join('');
    expect(text).toContain('Stream a short answer please');
    const delta = events[events.length - 2];
    expect(delta.delta).toEqual({ stop_reason: 'end_turn', stop_sequence: null });
    expect(delta.usage.output_tokens).toBeGreaterThan(0);
    expect(delta.usage.input_tokens).toBeGreaterThan(0);
  });

  it('streams through the SDK (create with stream: true and the messages.stream helper)', async () => {
    const stream = await client.messages.create({ model: 'demo-chat', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hello stream' }] });
    const seen: string[] = [];
    let text = '';
    for await (const ev of stream) {
      seen.push(ev.type);
      if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text;
    }
    expect(seen[0]).toBe('message_start');
    expect(seen[seen.length - 1]).toBe('message_stop');
    expect(text).toContain('hello stream');

    const helper = client.messages.stream({ model: 'demo-chat', max_tokens: 100, messages: [{ role: 'user', content: 'helper stream' }] });
    let streamed = '';
    helper.on('text', (t) => (streamed += t));
    const final = await helper.finalMessage();
    expect(final.model).toBe('demo-chat');
    expect(final.stop_reason).toBe('end_turn');
    expect(final.content[0]!.type === 'text' && final.content[0].text).toBe(streamed);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(final.usage.input_tokens).toBeGreaterThan(0);
  });

  it('streams tool calls as tool_use blocks with input_json_delta, assembled by the SDK', async () => {
    const { types, events } = await rawEvents({
      model: 'demo-chat',
      max_tokens: 200,
      stream: true,
      tools: [weatherTool],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
    });
    const start = events.find((e) => e.type === 'content_block_start');
    expect(start.content_block).toMatchObject({ type: 'tool_use', name: 'get_weather', input: {} });
    const json = events.filter((e) => e.type === 'content_block_delta').map((e) => (expect(e.delta.type).toBe('input_json_delta'), e.delta.partial_json)).join('');
    expect(JSON.parse(json)).toHaveProperty('city');
    expect(events[events.length - 2].delta.stop_reason).toBe('tool_use');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);

    const final = await client.messages
      .stream({ model: 'demo-chat', max_tokens: 200, tools: [weatherTool], tool_choice: { type: 'any' }, messages: [{ role: 'user', content: 'Weather in Rome?' }] })
      .finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    const use = final.content.find((b) => b.type === 'tool_use');
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather' });
    expect(use!.type === 'tool_use' && use!.input).toHaveProperty('city');
  });

  it('records exactly one usage event per request on /v1/messages, streams included', async () => {
    const res = await client.messages.create({ model: 'demo-chat-mini', max_tokens: 50, messages: [{ role: 'user', content: 'count me once' }] }).withResponse();
    const id = res.response.headers.get('x-request-id');
    const { res: streamed } = await rawEvents({ model: 'demo-chat-mini', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'count my stream once' }] });
    const streamId = streamed.headers.get('x-request-id');
    const [plain, stream] = await until(async () => {
      const all = await usageEvents(gw);
      const a = all.filter((e) => e.requestId === id);
      const b = all.filter((e) => e.requestId === streamId);
      return a.length && b.length ? [a, b] : false;
    });
    await new Promise((r) => setTimeout(r, 100)); // nothing more arrives later
    const all = await usageEvents(gw);
    expect(all.filter((e) => e.requestId === id)).toHaveLength(1);
    expect(all.filter((e) => e.requestId === streamId)).toHaveLength(1);
    expect(plain![0]).toMatchObject({
      endpoint: '/v1/messages',
      model: 'demo-chat-mini',
      status: 'success',
      httpStatus: 200,
      stream: false,
      promptTokens: res.data.usage.input_tokens,
      completionTokens: res.data.usage.output_tokens,
    });
    expect(stream![0]).toMatchObject({ endpoint: '/v1/messages', status: 'success', stream: true });
    expect(stream![0]!.completionTokens).toBeGreaterThan(0);
    expect(Number(stream![0]!.costUsd)).toBeGreaterThan(0);
  });

  it('routes to an Anthropic-format provider too: tools and streams survive both translations', async () => {
    const res = await client.messages.create({
      model: 'msg-claude',
      max_tokens: 200,
      system: 'Be brief.',
      tools: [weatherTool],
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [{ role: 'user', content: 'Weather in Lima?' }],
    });
    expect(res.model).toBe('msg-claude');
    expect(res.stop_reason).toBe('tool_use');
    expect(res.content.find((b) => b.type === 'tool_use')).toMatchObject({ name: 'get_weather', input: { city: expect.any(String) } });
    const up = claude.requests[claude.requests.length - 1]!.body as any;
    expect(up).toMatchObject({ model: 'claude-sim-1', max_tokens: 200, system: 'Be brief.', tool_choice: { type: 'tool', name: 'get_weather' } });
    expect(up.tools[0]).toMatchObject({ name: 'get_weather', input_schema: weatherTool.input_schema });

    const final = await client.messages.stream({ model: 'msg-claude', max_tokens: 100, messages: [{ role: 'user', content: 'hello claude' }] }).finalMessage();
    expect(final.stop_reason).toBe('end_turn');
    expect(final.content[0]!.type === 'text' && final.content[0].text).toContain('hello claude');
    expect(final.usage.input_tokens).toBeGreaterThan(0);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('falls back to the next deployment before the first byte of a stream', async () => {
    sim.script({ error: 'server_error' });
    const { res, types } = await rawEvents({ model: 'msg-fallback', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'fall back please' }] });
    expect(res.headers.get('x-conduit-fallbacks')).toBe('1');
    expect(types[types.length - 1]).toBe('message_stop');
  });
});

describe('errors in Anthropic’s shape, raised as the SDK’s typed errors', () => {
  it('missing or wrong key → AuthenticationError (401, authentication_error)', async () => {
    const anon = new Anthropic({ baseURL: gw.url, apiKey: 'cdt_not_a_real_key_000000000000', maxRetries: 0 });
    const err = await anon.messages.create({ model: 'demo-chat', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(err.status).toBe(401);
    expect(err.type).toBe('authentication_error');
    expect(err.errorCode).toBe('invalid_api_key');

    const res = await post(`${gw.url}/v1/messages`, { model: 'demo-chat', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    expect(res.status).toBe(401);
    const body = await json(res);
    expect(body).toMatchObject({ type: 'error', error: { type: 'authentication_error', details: { error_code: 'missing_api_key' } } });
    expect(body.error.message).toMatch(/API key/);
  });

  it('unknown model → NotFoundError (404, not_found_error)', async () => {
    const err = await client.messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'not_found_error', details: { error_code: 'model_not_found', param: 'model' } } });
    expect(err.requestID).toMatch(/^req_/);
  });

  it('a model that requires approval → PermissionDeniedError (403, permission_error)', async () => {
    const err = await client.messages.create({ model: 'demo-reasoning', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(err.type).toBe('permission_error');
    expect(err.errorCode).toBe('model_access_requires_approval');
  });

  it('bad requests → BadRequestError (400, invalid_request_error) naming the field', async () => {
    const noMax = await client.messages.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'x' }] } as unknown as Anthropic.MessageCreateParamsNonStreaming).catch((e) => e);
    expect(noMax).toBeInstanceOf(Anthropic.BadRequestError);
    expect(noMax.type).toBe('invalid_request_error');
    expect(noMax.error.error).toMatchObject({ details: { error_code: 'validation_failed', param: 'max_tokens' } });
    expect(noMax.error.error.message).toMatch(/^max_tokens: Field required/);

    const system = await client.messages
      .create({ model: 'demo-chat', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] } as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((e) => e);
    expect(system).toBeInstanceOf(Anthropic.BadRequestError);
    expect(system.error.error.details.param).toBe('messages.0.role');

    const temp = await client.messages
      .create({ model: 'demo-chat', max_tokens: 5, temperature: 1.5, messages: [{ role: 'user', content: 'x' }] } as Anthropic.MessageCreateParamsNonStreaming)
      .catch((e) => e);
    expect(temp.status).toBe(400);
    expect(temp.error.error.details.param).toBe('temperature');

    const broken = await fetch(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': DEMO, 'content-type': 'application/json' }, body: '{broken' });
    expect(broken.status).toBe(400);
    expect(await json(broken)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });

    const version = await post(`${gw.url}/v1/messages`, { model: 'demo-chat', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { 'x-api-key': DEMO, 'anthropic-version': 'latest' });
    expect(version.status).toBe(400);
    expect((await json(version)).error.details.param).toBe('anthropic-version');
  });

  it('upstream failures before the first byte map to typed errors (rate limit → RateLimitError with retry-after)', async () => {
    limited.script({ error: 'rate_limit', retryAfter: 3 });
    const err = await client.messages.create({ model: 'msg-limited', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(err.type).toBe('rate_limit_error');
    expect(err.headers.get('retry-after')).toBe('3');
    expect(err.errorCode).toBe('upstream_rate_limited');

    sim.script({ error: 'server_error' });
    const stream = await client.messages.create({ model: 'msg-solo', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(stream).toBeInstanceOf(Anthropic.InternalServerError);
    expect(stream.type).toBe('api_error');
  });

  it('an upstream cut mid-stream ends with an Anthropic `event: error` (never a silent cut) and one error usage event', async () => {
    sim.script({ cutAfter: 5, tokensPerSecond: 100 });
    const { res, types, events } = await rawEvents({
      model: 'msg-solo',
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'a long answer with many words please' }],
    });
    expect(res.status).toBe(200);
    expect(types[0]).toBe('message_start');
    expect(types).toContain('content_block_delta');
    expect(types[types.length - 1]).toBe('error');
    expect(types).not.toContain('message_stop');
    const last = events[events.length - 1];
    expect(last.error.type).toMatch(/api_error|overloaded_error|timeout_error/);
    expect(last.error.message).toMatch(/upstream/i);
    expect(last.error.details.error_code).toMatch(/^upstream_/);
    const id = res.headers.get('x-request-id');
    const found = await usageEventsOf(gw, id);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ endpoint: '/v1/messages', status: 'error', stream: true });

    // the SDK raises it as an APIError carrying Anthropic's error type
    sim.script({ cutAfter: 5, tokensPerSecond: 100 });
    const stream = await client.messages.create({ model: 'msg-solo', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'another long answer with many words please' }] });
    let deltas = 0;
    const err = await (async () => {
      for await (const ev of stream) if (ev.type === 'content_block_delta') deltas++;
    })().catch((e) => e);
    expect(deltas).toBeGreaterThan(0);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err.type).toMatch(/api_error|overloaded_error|timeout_error/);
  });

  it('a deployment that accepts the stream and fails before its first token ends it with an Anthropic `event: error`', async () => {
    sim.script({ streamErrorAt: 0, error: 'overloaded' }); // 200 and its headers, then an error instead of the first chunk
    const { res, types, events } = await rawEvents({ model: 'msg-solo', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toBe(res.headers.get('x-request-id'));
    expect(types).toEqual(['error']);
    expect(events[0].error.details.error_code).toMatch(/^upstream_/);
    const id = res.headers.get('x-request-id');
    const found = await usageEventsOf(gw, id);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ endpoint: '/v1/messages', status: 'error', stream: true });
  });

  it('a client disconnect aborts the upstream call and records one aborted request', async () => {
    sim.script({ tokensPerSecond: 20 });
    const ac = new AbortController();
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': DEMO, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'msg-solo', max_tokens: 500, stream: true, messages: [{ role: 'user', content: 'tell me a very long story about gateways and streams' }] }),
      signal: ac.signal,
    });
    const id = res.headers.get('x-request-id');
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    const events = await usageEventsOf(gw, id, 3_000, 'aborted usage event');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ endpoint: '/v1/messages', status: 'aborted', errorCategory: 'client_aborted', stream: true });
    await until(async () => sim.requests.some((r) => r.clientClosedEarly), 3_000, 'upstream closed');
  });
});
