/**
 * Anthropic Messages API wire format: `POST /v1/messages` (JSON and SSE with
 * named events), `x-api-key` + `anthropic-version` headers, required
 * `max_tokens`, tool_use / tool_result pairing, `{type:"error"}` bodies,
 * 529 overloaded.
 */
import { answer, fixedPieces, hash } from '../engine';
import type { SimAnswer, SimMessage, SimRequest, SimToolChoice } from '../engine';
import { SimBadRequest } from '../server';
import type { Frame, ParsedOperation, SimErrorResponse, SimProtocol, SimRoute } from '../server';
import type { SimErrorKind } from '../scenario';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A model that follows a "reply in JSON" instruction. */
export function asksForJson(system: string): boolean {
  return system.toLowerCase().includes('single json object');
}

function blocksText(content: unknown, seenToolUse: Set<string>, role: string): { text: string; images: number; toolResult: boolean } {
  if (typeof content === 'string') return { text: content, images: 0, toolResult: false };
  if (!Array.isArray(content)) throw new SimBadRequest(`messages: content must be a string or an array of blocks`);
  let text = '';
  let images = 0;
  let toolResult = false;
  for (const b of content) {
    if (!isObj(b) || typeof b['type'] !== 'string') throw new SimBadRequest('messages: each content block needs a type');
    switch (b['type']) {
      case 'text':
        if (typeof b['text'] !== 'string') throw new SimBadRequest('text block needs text');
        text += b['text'];
        break;
      case 'image':
      case 'document': {
        const src = b['source'];
        if (!isObj(src) || (src['type'] !== 'base64' && src['type'] !== 'url')) throw new SimBadRequest(`${b['type']} block needs a base64 or url source`);
        images++;
        break;
      }
      case 'tool_use':
        if (role !== 'assistant') throw new SimBadRequest('tool_use blocks are only allowed in assistant messages');
        if (typeof b['id'] !== 'string' || typeof b['name'] !== 'string' || !isObj(b['input'])) throw new SimBadRequest('tool_use block needs id, name and an object input');
        seenToolUse.add(b['id']);
        break;
      case 'tool_result': {
        if (role !== 'user') throw new SimBadRequest('tool_result blocks are only allowed in user messages');
        const id = b['tool_use_id'];
        if (typeof id !== 'string' || !seenToolUse.has(id)) {
          throw new SimBadRequest(`unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
        }
        const c = b['content'];
        text += typeof c === 'string' ? c : Array.isArray(c) ? c.map((x) => (isObj(x) && typeof x['text'] === 'string' ? x['text'] : '')).join('') : '';
        toolResult = true;
        break;
      }
      case 'thinking':
      case 'redacted_thinking':
        break;
      default:
        throw new SimBadRequest(`unknown content block type ${String(b['type'])}`);
    }
  }
  return { text, images, toolResult };
}

export function parseAnthropicRequest(body: unknown): SimRequest {
  if (!isObj(body)) throw new SimBadRequest('request body must be a JSON object');
  if (typeof body['model'] !== 'string' || body['model'] === '') throw new SimBadRequest('model: Field required');
  if (typeof body['max_tokens'] !== 'number') throw new SimBadRequest('max_tokens: Field required');
  if (!Array.isArray(body['messages']) || body['messages'].length === 0) throw new SimBadRequest('messages: at least one message is required');
  const t = body['temperature'];
  if (t !== undefined && (typeof t !== 'number' || t < 0 || t > 1)) throw new SimBadRequest('temperature: range: 0..1');
  const messages: SimMessage[] = [];
  const system = typeof body['system'] === 'string' ? body['system'] : Array.isArray(body['system']) ? blocksText(body['system'], new Set(), 'system').text : '';
  if (system !== '') messages.push({ role: 'system', text: system });
  const toolUses = new Set<string>();
  for (const m of body['messages']) {
    if (!isObj(m) || (m['role'] !== 'user' && m['role'] !== 'assistant')) throw new SimBadRequest('messages: role must be "user" or "assistant"');
    const { text, images, toolResult } = blocksText(m['content'], toolUses, m['role']);
    messages.push({ role: toolResult ? 'tool' : m['role'], text, images });
  }
  const tools: SimRequest['tools'] = [];
  if (Array.isArray(body['tools'])) {
    for (const tool of body['tools']) {
      if (!isObj(tool) || typeof tool['name'] !== 'string' || !isObj(tool['input_schema'])) throw new SimBadRequest('tools: each tool needs name and input_schema');
      tools.push({ name: tool['name'], parameters: tool['input_schema'] });
    }
  }
  let toolChoice: SimToolChoice = 'auto';
  const tc = body['tool_choice'];
  if (isObj(tc)) {
    if (tc['type'] === 'any') toolChoice = 'required';
    else if (tc['type'] === 'none') toolChoice = 'none';
    else if (tc['type'] === 'tool' && typeof tc['name'] === 'string') toolChoice = { name: tc['name'] };
    else if (tc['type'] !== 'auto') throw new SimBadRequest('tool_choice: invalid type');
  }
  let json: SimRequest['json'];
  const oc = body['output_config'];
  if (isObj(oc) && isObj(oc['format']) && oc['format']['type'] === 'json_schema') json = { schema: isObj(oc['format']['schema']) ? oc['format']['schema'] : {} };
  else if (asksForJson(system)) json = 'object';
  const stop = Array.isArray(body['stop_sequences']) ? (body['stop_sequences'] as string[]) : undefined;
  return { model: body['model'], messages, tools, toolChoice, json, maxTokens: body['max_tokens'], stop, stream: body['stream'] === true, n: 1 };
}

function stopReason(a: SimAnswer): string {
  return a.finish === 'tool_calls' ? 'tool_use' : a.finish === 'length' ? 'max_tokens' : 'end_turn';
}

function usage(a: SimAnswer, outputTokens: number): Json {
  return {
    input_tokens: a.promptTokens - a.cachedTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: a.cachedTokens,
    output_tokens: outputTokens,
    service_tier: 'standard',
    ...(a.reasoningTokens > 0 ? { output_tokens_details: { thinking_tokens: a.reasoningTokens } } : {}),
  };
}

function messageId(req: SimRequest): string {
  return `msg_sim${hash(req.model + (req.messages.at(-1)?.text ?? '') + req.messages.length).toString(36)}`;
}

const ev = (event: string, data: Json): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function streamFrames(req: SimRequest, a: SimAnswer): Frame[] {
  const frames: Frame[] = [];
  frames.push(
    ev('message_start', {
      type: 'message_start',
      message: { id: messageId(req), type: 'message', role: 'assistant', model: req.model, content: [], stop_reason: null, stop_sequence: null, ...(a.noUsage ? {} : { usage: usage(a, 1) }) },
    }),
  );
  if (a.toolCalls.length > 0) {
    a.toolCalls.forEach((t, i) => {
      frames.push(ev('content_block_start', { type: 'content_block_start', index: i, content_block: { type: 'tool_use', id: t.id, name: t.name, input: {} } }));
      frames.push(ev('content_block_delta', { type: 'content_block_delta', index: i, delta: { type: 'input_json_delta', partial_json: '' } }));
      for (const frag of fixedPieces(t.arguments, 7)) frames.push(ev('content_block_delta', { type: 'content_block_delta', index: i, delta: { type: 'input_json_delta', partial_json: frag } }));
      frames.push(ev('content_block_stop', { type: 'content_block_stop', index: i }));
    });
  } else {
    frames.push(ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
    frames.push(ev('ping', { type: 'ping' }));
    for (const p of a.pieces) frames.push(ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: p } }));
    frames.push(ev('content_block_stop', { type: 'content_block_stop', index: 0 }));
  }
  const md: Json = { type: 'message_delta', delta: { stop_reason: stopReason(a), stop_sequence: null } };
  if (!a.noUsage) md['usage'] = { output_tokens: a.completionTokens };
  frames.push(ev('message_delta', md));
  frames.push(ev('message_stop', { type: 'message_stop' }));
  return frames;
}

const ERRORS: Record<SimErrorKind, [number, string]> = {
  rate_limit: [429, 'rate_limit_error'],
  server_error: [500, 'api_error'],
  overloaded: [529, 'overloaded_error'],
  auth: [401, 'authentication_error'],
  bad_request: [400, 'invalid_request_error'],
  not_found: [404, 'not_found_error'],
  content_filter: [400, 'invalid_request_error'],
  timeout: [504, 'timeout_error'],
};

export function anthropicProtocol(): SimProtocol {
  return {
    name: 'anthropic',
    route(method, path): SimRoute | undefined {
      if (method === 'POST' && path === '/v1/messages') return { op: 'chat', params: {} };
      if (method === 'GET' && path === '/v1/models') return { op: 'models', params: {} };
      return undefined;
    },
    authorized(ctx) {
      const k = ctx.headers['x-api-key'];
      const a = ctx.headers['authorization'];
      return (typeof k === 'string' && k.length > 0) || (typeof a === 'string' && a.startsWith('Bearer ') && a.length > 7);
    },
    parse(route, body, ctx): ParsedOperation {
      if (typeof ctx.headers['anthropic-version'] !== 'string') throw new SimBadRequest('anthropic-version: header is required');
      if (route.op === 'models') {
        return {
          promptText: '',
          run: () => ({
            kind: 'json',
            body: { data: [{ type: 'model', id: 'claude-sim', display_name: 'Claude (simulated)', created_at: '2025-01-01T00:00:00Z' }], has_more: false, first_id: 'claude-sim', last_id: 'claude-sim' },
          }),
        };
      }
      const req = parseAnthropicRequest(body);
      return {
        promptText: req.messages.map((m) => m.text).join('\n'),
        run(s) {
          const a = answer(req, s, 'toolu_sim');
          if (req.stream) return { kind: 'stream', contentType: 'text/event-stream; charset=utf-8', frames: streamFrames(req, a) };
          const content = a.toolCalls.length > 0 ? a.toolCalls.map((t) => ({ type: 'tool_use', id: t.id, name: t.name, input: t.input })) : [{ type: 'text', text: a.text }];
          const out: Json = {
            id: messageId(req),
            type: 'message',
            role: 'assistant',
            model: req.model,
            content,
            stop_reason: stopReason(a),
            stop_sequence: null,
          };
          if (!a.noUsage) out['usage'] = usage(a, a.completionTokens);
          return { kind: 'json', body: out };
        },
      };
    },
    error(kind, message, ctx, status, retryAfter): SimErrorResponse {
      const [s, type] = ERRORS[kind];
      const msg = kind === 'content_filter' ? 'Output blocked by content filtering policy' : kind === 'overloaded' ? 'Overloaded' : message;
      const headers: Record<string, string> = { 'request-id': ctx.requestId };
      if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
      return { status: status ?? s, headers, body: { type: 'error', error: { type, message: msg }, request_id: ctx.requestId } };
    },
    streamError(kind) {
      const [, type] = ERRORS[kind];
      return ev('error', { type: 'error', error: { type, message: kind === 'overloaded' ? 'Overloaded' : 'error (simulated)' } });
    },
    malformedFrame: () => 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{\n\n',
  };
}
