/**
 * Ollama native wire format: `/api/chat` (streams NDJSON unless
 * `stream:false`), `/api/generate`, `/api/embed`, `/api/tags`,
 * `/api/version`; errors as `{"error": "..."}`.
 */
import { answer, embedText, embeddingTokens } from '../engine';
import type { SimAnswer, SimMessage, SimRequest } from '../engine';
import { SimBadRequest } from '../server';
import type { Frame, ParsedOperation, SimErrorResponse, SimProtocol, SimRoute } from '../server';
import type { SimErrorKind } from '../scenario';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseChat(body: unknown): SimRequest {
  if (!isObj(body)) throw new SimBadRequest('invalid request body');
  if (typeof body['model'] !== 'string' || body['model'] === '') throw new SimBadRequest('model is required');
  if (!Array.isArray(body['messages'])) throw new SimBadRequest('messages is required');
  const messages: SimMessage[] = [];
  for (const m of body['messages']) {
    if (!isObj(m) || typeof m['role'] !== 'string') throw new SimBadRequest('invalid message');
    const role = m['role'];
    if (role !== 'system' && role !== 'user' && role !== 'assistant' && role !== 'tool') throw new SimBadRequest(`invalid role: ${role}`);
    if (m['content'] !== undefined && typeof m['content'] !== 'string') throw new SimBadRequest('json: cannot unmarshal array into Go struct field Message.messages.content of type string');
    const images = Array.isArray(m['images']) ? m['images'].length : 0;
    if (Array.isArray(m['tool_calls'])) {
      for (const tc of m['tool_calls']) {
        if (!isObj(tc) || !isObj(tc['function']) || !isObj(tc['function']['arguments'])) {
          throw new SimBadRequest('json: cannot unmarshal string into Go struct field ToolCallFunction.messages.tool_calls.function.arguments of type api.ToolCallFunctionArguments');
        }
      }
    }
    messages.push({ role, text: typeof m['content'] === 'string' ? m['content'] : '', images });
  }
  const tools: SimRequest['tools'] = [];
  if (Array.isArray(body['tools'])) {
    for (const t of body['tools']) {
      if (!isObj(t) || !isObj(t['function']) || typeof t['function']['name'] !== 'string') throw new SimBadRequest('invalid tool');
      tools.push({ name: t['function']['name'], parameters: isObj(t['function']['parameters']) ? t['function']['parameters'] : undefined });
    }
  }
  const fmt = body['format'];
  const json: SimRequest['json'] = fmt === 'json' ? 'object' : isObj(fmt) ? { schema: fmt } : undefined;
  const opts = isObj(body['options']) ? body['options'] : {};
  return {
    model: body['model'],
    messages,
    tools,
    toolChoice: 'auto',
    json,
    maxTokens: typeof opts['num_predict'] === 'number' && opts['num_predict'] >= 0 ? opts['num_predict'] : undefined,
    stop: Array.isArray(opts['stop']) ? (opts['stop'] as string[]) : undefined,
    stream: body['stream'] !== false,
    n: 1,
  };
}

function stats(a: SimAnswer): Json {
  if (a.noUsage) return { total_duration: 1_200_000, load_duration: 100_000 };
  return {
    total_duration: 1_200_000 + a.completionTokens * 10_000,
    load_duration: 100_000,
    prompt_eval_count: a.promptTokens,
    prompt_eval_duration: 200_000,
    eval_count: a.completionTokens,
    eval_duration: a.completionTokens * 10_000,
  };
}

const line = (o: Json): string => JSON.stringify(o) + '\n';

function chatFrames(req: SimRequest, a: SimAnswer): Frame[] {
  const created = new Date().toISOString();
  const frames: Frame[] = [];
  if (a.toolCalls.length > 0) {
    frames.push(line({ model: req.model, created_at: created, message: { role: 'assistant', content: '', tool_calls: a.toolCalls.map((t) => ({ function: { name: t.name, arguments: t.input } })) }, done: false }));
  } else {
    for (const p of a.pieces) frames.push(line({ model: req.model, created_at: created, message: { role: 'assistant', content: p }, done: false }));
  }
  frames.push(line({ model: req.model, created_at: created, message: { role: 'assistant', content: '' }, done_reason: a.finish === 'length' ? 'length' : 'stop', done: true, ...stats(a) }));
  return frames;
}

const STATUS: Record<SimErrorKind, number> = {
  rate_limit: 429,
  server_error: 500,
  overloaded: 503,
  auth: 401,
  bad_request: 400,
  not_found: 404,
  content_filter: 400, // Ollama has no content filter: a plain bad request
  timeout: 504,
};

export function ollamaProtocol(): SimProtocol {
  return {
    name: 'ollama',
    route(method, path): SimRoute | undefined {
      if (method === 'GET' && path === '/api/tags') return { op: 'tags', params: {} };
      if (method === 'GET' && path === '/api/version') return { op: 'version', params: {} };
      if (method === 'GET' && path === '/') return { op: 'root', params: {} };
      if (method !== 'POST') return undefined;
      if (path === '/api/chat') return { op: 'chat', params: {} };
      if (path === '/api/generate') return { op: 'generate', params: {} };
      if (path === '/api/embed') return { op: 'embed', params: {} };
      return undefined;
    },
    authorized: () => true, // local Ollama has no auth
    parse(route, body): ParsedOperation {
      switch (route.op) {
        case 'root':
          return { promptText: '', run: () => ({ kind: 'json', body: 'Ollama is running' }) };
        case 'version':
          return { promptText: '', run: () => ({ kind: 'json', body: { version: '0.12.0-sim' } }) };
        case 'tags':
          return {
            promptText: '',
            run: () => ({
              kind: 'json',
              body: { models: [{ name: 'llama3.2:latest', model: 'llama3.2:latest', modified_at: '2025-01-01T00:00:00Z', size: 2019393189, digest: 'sim', details: { format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M', parent_model: '' } }] },
            }),
          };
        case 'embed': {
          if (!isObj(body) || typeof body['model'] !== 'string') throw new SimBadRequest('model is required');
          const input = body['input'];
          const texts = typeof input === 'string' ? [input] : Array.isArray(input) && input.every((x) => typeof x === 'string') ? (input as string[]) : undefined;
          if (texts === undefined) throw new SimBadRequest('invalid input type');
          const dims = typeof body['dimensions'] === 'number' ? body['dimensions'] : 16;
          const model = body['model'];
          return {
            promptText: texts.join('\n'),
            run: () => ({
              kind: 'json',
              body: { model, embeddings: texts.map((t) => embedText(t, dims)), total_duration: 1_000_000, load_duration: 100_000, prompt_eval_count: texts.reduce((n, t) => n + embeddingTokens(t), 0) },
            }),
          };
        }
        case 'generate': {
          if (!isObj(body) || typeof body['model'] !== 'string') throw new SimBadRequest('model is required');
          const prompt = typeof body['prompt'] === 'string' ? body['prompt'] : '';
          const req = parseChat({ ...body, messages: [{ role: 'user', content: prompt }] });
          return {
            promptText: prompt,
            run(s) {
              const a = answer(req, s);
              const created = new Date().toISOString();
              if (!req.stream) return { kind: 'json', body: { model: req.model, created_at: created, response: a.text, done: true, done_reason: a.finish === 'length' ? 'length' : 'stop', ...stats(a) } };
              const frames: Frame[] = a.pieces.map((p) => line({ model: req.model, created_at: created, response: p, done: false }));
              frames.push(line({ model: req.model, created_at: created, response: '', done: true, done_reason: a.finish === 'length' ? 'length' : 'stop', ...stats(a) }));
              return { kind: 'stream', contentType: 'application/x-ndjson', frames };
            },
          };
        }
        default: {
          const req = parseChat(body);
          return {
            promptText: req.messages.map((m) => m.text).join('\n'),
            run(s) {
              const a = answer(req, s);
              if (req.stream) return { kind: 'stream', contentType: 'application/x-ndjson', frames: chatFrames(req, a) };
              const message: Json = { role: 'assistant', content: a.text };
              if (a.toolCalls.length > 0) message['tool_calls'] = a.toolCalls.map((t) => ({ function: { name: t.name, arguments: t.input } }));
              return { kind: 'json', body: { model: req.model, created_at: new Date().toISOString(), message, done_reason: a.finish === 'length' ? 'length' : 'stop', done: true, ...stats(a) } };
            },
          };
        }
      }
    },
    error(kind, message, _ctx, status): SimErrorResponse {
      let msg = message;
      if (kind === 'not_found') msg = 'model not found, try pulling it first';
      if (kind === 'overloaded') msg = 'server busy, please try again.  maximum pending requests exceeded';
      return { status: status ?? STATUS[kind], body: { error: msg } };
    },
    streamError: (kind) => line({ error: kind === 'overloaded' ? 'server busy, please try again.  maximum pending requests exceeded' : 'an error was encountered while running the model (simulated)' }),
    malformedFrame: () => '{"model":"x","message":{"role":"assistant","content":\n',
  };
}
