/** The official openai SDK (v6) accepts the OpenAI and Azure simulators' answers, streams included. */
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulators';
import type { SimulatorHandle } from '../../src/simulators';

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  },
];

describe('openai SDK ↔ openai simulator', () => {
  let sim: SimulatorHandle;
  let client: OpenAI;
  beforeAll(async () => {
    sim = await startSimulator({ provider: 'openai' });
    client = new OpenAI({ baseURL: sim.baseUrl, apiKey: 'sk-sim', maxRetries: 0 });
  });
  afterAll(() => sim.close());

  it('chat.completions.create', async () => {
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello sdk' }] });
    expect(res.choices[0]!.message.content).toBe('You said: hello sdk');
    expect(res.usage!.completion_tokens).toBe(4);
    expect(res._request_id).toMatch(/^req_sim/);
  });

  it('streams with include_usage through the SDK stream helper (validates chunk order)', async () => {
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Oslo' }],
      tools,
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Weather in Oslo' });
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(final.usage!.total_tokens).toBeGreaterThan(0);
  });

  it('raw streaming iterator ends with the usage chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a b c' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('You said: a b c');
    expect(usage!.completion_tokens).toBe(5);
  });

  it('embeddings (the SDK asks for base64 and decodes it)', async () => {
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['x', 'y'], dimensions: 8 });
    expect(res.data).toHaveLength(2);
    expect(res.data[0]!.embedding).toHaveLength(8);
    expect(res.data[0]!.embedding.every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
  });

  it('legacy completions, streamed', async () => {
    const res = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi', max_tokens: 10 });
    expect(res.choices[0]!.text).toBe('You said: Say hi');
    const stream = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi', stream: true });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.text ?? '';
    expect(text).toBe('You said: Say hi');
  });

  it('models.list', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain('sim-chat');
  });

  it('errors surface as the SDK error classes with Retry-After', async () => {
    sim.script({ error: 'rate_limit', retryAfter: 7 });
    const err = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('7');
    sim.script({ error: 'auth' });
    await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    sim.script({ error: 'not_found' });
    await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('an error event inside the stream is raised by the SDK', async () => {
    sim.script({ streamErrorAt: 2, error: 'server_error' });
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'one two three' }], stream: true });
    const err = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
  });
});

describe('openai SDK (AzureOpenAI) ↔ azure simulator', () => {
  let sim: SimulatorHandle;
  let client: AzureOpenAI;
  beforeAll(async () => {
    sim = await startSimulator({ provider: 'azure' });
    client = new AzureOpenAI({ endpoint: sim.url, apiKey: 'azure-key', apiVersion: '2024-10-21', deployment: 'gpt4o-prod', maxRetries: 0 });
  });
  afterAll(() => sim.close());

  it('chat on a deployment path with api-key and api-version', async () => {
    const res = await client.chat.completions.create({ model: 'ignored', messages: [{ role: 'user', content: 'azure hi' }] });
    expect(res.choices[0]!.message.content).toBe('You said: azure hi');
    expect(res.model).toBe('gpt4o-prod');
    const seen = sim.requests.at(-1)!;
    expect(seen.path).toBe('/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21');
    expect(seen.headers['api-key']).toBe('azure-key');
  });

  it('streams (prompt-filter chunk first) through the SDK helper', async () => {
    const final = await client.chat.completions.stream({ model: 'x', messages: [{ role: 'user', content: 'azure stream' }] }).finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe('You said: azure stream');
  });

  it('content filter error', async () => {
    sim.script({ error: 'content_filter' });
    const err = await client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('content_filter');
  });
});
