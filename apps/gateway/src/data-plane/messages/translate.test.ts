import { GatewayError } from '@conduit/contracts';
import { type ChatChunk, type ChatResponse, ProviderError } from '@conduit/providers';
import { describe, expect, it } from 'vitest';
import { anthropicErrorType, renderAnthropicError } from './errors.js';
import { toChatRequest, validateMessagesRequest } from './request.js';
import { anthropicUsage, toAnthropicMessage } from './response.js';
import { MessagesStreamTranslator } from './stream.js';

const translate = (body: Record<string, unknown>) => toChatRequest(validateMessagesRequest({ model: 'm', max_tokens: 10, ...body }));

function rejects(body: Record<string, unknown>, param: string) {
  let err: unknown;
  try {
    translate(body);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(GatewayError);
  expect((err as GatewayError).extra.param).toBe(param);
}

describe('Anthropic request → unified chat request', () => {
  it('puts tool results before the rest of the user turn, and keeps documents and text sources', () => {
    const req = translate({
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 's' }, { type: 'tool_use', id: 't1', name: 'f', input: { a: 1 } }, { type: 'tool_use', id: 't2', name: 'g', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'both done' },
            { type: 'tool_result', tool_use_id: 't1', content: 'one' },
            { type: 'tool_result', tool_use_id: 't2', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], is_error: true },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'spec.pdf' },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain doc' } },
          ],
        },
      ],
    });
    expect(req.messages).toEqual([
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 't1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
          { id: 't2', type: 'function', function: { name: 'g', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 't1', content: 'one' },
      { role: 'tool', tool_call_id: 't2', content: 'a\nb' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'both done' },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'spec.pdf' } },
          { type: 'text', text: 'plain doc' },
        ],
      },
    ]);
  });

  it('maps sampling and tool options, drops top_k, and asks the adapter for stream usage', () => {
    const req = translate({
      system: 'sys',
      messages: [{ role: 'user', content: 'hi' }],
      top_k: 5,
      stream: true,
      tool_choice: { type: 'auto' }, // without tools: not sent (OpenAI-shaped providers reject it)
    });
    expect(req).toEqual({
      model: 'm',
      max_tokens: 10,
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'hi' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('rejects what it cannot express, naming the field', () => {
    rejects({ max_tokens: undefined, messages: [{ role: 'user', content: 'x' }] }, 'max_tokens');
    rejects({ max_tokens: 1.5, messages: [{ role: 'user', content: 'x' }] }, 'max_tokens');
    rejects({ messages: [] }, 'messages');
    rejects({ messages: [{ role: 'user', content: 'x' }], top_k: -1 }, 'top_k');
    rejects({ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools.0.type');
    rejects({ messages: [{ role: 'user', content: 'x' }], tools: [{ name: 'f' }] }, 'tools.0.input_schema');
    rejects({ messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'tool' } }, 'tool_choice.name');
    rejects({ messages: [{ role: 'user', content: 'x' }], thinking: { type: 'enabled', budget_tokens: 1024 } }, 'thinking');
    rejects({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] }, 'messages.0.content.0.source.type');
    rejects(
      { messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: { type: 'url', url: 'u' } }] }] }] },
      'messages.0.content.0.content.0',
    );
    rejects({ messages: [{ role: 'assistant', content: [{ type: 'server_tool_use', id: 'x', name: 'web_search', input: {} }] }] }, 'messages.0.content.0.type');
  });
});

describe('unified answers → Anthropic message', () => {
  const response = (message: ChatResponse['choices'][number]['message'], finish: ChatResponse['choices'][number]['finish_reason'], extra: object = {}): ChatResponse => ({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 0,
    model: 'up',
    choices: [{ index: 0, message, finish_reason: finish, logprobs: null, ...extra }],
    usage: { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107, prompt_tokens_details: { cached_tokens: 60 } },
  });

  it('splits cache reads out of input_tokens, as Anthropic reports them', () => {
    expect(anthropicUsage(response({ role: 'assistant', content: 'x', refusal: null }, 'stop').usage)).toEqual({
      input_tokens: 40,
      output_tokens: 7,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 60,
    });
    expect(anthropicUsage({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 })).toEqual({ input_tokens: 5, output_tokens: 2 });
  });

  it('maps stop reasons; stop_sequence only with evidence of the sequence', () => {
    const opts = { model: 'public', requestId: 'req_1', stopSequences: ['END'] };
    const text = { role: 'assistant' as const, content: 'hi', refusal: null };
    expect(toAnthropicMessage(response(text, 'stop'), opts)).toMatchObject({ stop_reason: 'end_turn', stop_sequence: null, model: 'public', id: 'msg_chatcmpl-1' });
    expect(toAnthropicMessage(response(text, 'length'), opts).stop_reason).toBe('max_tokens');
    expect(toAnthropicMessage(response(text, 'content_filter'), opts).stop_reason).toBe('refusal');
    expect(toAnthropicMessage(response(text, 'stop', { stop_reason: 'END' }), opts)).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
    const calls = { role: 'assistant' as const, content: null, refusal: null, tool_calls: [{ id: 'c1', type: 'function' as const, function: { name: 'f', arguments: 'not json' } }] };
    const m = toAnthropicMessage(response(calls, 'stop'), opts); // some providers end tool turns with "stop"
    expect(m.stop_reason).toBe('tool_use');
    expect(m.content).toEqual([{ type: 'tool_use', id: 'c1', name: 'f', input: { _raw: 'not json' } }]);
  });
});

describe('unified stream → Anthropic SSE events', () => {
  const chunk = (delta: ChatChunk['choices'][number]['delta'], finish: ChatChunk['choices'][number]['finish_reason'] = null): ChatChunk => ({
    id: 'chatcmpl-9',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'up',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const parse = (sse: string) =>
    sse
      .split('\n\n')
      .filter(Boolean)
      .map((b) => JSON.parse(b.slice(b.indexOf('data: ') + 6)) as { type: string; index?: number; delta?: any; content_block?: any; usage?: any; message?: any });

  it('opens a block per kind of content, closes it before the next, and ends with usage', () => {
    const t = new MessagesStreamTranslator({ model: 'public', requestId: 'req_1', estimatedInputTokens: 12 });
    let sse = t.push(chunk({ role: 'assistant', content: '' }));
    sse += t.push(chunk({ content: 'Let me ' }));
    sse += t.push(chunk({ content: 'look.' }));
    sse += t.push(chunk({ tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '' } }] }));
    sse += t.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }));
    sse += t.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }));
    sse += t.push(chunk({ tool_calls: [{ index: 1, id: 'c2', type: 'function', function: { name: 'g', arguments: '{}' } }] }));
    sse += t.push(chunk({}, 'tool_calls'));
    sse += t.push({ ...chunk({}), choices: [], usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 } });
    sse += t.end();
    const events = parse(sse);
    expect(events.map((e) => e.type + (e.index !== undefined ? `#${e.index}` : ''))).toEqual([
      'message_start',
      'ping',
      'content_block_start#0',
      'content_block_delta#0',
      'content_block_delta#0',
      'content_block_stop#0',
      'content_block_start#1',
      'content_block_delta#1',
      'content_block_delta#1',
      'content_block_stop#1',
      'content_block_start#2',
      'content_block_delta#2',
      'content_block_stop#2',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]!.message).toMatchObject({ id: 'msg_chatcmpl-9', model: 'public', usage: { input_tokens: 12, output_tokens: 0 } });
    expect(events[6]!.content_block).toEqual({ type: 'tool_use', id: 'c1', name: 'f', input: {} });
    expect(events[7]!.delta).toEqual({ type: 'input_json_delta', partial_json: '{"a":' });
    expect(events[13]).toEqual({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { input_tokens: 20, output_tokens: 9 } });
  });

  it('still makes a whole message of an empty stream', () => {
    const t = new MessagesStreamTranslator({ model: 'public', requestId: 'req_1', estimatedInputTokens: 3 });
    expect(parse(t.end()).map((e) => e.type)).toEqual(['message_start', 'ping', 'message_delta', 'message_stop']);
  });
});

describe('errors → Anthropic error shape', () => {
  it('picks the type from the status so the SDK raises the matching class, and keeps the stable code', () => {
    expect([400, 401, 403, 404, 413, 429, 500, 502, 503, 504].map(anthropicErrorType)).toEqual([
      'invalid_request_error',
      'authentication_error',
      'permission_error',
      'not_found_error',
      'request_too_large',
      'rate_limit_error',
      'api_error',
      'api_error',
      'overloaded_error',
      'timeout_error',
    ]);
    const e = renderAnthropicError(new GatewayError('model_not_allowed', 'nope', { param: 'model' }), 'req_x');
    expect(e.status).toBe(403);
    expect(e.body).toEqual({ type: 'error', error: { type: 'permission_error', message: 'nope', details: { error_code: 'model_not_allowed', param: 'model' } }, request_id: 'req_x' });
    const up = renderAnthropicError(new ProviderError({ category: 'overloaded', provider: 'openai', message: 'busy', retryAfterMs: 2000 }), 'req_y');
    expect(up).toMatchObject({ status: 503, headers: { 'retry-after': '2' }, body: { error: { type: 'overloaded_error', details: { error_code: 'upstream_overloaded' } } } });
  });
});
