/**
 * The one contract every adapter passes, each against its own simulator:
 * non-stream, stream, tools (streamed too), JSON mode, embeddings, legacy
 * completions, every error category, transport failures, usage.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accumulateChatStream, createProvider, PriceTable, ProviderError } from '../src';
import type { ChatChunk, ChatRequest, ProviderAdapter, ProviderId } from '../src';
import { startSimulator } from '../src/simulators';
import type { SimErrorKind, SimulatorHandle } from '../src/simulators';
import { targets } from './contract/targets';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] }, days: { type: 'integer' } },
      required: ['city', 'unit'],
    },
  },
};

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

async function catchError(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ProviderError);
    return e as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

const ERROR_EXPECTATIONS: Array<[SimErrorKind, string, boolean]> = [
  ['rate_limit', 'rate_limit', true],
  ['server_error', 'server_error', true],
  ['overloaded', 'overloaded', true],
  ['auth', 'auth', false],
  ['bad_request', 'bad_request', false],
  ['not_found', 'not_found', false],
  ['content_filter', 'content_filter', false],
  ['timeout', 'timeout', true],
];

describe.each(targets)('contract: $provider', (target) => {
  let sim: SimulatorHandle;
  let adapter: ProviderAdapter<ProviderId>;
  const model = target.chatModel;
  const hello: ChatRequest = { model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello there' }] };

  beforeAll(async () => {
    sim = await startSimulator({ provider: target.simulator, port: 0 });
    adapter = createProvider(target.config(sim));
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => sim.reset());

  it('answers a chat request in the unified shape, with usage and the request id passed upstream', async () => {
    const res = await adapter.chat(hello, { requestId: 'req-contract-1' });
    expect(res.object).toBe('chat.completion');
    expect(res.choices).toHaveLength(1);
    expect(res.choices[0]!.message.role).toBe('assistant');
    expect(res.choices[0]!.message.content).toBe('You said: hello there');
    expect(res.choices[0]!.finish_reason).toBe('stop');
    expect(res.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(res.usage!.completion_tokens).toBe(4);
    expect(res.usage!.total_tokens).toBe(res.usage!.prompt_tokens + res.usage!.completion_tokens);
    expect(sim.requests.at(-1)!.headers['x-request-id']).toBe('req-contract-1');
  });

  it('streams the same answer; the last chunk has no choices and carries usage', async () => {
    const chunks = await collect(adapter.chatStream(hello, { requestId: 'req-contract-2' }));
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) expect(c.object).toBe('chat.completion.chunk');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.completion_tokens).toBe(4);
    expect(chunks.slice(0, -1).every((c) => c.usage == null)).toBe(true);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('You said: hello there');
    const finishes = chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter((f) => f !== null);
    expect(finishes).toEqual(['stop']);
    expect(sim.requests.at(-1)!.headers['x-request-id']).toBe('req-contract-2');
  });

  it('maps max_tokens and reports finish_reason length', async () => {
    const res = await adapter.chat({ ...hello, max_tokens: 2 });
    expect(res.choices[0]!.message.content).toBe('You said:');
    expect(res.choices[0]!.finish_reason).toBe('length');
    const streamed = await accumulateChatStream(adapter.chatStream({ ...hello, max_completion_tokens: 2 }));
    expect(streamed.choices[0]!.message.content).toBe('You said:');
    expect(streamed.choices[0]!.finish_reason).toBe('length');
  });

  it('applies stop sequences', async () => {
    const res = await adapter.chat({ ...hello, stop: [' there'] });
    expect(res.choices[0]!.message.content).toBe('You said: hello');
    expect(res.choices[0]!.finish_reason).toBe('stop');
  });

  it('returns n choices where supported, else rejects n > 1 clearly', async () => {
    const req: ChatRequest = { ...hello, n: 2 };
    if (!adapter.capabilities.multipleChoices) {
      const err = await catchError(adapter.chat(req));
      expect(err.category).toBe('bad_request');
      expect(err.message).toContain(target.provider);
      expect(err.message).toContain('n > 1');
      return;
    }
    const res = await adapter.chat(req);
    expect(res.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(res.choices.every((c) => c.message.content === 'You said: hello there')).toBe(true);
    const streamed = await accumulateChatStream(adapter.chatStream(req));
    expect(streamed.choices.map((c) => c.message.content)).toEqual(['You said: hello there', 'You said: hello there']);
    expect(streamed.choices.every((c) => c.finish_reason === 'stop')).toBe(true);
  });

  it('calls a tool with schema-valid JSON arguments', async () => {
    const req: ChatRequest = { model, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weatherTool], tool_choice: 'auto' };
    const res = await adapter.chat(req);
    const choice = res.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.tool_calls).toHaveLength(1);
    const call = choice.message.tool_calls![0]!;
    expect(call.type).toBe('function');
    expect(call.id.length).toBeGreaterThan(0);
    expect(call.function.name).toBe('get_weather');
    const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
    expect(args['city']).toBe('Weather in Paris?');
    expect(args['unit']).toBe('celsius');
  });

  it('assembles streamed tool calls into the same arguments', async () => {
    const req: ChatRequest = { model, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weatherTool], tool_choice: 'auto' };
    const chunks = await collect(adapter.chatStream(req));
    const first = chunks.find((c) => c.choices[0]?.delta.tool_calls?.[0]?.id !== undefined)!;
    expect(first.choices[0]!.delta.tool_calls![0]!.function!.name).toBe('get_weather');
    expect(first.choices[0]!.delta.tool_calls![0]!.index).toBe(0);
    const full = await accumulateChatStream((async function* () {
      yield* chunks;
    })());
    const call = full.choices[0]!.message.tool_calls![0]!;
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Weather in Paris?', unit: 'celsius', days: 17 });
    expect(full.choices[0]!.finish_reason).toBe('tool_calls');
    expect(full.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('forces a named tool, or rejects tool_choice clearly where the provider cannot', async () => {
    const req: ChatRequest = {
      model,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [{ type: 'function', function: { name: 'noop', parameters: { type: 'object', properties: {} } } }, weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    };
    if (target.forcedToolChoice === false) {
      const err = await catchError(adapter.chat(req));
      expect(err.category).toBe('bad_request');
      expect(err.message).toContain('tool_choice');
      expect(err.message).toContain(target.provider);
      expect(sim.requests).toHaveLength(0);
      return;
    }
    const res = await adapter.chat(req);
    expect(res.choices[0]!.message.tool_calls![0]!.function.name).toBe('get_weather');
    const required = await adapter.chat({ ...req, tool_choice: 'required' });
    expect(required.choices[0]!.message.tool_calls![0]!.function.name).toBe('noop');
  });

  it('sends tool results back and gets the follow-up answer', async () => {
    const req: ChatRequest = {
      model,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc123xyz', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } }] },
        { role: 'tool', tool_call_id: 'call_abc123xyz', content: '{"temp":21}' },
      ],
    };
    const res = await adapter.chat(req);
    expect(res.choices[0]!.message.content).toBe('Tool result: {"temp":21}');
    expect(res.choices[0]!.finish_reason).toBe('stop');
  });

  it('honours tool_choice none', async () => {
    const res = await adapter.chat({ model, messages: [{ role: 'user', content: 'hi' }], tools: [weatherTool], tool_choice: 'none' });
    expect(res.choices[0]!.message.tool_calls).toBeUndefined();
    expect(res.choices[0]!.message.content).toBe('You said: hi');
  });

  it('returns JSON in JSON mode and schema-shaped JSON with json_schema', async () => {
    const obj = await adapter.chat({ model, messages: [{ role: 'user', content: 'give json' }], response_format: { type: 'json_object' } });
    expect(JSON.parse(obj.choices[0]!.message.content!)).toEqual({ echo: 'give json' });
    const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'] };
    const schemaReq: ChatRequest = {
      model,
      messages: [{ role: 'user', content: 'person' }],
      response_format: { type: 'json_schema', json_schema: { name: 'person', schema, strict: true } },
    };
    if (adapter.capabilities.jsonSchema) {
      const res = await adapter.chat(schemaReq);
      expect(JSON.parse(res.choices[0]!.message.content!)).toEqual({ name: 'person', age: 6 });
    } else {
      const err = await catchError(adapter.chat(schemaReq));
      expect(err.category).toBe('bad_request');
      expect(err.message).toBe(`response_format json_schema is not supported by provider ${target.provider}`);
    }
    const streamed = await accumulateChatStream(adapter.chatStream({ model, messages: [{ role: 'user', content: 'give json' }], response_format: { type: 'json_object' } }));
    expect(JSON.parse(streamed.choices[0]!.message.content!)).toEqual({ echo: 'give json' });
  });

  it('accepts image parts', async () => {
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const req: ChatRequest = {
      model,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image_url', image_url: { url: png } }] }],
    };
    if (!adapter.capabilities.vision) {
      const err = await catchError(adapter.chat(req));
      expect(err.message).toBe(`image input is not supported by provider ${target.provider}`);
      return;
    }
    const res = await adapter.chat(req);
    expect(res.choices[0]!.message.content).toBe('You said: what is this');
    expect(res.usage!.prompt_tokens).toBeGreaterThan(85);
  });

  it('embeds several inputs (or says clearly that it cannot)', async () => {
    if (target.embeddingModel === undefined) {
      const err = await catchError(adapter.embed({ model, input: 'x' }));
      expect(err.category).toBe('bad_request');
      expect(err.message).toContain('embeddings');
      expect(err.message).toContain(target.provider);
      return;
    }
    const res = await adapter.embed({ model: target.embeddingModel, input: ['alpha', 'beta gamma'] });
    expect(res.object).toBe('list');
    expect(res.data).toHaveLength(2);
    expect(res.data.map((d) => d.index)).toEqual([0, 1]);
    const [a, b] = res.data.map((d) => d.embedding as number[]);
    expect(a!.length).toBeGreaterThan(0);
    expect(a!.length).toBe(b!.length);
    expect(a).not.toEqual(b);
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
    const again = await adapter.embed({ model: target.embeddingModel, input: 'alpha' });
    expect(again.data[0]!.embedding).toEqual(a);
    // base64 (what the official OpenAI SDK asks for by default) from every provider: float32 LE
    const encoded = await adapter.embed({ model: target.embeddingModel, input: 'alpha', encoding_format: 'base64' });
    const raw = Buffer.from(encoded.data[0]!.embedding as string, 'base64');
    const decoded = Array.from({ length: raw.length / 4 }, (_, i) => raw.readFloatLE(i * 4));
    expect(decoded).toEqual(a!.map(Math.fround));
  });

  it('serves legacy completions (natively or mapped onto chat)', async () => {
    const res = await adapter.complete({ model, prompt: 'Say this is a test', max_tokens: 50 });
    expect(res.object).toBe('text_completion');
    expect(res.choices[0]!.text).toContain('Say this is a test');
    expect(res.choices[0]!.finish_reason).toBe('stop');
    expect(res.usage!.completion_tokens).toBeGreaterThan(0);
    let text = '';
    let usageSeen = false;
    for await (const c of adapter.completeStream({ model, prompt: 'Say this is a test', max_tokens: 50 })) {
      text += c.choices.map((ch) => ch.text).join('');
      if (c.usage) usageSeen = true;
    }
    expect(text).toBe(res.choices[0]!.text);
    expect(usageSeen).toBe(true);
  });

  it.each(ERROR_EXPECTATIONS)('maps simulated %s to category %s (retryable %s)', async (kind, category, retryable) => {
    if (kind === 'content_filter' && target.contentFilter === 'finish_reason') {
      sim.script({ error: kind }, { error: kind });
      const res = await adapter.chat(hello);
      expect(res.choices[0]!.finish_reason).toBe('content_filter');
      const streamed = await accumulateChatStream(adapter.chatStream(hello));
      expect(streamed.choices[0]!.finish_reason).toBe('content_filter');
      return;
    }
    sim.script({ error: kind, retryAfter: kind === 'rate_limit' ? 2 : undefined });
    const err = await catchError(adapter.chat(hello));
    expect(err.category).toBe(target.errorOverrides?.[kind] ?? category);
    expect(err.retryable).toBe(retryable);
    expect(err.provider).toBe(target.provider);
    expect(err.status ?? err.httpStatus).toBeGreaterThanOrEqual(400);
    expect(err.message.length).toBeGreaterThan(0);
    if (kind === 'rate_limit' && target.reportsRetryAfter !== false) expect(err.retryAfterMs).toBe(2000);
  });

  it('maps errors before the first chunk of a stream', async () => {
    sim.script({ error: 'rate_limit', retryAfter: 1 });
    const err = await catchError(collect(adapter.chatStream(hello)));
    expect(err.category).toBe('rate_limit');
    if (target.reportsRetryAfter !== false) expect(err.retryAfterMs).toBe(1000);
  });

  it('triggers failures from a header or from magic words in the prompt', async () => {
    const viaHeader = await catchError(adapter.chat(hello, { headers: { 'x-sim-scenario': 'error=overloaded' } }));
    expect(viaHeader.category).toBe('overloaded');
    const viaPrompt = await catchError(adapter.chat({ model, messages: [{ role: 'user', content: 'hi [[sim:error=rate_limit,retry_after=3]]' }] }));
    expect(viaPrompt.category).toBe('rate_limit');
    if (target.reportsRetryAfter !== false) expect(viaPrompt.retryAfterMs).toBe(3000);
  });

  it('times out on first byte when the upstream hangs', async () => {
    sim.script({ hang: true });
    const err = await catchError(adapter.chat(hello, { timeouts: { firstByteMs: 150 } }));
    expect(err.category).toBe('timeout');
    expect(err.code).toBe('first_byte_timeout');
    expect(err.retryable).toBe(true);
  });

  it('enforces the total timeout', async () => {
    sim.script({ latencyMs: 2000 });
    const err = await catchError(adapter.chat(hello, { timeouts: { totalMs: 100 } }));
    expect(err.category).toBe('timeout');
    expect(err.code).toBe('total_timeout');
  });

  it('maps a connection reset to a retryable server error', async () => {
    sim.script({ reset: true });
    const err = await catchError(adapter.chat(hello));
    expect(err.category).toBe('server_error');
    expect(err.retryable).toBe(true);
  });

  it('detects a stream cut half-way', async () => {
    sim.script({ cutAfter: 3 });
    const chunks: ChatChunk[] = [];
    let error: unknown;
    try {
      for await (const c of adapter.chatStream(hello)) chunks.push(c);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).category).toBe('server_error');
    expect(['stream_truncated', 'connection_reset']).toContain((error as ProviderError).code);
    expect(chunks.some((c) => c.usage)).toBe(false);
  });

  it('rejects a malformed stream chunk with a typed error', async () => {
    sim.script({ malformedAt: 2 });
    const err = await catchError(collect(adapter.chatStream(hello)));
    expect(err.category).toBe('server_error');
    expect(err.code).toBe('malformed_chunk');
  });

  it('says when the upstream has accepted a stream, before its first chunk, and never for a refused one', async () => {
    sim.script({ firstFrameDelayMs: 150 });
    const events: string[] = [];
    for await (const c of adapter.chatStream(hello, { onOpen: () => events.push('open') })) events.push(c.usage ? 'usage' : 'chunk');
    expect(events[0]).toBe('open');
    expect(events.filter((e) => e === 'open')).toHaveLength(1);
    expect(events).toContain('chunk');

    sim.script({ error: 'server_error' });
    let opened = false;
    await catchError(collect(adapter.chatStream(hello, { onOpen: () => (opened = true) })));
    expect(opened).toBe(false);
  });

  it('maps an error event inside the stream', async () => {
    sim.script({ streamErrorAt: 2, error: 'overloaded' });
    const before: ChatChunk[] = [];
    const err = await catchError(
      (async () => {
        for await (const c of adapter.chatStream(hello)) before.push(c);
      })(),
    );
    expect(before.length).toBeGreaterThan(0); // the error came inside the stream, after a 200
    expect(before.some((c) => c.usage)).toBe(false);
    expect(['overloaded', 'server_error']).toContain(err.category);
    expect(err.retryable).toBe(true);
  });

  it('propagates an abort to the upstream and reports it as aborted', async () => {
    sim.script({ tokensPerSecond: 20 });
    const ac = new AbortController();
    const seen: ChatChunk[] = [];
    const err = await catchError(
      (async () => {
        for await (const c of adapter.chatStream({ ...hello, messages: [{ role: 'user', content: 'one two three four five six seven eight nine ten' }] }, { signal: ac.signal })) {
          seen.push(c);
          if (seen.length === 2) ac.abort();
        }
      })(),
    );
    expect(err.category).toBe('aborted');
    expect(err.retryable).toBe(false);
    expect(seen.length).toBe(2);
  });

  it('counts usage with the tokenizer when the upstream reports none', async () => {
    sim.script({ noUsage: true }, { noUsage: true });
    const res = await adapter.chat(hello);
    expect(res.usage!.prompt_tokens).toBeGreaterThan(5);
    expect(res.usage!.completion_tokens).toBe(5); // "You said: hello there" in o200k
    const chunks = await collect(adapter.chatStream(hello));
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage!.completion_tokens).toBe(5);
  });

  it('prices each request from its usage with the price in force', async () => {
    const table = new PriceTable([
      { provider: target.provider, model: '*', effectiveFrom: '2020-01-01', inputPerMTok: 1, outputPerMTok: 1 },
      { provider: target.provider, model: '*', effectiveFrom: '2024-01-01', inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 },
    ]);
    sim.script({ cachedTokens: 4 });
    const res = await adapter.chat(hello);
    const u = res.usage!;
    const cost = table.cost(target.provider, res.model, u, new Date('2025-06-01'))!;
    const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
    expect(cost.output).toBeCloseTo((u.completion_tokens * 8) / 1e6, 12);
    expect(cost.input).toBeCloseTo(((u.prompt_tokens - cached) * 2) / 1e6, 12);
    expect(cost.cachedInput).toBeCloseTo((cached * 0.5) / 1e6, 12);
    expect(cost.total).toBeGreaterThan(0);
    const old = table.cost(target.provider, res.model, u, new Date('2021-06-01'))!;
    expect(old.output).toBeCloseTo(u.completion_tokens / 1e6, 12);
  });

  it('reports cached and reasoning tokens where the provider reports them', async () => {
    sim.script({ cachedTokens: 4, reasoningTokens: 3 });
    const res = await adapter.chat(hello);
    const details = target.tokenDetails ?? ['cached', 'reasoning'];
    expect(res.usage!.prompt_tokens_details?.cached_tokens ?? 0).toBe(details.includes('cached') ? 4 : 0);
    expect(res.usage!.completion_tokens_details?.reasoning_tokens ?? 0).toBe(details.includes('reasoning') ? 3 : 0);
  });
});
