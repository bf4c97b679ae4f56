/**
 * OpenAI wire format (chat completions, completions, embeddings, models) and
 * its flavours: Azure OpenAI (deployment paths, api-key, prompt-filter chunk)
 * and Mistral (flat error body, usage on the last content chunk, whole tool
 * calls per chunk, `any` tool choice, `random_seed`).
 */
import { embedText, embeddingTokens, answer, fixedPieces } from '../engine';
import { embeddingToBase64 } from '../../core/embedding-encoding';
import type { SimAnswer, SimMessage, SimRequest, SimToolChoice } from '../engine';
import { SimBadRequest } from '../server';
import type { Frame, ParsedOperation, SimContext, SimErrorResponse, SimProtocol, SimResult, SimRoute } from '../server';
import type { SimErrorKind, SimScenario } from '../scenario';
import { hash } from '../engine';

export type OpenAIFlavor = 'openai' | 'azure' | 'mistral';

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function textOfContent(content: unknown): { text: string; images: number } {
  if (typeof content === 'string') return { text: content, images: 0 };
  let text = '';
  let images = 0;
  if (Array.isArray(content)) {
    for (const p of content) {
      if (!isObj(p)) continue;
      if (p['type'] === 'text' && typeof p['text'] === 'string') text += p['text'];
      else if (p['type'] === 'image_url') images++;
    }
  }
  return { text, images };
}

function parseChatBody(flavor: OpenAIFlavor, body: unknown, ctx: SimContext): SimRequest {
  if (!isObj(body)) throw new SimBadRequest('request body must be a JSON object');
  const model = flavor === 'azure' ? (ctx.params['deployment'] ?? '') : body['model'];
  if (typeof model !== 'string' || model.length === 0) throw new SimBadRequest("you must provide a model parameter");
  const rawMessages = body['messages'];
  if (!Array.isArray(rawMessages) || rawMessages.length === 0) throw new SimBadRequest("'messages' must be a non-empty array");
  const messages: SimMessage[] = [];
  for (const m of rawMessages) {
    if (!isObj(m) || typeof m['role'] !== 'string') throw new SimBadRequest('each message needs a role');
    const role = m['role'];
    if (role !== 'system' && role !== 'developer' && role !== 'user' && role !== 'assistant' && role !== 'tool') {
      throw new SimBadRequest(`invalid role '${role}'`);
    }
    if (flavor === 'mistral' && role === 'developer') throw new SimBadRequest("role 'developer' is not supported");
    if (role === 'tool' && typeof m['tool_call_id'] !== 'string') throw new SimBadRequest("tool messages need 'tool_call_id'");
    const { text, images } = textOfContent(m['content']);
    messages.push({ role: role === 'developer' ? 'system' : role, text, images });
  }
  const tools: SimRequest['tools'] = [];
  if (Array.isArray(body['tools'])) {
    for (const t of body['tools']) {
      if (!isObj(t) || !isObj(t['function']) || typeof t['function']['name'] !== 'string') throw new SimBadRequest('invalid tool definition');
      tools.push({ name: t['function']['name'], parameters: isObj(t['function']['parameters']) ? t['function']['parameters'] : undefined });
    }
  }
  let toolChoice: SimToolChoice = 'auto';
  const tc = body['tool_choice'];
  if (tc === 'none' || tc === 'auto' || tc === 'required') toolChoice = tc;
  else if (tc === 'any' && flavor === 'mistral') toolChoice = 'required';
  else if (isObj(tc) && isObj(tc['function']) && typeof tc['function']['name'] === 'string') toolChoice = { name: tc['function']['name'] };
  else if (tc !== undefined && tc !== null) throw new SimBadRequest(`invalid tool_choice ${JSON.stringify(tc)}`);
  let json: SimRequest['json'];
  const rf = body['response_format'];
  if (isObj(rf)) {
    if (rf['type'] === 'json_object') json = 'object';
    else if (rf['type'] === 'json_schema' && isObj(rf['json_schema'])) json = { schema: isObj(rf['json_schema']['schema']) ? rf['json_schema']['schema'] : {} };
  }
  if (flavor === 'mistral' && body['max_completion_tokens'] !== undefined) throw new SimBadRequest('extra field max_completion_tokens not permitted');
  if (flavor === 'mistral' && body['seed'] !== undefined) throw new SimBadRequest('extra field seed not permitted (use random_seed)');
  const maxTokens = num(body['max_completion_tokens']) ?? num(body['max_tokens']);
  const stop = typeof body['stop'] === 'string' ? [body['stop']] : Array.isArray(body['stop']) ? (body['stop'] as string[]) : undefined;
  return { model, messages, tools, toolChoice, json, maxTokens, stop, stream: body['stream'] === true, n: num(body['n']) ?? 1 };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function usageBody(flavor: OpenAIFlavor, a: SimAnswer): Json {
  const u: Json = { prompt_tokens: a.promptTokens, completion_tokens: a.completionTokens, total_tokens: a.promptTokens + a.completionTokens };
  if (flavor !== 'mistral') {
    u['prompt_tokens_details'] = { cached_tokens: a.cachedTokens, audio_tokens: 0 };
    u['completion_tokens_details'] = { reasoning_tokens: a.reasoningTokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 };
  }
  return u;
}

function responseId(prefix: string, req: SimRequest): string {
  const last = req.messages[req.messages.length - 1];
  return `${prefix}${hash(req.model + (last?.text ?? '') + req.messages.length).toString(36)}`;
}

function chatMessage(flavor: OpenAIFlavor, a: SimAnswer): Json {
  const msg: Json = { role: 'assistant', content: a.toolCalls.length > 0 ? null : a.text };
  if (flavor !== 'mistral') {
    msg['refusal'] = null;
    msg['annotations'] = [];
  }
  if (a.toolCalls.length > 0) {
    msg['tool_calls'] = a.toolCalls.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } }));
  }
  return msg;
}

function chatResponse(flavor: OpenAIFlavor, req: SimRequest, a: SimAnswer): Json {
  const choices = [];
  for (let i = 0; i < Math.max(1, req.n); i++) {
    const c: Json = { index: i, message: chatMessage(flavor, a), finish_reason: a.finish };
    if (flavor !== 'mistral') c['logprobs'] = null;
    if (flavor === 'azure') c['content_filter_results'] = {};
    choices.push(c);
  }
  const body: Json = {
    id: responseId('chatcmpl-', req),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: req.model,
    choices,
  };
  if (!a.noUsage) body['usage'] = usageBody(flavor, a);
  if (flavor === 'openai') {
    body['service_tier'] = 'default';
    body['system_fingerprint'] = 'fp_sim';
  }
  if (flavor === 'azure') body['prompt_filter_results'] = [{ prompt_index: 0, content_filter_results: {} }];
  return body;
}

const sse = (data: unknown): string => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

function chatStreamFrames(flavor: OpenAIFlavor, req: SimRequest, a: SimAnswer, includeUsage: boolean): Frame[] {
  const id = responseId('chatcmpl-', req);
  const created = Math.floor(Date.now() / 1000);
  const base = (choices: Json[], extra?: Json): Json => {
    const c: Json = { id, object: 'chat.completion.chunk', created, model: req.model };
    if (flavor === 'openai') {
      c['service_tier'] = 'default';
      c['system_fingerprint'] = 'fp_sim';
    }
    c['choices'] = choices;
    if (includeUsage && flavor !== 'mistral') c['usage'] = null;
    return extra ? { ...c, ...extra } : c;
  };
  const choice = (index: number, delta: Json, finish: string | null): Json => {
    const c: Json = { index, delta, finish_reason: finish };
    if (flavor !== 'mistral') c['logprobs'] = null;
    return c;
  };
  const frames: Frame[] = [];
  if (flavor === 'azure') frames.push(sse({ id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] }));
  const n = Math.max(1, req.n);
  for (let i = 0; i < n; i++) {
    const roleDelta: Json = { role: 'assistant', content: flavor === 'mistral' ? '' : '' };
    if (flavor === 'openai') roleDelta['refusal'] = null;
    frames.push(sse(base([choice(i, roleDelta, null)])));
    if (a.toolCalls.length > 0) {
      a.toolCalls.forEach((t, ti) => {
        if (flavor === 'mistral') {
          frames.push(sse(base([choice(i, { tool_calls: [{ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments }, index: ti }] }, null)])));
          return;
        }
        frames.push(sse(base([choice(i, { tool_calls: [{ index: ti, id: t.id, type: 'function', function: { name: t.name, arguments: '' } }] }, null)])));
        for (const frag of fixedPieces(t.arguments, 7)) {
          frames.push(sse(base([choice(i, { tool_calls: [{ index: ti, function: { arguments: frag } }] }, null)])));
        }
      });
    } else {
      for (const p of a.pieces) frames.push(sse(base([choice(i, { content: p }, null)])));
    }
    const last = i === n - 1;
    if (flavor === 'mistral' && last && !a.noUsage) {
      frames.push(sse(base([choice(i, { content: '' }, a.finish)], { usage: usageBody(flavor, a) })));
    } else {
      frames.push(sse(base([choice(i, {}, a.finish)])));
    }
  }
  if (includeUsage && flavor !== 'mistral' && !a.noUsage) frames.push(sse(base([], { usage: usageBody(flavor, a) })));
  frames.push(sse('[DONE]'));
  return frames;
}

// ----------------------------------------------------------- completions

function completionOp(flavor: OpenAIFlavor, body: unknown, ctx: SimContext): ParsedOperation {
  if (!isObj(body)) throw new SimBadRequest('request body must be a JSON object');
  const model = flavor === 'azure' ? (ctx.params['deployment'] ?? '') : body['model'];
  if (typeof model !== 'string' || model === '') throw new SimBadRequest('you must provide a model parameter');
  const prompt = Array.isArray(body['prompt']) ? String(body['prompt'][0] ?? '') : typeof body['prompt'] === 'string' ? body['prompt'] : undefined;
  if (prompt === undefined) throw new SimBadRequest("'prompt' is required");
  const req: SimRequest = {
    model,
    messages: [{ role: 'user', text: prompt }],
    tools: [],
    toolChoice: 'auto',
    json: undefined,
    maxTokens: num(body['max_tokens']) ?? 16,
    stop: typeof body['stop'] === 'string' ? [body['stop']] : Array.isArray(body['stop']) ? (body['stop'] as string[]) : undefined,
    stream: body['stream'] === true,
    n: num(body['n']) ?? 1,
  };
  const includeUsage = isObj(body['stream_options']) && body['stream_options']['include_usage'] === true;
  const echo = body['echo'] === true;
  return {
    promptText: prompt,
    run(s: SimScenario): SimResult {
      const a = answer(req, s);
      const id = responseId('cmpl-', req);
      const created = Math.floor(Date.now() / 1000);
      const finish = a.finish === 'tool_calls' ? 'stop' : a.finish;
      if (!req.stream) {
        const out: Json = {
          id,
          object: 'text_completion',
          created,
          model,
          choices: [{ text: (echo ? prompt : '') + a.text, index: 0, logprobs: null, finish_reason: finish }],
        };
        if (!a.noUsage) out['usage'] = { prompt_tokens: a.promptTokens, completion_tokens: a.completionTokens, total_tokens: a.promptTokens + a.completionTokens };
        return { kind: 'json', body: out };
      }
      const frames: Frame[] = [];
      const chunk = (text: string, fr: string | null) => ({ id, object: 'text_completion', created, choices: [{ text, index: 0, logprobs: null, finish_reason: fr }], model });
      if (echo) frames.push(sse(chunk(prompt, null)));
      for (const p of a.pieces) frames.push(sse(chunk(p, null)));
      frames.push(sse(chunk('', finish)));
      if (includeUsage && !a.noUsage) {
        frames.push(sse({ id, object: 'text_completion', created, model, choices: [], usage: { prompt_tokens: a.promptTokens, completion_tokens: a.completionTokens, total_tokens: a.promptTokens + a.completionTokens } }));
      }
      frames.push(sse('[DONE]'));
      return { kind: 'stream', contentType: 'text/event-stream; charset=utf-8', frames };
    },
  };
}

// ----------------------------------------------------------- embeddings

function embeddingOp(flavor: OpenAIFlavor, body: unknown, ctx: SimContext): ParsedOperation {
  if (!isObj(body)) throw new SimBadRequest('request body must be a JSON object');
  const model = flavor === 'azure' ? (ctx.params['deployment'] ?? '') : body['model'];
  if (typeof model !== 'string' || model === '') throw new SimBadRequest('you must provide a model parameter');
  const raw = body['input'];
  let inputs: string[];
  let tokenInputs = 0;
  if (typeof raw === 'string') inputs = [raw];
  else if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) inputs = raw as string[];
  else if (Array.isArray(raw) && raw.every((x) => typeof x === 'number')) {
    inputs = [(raw as number[]).join(' ')];
    tokenInputs = raw.length;
  } else if (Array.isArray(raw) && raw.every((x) => Array.isArray(x))) {
    inputs = (raw as number[][]).map((x) => x.join(' '));
    tokenInputs = (raw as number[][]).reduce((n, x) => n + x.length, 0);
  } else throw new SimBadRequest("'input' must be a string, an array of strings or token arrays");
  if (inputs.length === 0) throw new SimBadRequest("'input' must not be empty");
  const dims = num(body['dimensions']) ?? 16;
  const base64 = body['encoding_format'] === 'base64';
  return {
    promptText: inputs.join('\n'),
    run(): SimResult {
      const prompt = tokenInputs > 0 ? tokenInputs : inputs.reduce((n, t) => n + embeddingTokens(t), 0);
      return {
        kind: 'json',
        body: {
          ...(flavor === 'mistral' ? { id: `embd-${hash(inputs.join('|')).toString(36)}` } : {}),
          object: 'list',
          data: inputs.map((t, index) => {
            const v = embedText(t, dims);
            return { object: 'embedding', index, embedding: base64 ? embeddingToBase64(v) : v };
          }),
          model,
          usage: { prompt_tokens: prompt, total_tokens: prompt },
        },
      };
    },
  };
}

// ----------------------------------------------------------- errors

function errorFor(flavor: OpenAIFlavor, kind: SimErrorKind, message: string, status?: number, retryAfter?: number): SimErrorResponse {
  let s: number;
  let type: string;
  let code: string | null = null;
  let param: string | null = null;
  switch (kind) {
    case 'rate_limit':
      s = 429;
      type = 'requests';
      code = 'rate_limit_exceeded';
      break;
    case 'server_error':
      s = 500;
      type = 'server_error';
      break;
    case 'overloaded':
      s = 503;
      type = 'server_error';
      code = 'overloaded';
      break;
    case 'auth':
      s = 401;
      type = 'invalid_request_error';
      code = 'invalid_api_key';
      break;
    case 'bad_request':
      s = 400;
      type = 'invalid_request_error';
      break;
    case 'not_found':
      s = 404;
      type = 'invalid_request_error';
      code = flavor === 'azure' ? 'DeploymentNotFound' : 'model_not_found';
      break;
    case 'content_filter':
      s = 400;
      type = 'invalid_request_error';
      code = flavor === 'azure' ? 'content_filter' : 'content_policy_violation';
      param = 'prompt';
      break;
    case 'timeout':
      s = 504;
      type = 'timeout';
      code = 'timeout';
      break;
  }
  s = status ?? s;
  const headers: Record<string, string> = retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {};
  if (flavor === 'mistral') {
    return { status: s, headers, body: { object: 'error', message, type, param, code } };
  }
  return { status: s, headers, body: { error: { message, type, param, code } } };
}

// ----------------------------------------------------------- protocol

export function openaiProtocol(flavor: OpenAIFlavor, options: { authOptional?: boolean } = {}): SimProtocol {
  return {
    name: flavor,
    route(method, path): SimRoute | undefined {
      if (flavor === 'azure') {
        const prefix = '/openai/deployments/';
        if (method !== 'POST' || !path.startsWith(prefix)) return undefined;
        const rest = path.slice(prefix.length);
        const slash = rest.indexOf('/');
        if (slash === -1) return undefined;
        const deployment = decodeURIComponent(rest.slice(0, slash));
        const op = rest.slice(slash + 1);
        const name = op === 'chat/completions' ? 'chat' : op === 'embeddings' ? 'embed' : op === 'completions' ? 'completion' : undefined;
        return name === undefined ? undefined : { op: name, params: { deployment } };
      }
      if (method === 'GET' && path === '/v1/models') return { op: 'models', params: {} };
      if (method !== 'POST') return undefined;
      if (path === '/v1/chat/completions') return { op: 'chat', params: {} };
      if (path === '/v1/embeddings') return { op: 'embed', params: {} };
      if (path === '/v1/completions' && flavor !== 'mistral') return { op: 'completion', params: {} };
      return undefined;
    },
    authorized(ctx) {
      if (options.authOptional === true) return true; // local servers (vLLM, LM Studio) run without keys
      if (flavor === 'azure') {
        const k = ctx.headers['api-key'];
        if (typeof k === 'string' && k.length > 0) return true;
      }
      const a = ctx.headers['authorization'];
      return typeof a === 'string' && a.startsWith('Bearer ') && a.length > 7;
    },
    parse(route: SimRoute, body: unknown, ctx: SimContext): ParsedOperation {
      if (flavor === 'azure' && !ctx.url.searchParams.has('api-version')) throw new SimBadRequest('Missing required query parameter: api-version');
      switch (route.op) {
        case 'models':
          return {
            promptText: '',
            run: () => ({
              kind: 'json',
              body: { object: 'list', data: ['sim-chat', 'sim-embed'].map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'conduit-sim' })) },
            }),
          };
        case 'embed':
          return embeddingOp(flavor, body, ctx);
        case 'completion':
          return completionOp(flavor, body, ctx);
        default: {
          const req = parseChatBody(flavor, body, ctx);
          const b = body as Json;
          const includeUsage = flavor === 'mistral' || (isObj(b['stream_options']) && b['stream_options']['include_usage'] === true);
          return {
            promptText: req.messages.map((m) => m.text).join('\n'),
            run(s) {
              const a = answer(req, s);
              if (!req.stream) return { kind: 'json', body: chatResponse(flavor, req, a) };
              return { kind: 'stream', contentType: 'text/event-stream; charset=utf-8', frames: chatStreamFrames(flavor, req, a, includeUsage) };
            },
          };
        }
      }
    },
    error: (kind, message, _ctx, status, retryAfter) => errorFor(flavor, kind, message, status, retryAfter),
    streamError(kind) {
      const e = errorFor(flavor, kind, 'error in stream (simulated)');
      return sse(flavor === 'mistral' ? { error: e.body } : e.body);
    },
    malformedFrame: () => 'data: {"id":"chatcmpl-broken","choices":[{"delta":\n\n',
  };
}
