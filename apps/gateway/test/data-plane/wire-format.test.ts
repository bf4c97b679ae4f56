import { readFileSync } from 'node:fs';
import { startSimulator, type SimulatorHandle } from '@conduit/providers/simulators';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support.js';
import { addModel, DEMO } from './helpers.js';

// Schemas extracted from OpenAI's published OpenAPI document (scripts/extract-openai-schemas.mjs).
const schemas = JSON.parse(readFileSync(new URL('../fixtures/openai-schemas.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ ...schemas, $id: 'openai' });
const validator = (name: string): ValidateFunction => ajv.getSchema(`openai#/$defs/${name}`)!;

function expectValid(name: string, body: unknown) {
  const validate = validator(name);
  const ok = validate(body);
  expect(ok, `${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 600)}`).toBe(true);
}

let gw: TestGateway;
let sim: SimulatorHandle;
const headers = { authorization: `Bearer ${DEMO}`, 'content-type': 'application/json' };
const post = (path: string, body: unknown) => fetch(`${gw.v1}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

beforeAll(async () => {
  gw = await startTestGateway();
  sim = await startSimulator({ provider: 'openai' });
  await addModel(gw, 'flaky', [sim], { maxRetries: 0 });
  await addModel(gw, 'flaky-stream', [sim], { maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

function sseData(text: string): unknown[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').find((l) => l.startsWith('data: '))?.slice(6))
    .filter((d): d is string => d !== undefined && d !== '[DONE]')
    .map((d) => JSON.parse(d));
}

describe("responses validate against OpenAI's OpenAPI schemas", () => {
  const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }];

  it('chat completion (text and tool calls)', async () => {
    expectValid('CreateChatCompletionResponse', await (await post('/chat/completions', { model: 'demo-chat', messages: [{ role: 'user', content: 'hi' }] })).json());
    expectValid(
      'CreateChatCompletionResponse',
      await (await post('/chat/completions', { model: 'demo-chat', messages: [{ role: 'user', content: 'find x' }], tools, tool_choice: 'required' })).json(),
    );
  });

  it('every stream chunk, the usage chunk included, and [DONE] at the end', async () => {
    for (const body of [
      { model: 'demo-chat', messages: [{ role: 'user', content: 'stream it' }], stream: true, stream_options: { include_usage: true } },
      { model: 'demo-chat', messages: [{ role: 'user', content: 'stream a tool call' }], stream: true, tools },
    ]) {
      const res = await post('/chat/completions', body);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const text = await res.text();
      expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      const chunks = sseData(text);
      expect(chunks.length).toBeGreaterThan(1);
      for (const c of chunks) expectValid('CreateChatCompletionStreamResponse', c);
    }
  });

  it('legacy completion, embeddings, models', async () => {
    expectValid('CreateCompletionResponse', await (await post('/completions', { model: 'demo-chat', prompt: 'Once' })).json());
    expectValid('CreateEmbeddingResponse', await (await post('/embeddings', { model: 'demo-embedding', input: ['a', 'b'] })).json());
    expectValid('ListModelsResponse', await (await fetch(`${gw.v1}/models`, { headers })).json());
    expectValid('Model', await (await fetch(`${gw.v1}/models/demo-chat`, { headers })).json());
  });

  it('errors: auth, validation, unknown model, upstream failures, unknown endpoint', async () => {
    const bodies = [
      await fetch(`${gw.v1}/models`),
      await post('/chat/completions', { model: 'demo-chat', messages: 'nope' }),
      await post('/chat/completions', { model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
      // the simulator's scenarios ride in the prompt (the gateway does not forward client headers upstream)
      await post('/chat/completions', { model: 'flaky', messages: [{ role: 'user', content: '[[sim:error=server_error]]' }] }),
      await post('/chat/completions', { model: 'flaky', messages: [{ role: 'user', content: '[[sim:error=rate_limit,retry_after=30]]' }] }),
      // the deployment asked for 30 s of quiet: nothing else can serve the model now
      await post('/chat/completions', { model: 'flaky', messages: [{ role: 'user', content: 'x' }] }),
      await fetch(`${gw.v1}/assistants`, { headers }),
    ];
    expect(bodies.map((r) => r.status)).toEqual([401, 400, 404, 502, 429, 503, 404]);
    for (const r of bodies) expectValid('ErrorResponse', await r.json());
  });

  it('a stream that fails after the first byte ends with an error event that is itself a valid error', async () => {
    sim.script({ cutAfter: 5, tokensPerSecond: 100 });
    const res = await post('/chat/completions', { model: 'flaky-stream', messages: [{ role: 'user', content: 'a long answer with many many words' }], stream: true });
    const events = sseData(await res.text());
    const last = events.at(-1);
    expectValid('ErrorResponse', last);
    for (const c of events.slice(0, -1)) expectValid('CreateChatCompletionStreamResponse', c);
  });
});
