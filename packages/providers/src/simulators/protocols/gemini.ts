/**
 * Gemini API wire format: `/v1beta/models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse`, `:batchEmbedContents`, `:embedContent`,
 * `:countTokens`; `x-goog-api-key` (or `?key=`); Google error bodies with
 * RetryInfo; blocked prompts as 200 with `promptFeedback.blockReason`.
 */
import { answer, embedText, embeddingTokens, hash, promptTokens } from '../engine';
import type { SimAnswer, SimMessage, SimRequest, SimToolChoice } from '../engine';
import { SimBadRequest } from '../server';
import type { Frame, ParsedOperation, SimContext, SimErrorResponse, SimProtocol, SimRoute } from '../server';
import type { SimErrorKind } from '../scenario';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function partsText(parts: unknown, where: string): { text: string; images: number; call: boolean; response: boolean } {
  if (!Array.isArray(parts) || parts.length === 0) throw new SimBadRequest(`${where}: parts must not be empty`);
  let text = '';
  let images = 0;
  let call = false;
  let response = false;
  for (const p of parts) {
    if (!isObj(p)) throw new SimBadRequest(`${where}: invalid part`);
    if (typeof p['text'] === 'string') text += p['text'];
    else if (isObj(p['inlineData'])) {
      if (typeof p['inlineData']['mimeType'] !== 'string' || typeof p['inlineData']['data'] !== 'string') throw new SimBadRequest('inlineData needs mimeType and data');
      images++;
    } else if (isObj(p['fileData'])) images++;
    else if (isObj(p['functionCall'])) {
      if (typeof p['functionCall']['name'] !== 'string') throw new SimBadRequest('functionCall needs a name');
      call = true;
    } else if (isObj(p['functionResponse'])) {
      const fr = p['functionResponse'];
      if (typeof fr['name'] !== 'string' || !isObj(fr['response'])) throw new SimBadRequest('functionResponse needs name and an object response');
      const r = fr['response'];
      text += typeof r['result'] === 'string' ? r['result'] : JSON.stringify(r);
      response = true;
    } else throw new SimBadRequest(`${where}: unknown part ${Object.keys(p).join(',')}`);
  }
  return { text, images, call, response };
}

function parseGenerate(model: string, body: unknown, stream: boolean): SimRequest {
  if (!isObj(body)) throw new SimBadRequest('Invalid JSON payload received.');
  const contents = body['contents'];
  if (!Array.isArray(contents) || contents.length === 0) throw new SimBadRequest('* GenerateContentRequest.contents: contents is not specified');
  const messages: SimMessage[] = [];
  const si = body['systemInstruction'];
  if (isObj(si)) messages.push({ role: 'system', text: partsText(si['parts'], 'systemInstruction').text });
  for (const c of contents) {
    if (!isObj(c)) throw new SimBadRequest('invalid content');
    const role = c['role'] ?? 'user';
    if (role !== 'user' && role !== 'model' && role !== 'function') throw new SimBadRequest(`Please use a valid role: user, model.`);
    const { text, images, response } = partsText(c['parts'], 'contents.parts');
    messages.push({ role: response ? 'tool' : role === 'model' ? 'assistant' : 'user', text, images });
  }
  const tools: SimRequest['tools'] = [];
  if (Array.isArray(body['tools'])) {
    for (const t of body['tools']) {
      if (!isObj(t) || !Array.isArray(t['functionDeclarations'])) continue;
      for (const f of t['functionDeclarations']) {
        if (!isObj(f) || typeof f['name'] !== 'string') throw new SimBadRequest('function declaration needs a name');
        const params = isObj(f['parametersJsonSchema']) ? f['parametersJsonSchema'] : isObj(f['parameters']) ? f['parameters'] : undefined;
        tools.push({ name: f['name'], parameters: params });
      }
    }
  }
  let toolChoice: SimToolChoice = 'auto';
  const tc = isObj(body['toolConfig']) ? body['toolConfig']['functionCallingConfig'] : undefined;
  if (isObj(tc)) {
    if (tc['mode'] === 'NONE') toolChoice = 'none';
    else if (tc['mode'] === 'ANY') {
      const allowed = tc['allowedFunctionNames'];
      toolChoice = Array.isArray(allowed) && typeof allowed[0] === 'string' ? { name: allowed[0] } : 'required';
    }
  }
  const gc = isObj(body['generationConfig']) ? body['generationConfig'] : {};
  let json: SimRequest['json'];
  if (gc['responseMimeType'] === 'application/json') {
    const schema = gc['responseJsonSchema'] ?? gc['responseSchema'];
    json = isObj(schema) ? { schema } : 'object';
  }
  const t = gc['temperature'];
  if (t !== undefined && (typeof t !== 'number' || t < 0 || t > 2)) throw new SimBadRequest('temperature must be in [0.0, 2.0]');
  return {
    model,
    messages,
    tools,
    toolChoice,
    json,
    maxTokens: typeof gc['maxOutputTokens'] === 'number' ? gc['maxOutputTokens'] : undefined,
    stop: Array.isArray(gc['stopSequences']) ? (gc['stopSequences'] as string[]) : undefined,
    stream,
    n: typeof gc['candidateCount'] === 'number' ? gc['candidateCount'] : 1,
  };
}

function usageMetadata(a: SimAnswer): Json {
  const candidates = a.completionTokens - a.reasoningTokens;
  const u: Json = {
    promptTokenCount: a.promptTokens,
    candidatesTokenCount: candidates,
    totalTokenCount: a.promptTokens + a.completionTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: a.promptTokens }],
  };
  if (a.cachedTokens > 0) u['cachedContentTokenCount'] = a.cachedTokens;
  if (a.reasoningTokens > 0) u['thoughtsTokenCount'] = a.reasoningTokens;
  return u;
}

function finishReason(a: SimAnswer): string {
  return a.finish === 'length' ? 'MAX_TOKENS' : 'STOP';
}

function parts(a: SimAnswer): Json[] {
  if (a.toolCalls.length > 0) return a.toolCalls.map((t) => ({ functionCall: { name: t.name, args: t.input } }));
  return [{ text: a.text }];
}

function responseId(req: SimRequest): string {
  return `sim${hash(req.model + (req.messages.at(-1)?.text ?? '')).toString(36)}`;
}

const sse = (data: unknown): string => `data: ${JSON.stringify(data)}\r\n\r\n`;

function streamFrames(req: SimRequest, a: SimAnswer): Frame[] {
  const frames: Frame[] = [];
  const id = responseId(req);
  const n = Math.max(1, req.n);
  const base = (candidates: Json[], usage: Json | undefined): Json => {
    const o: Json = { candidates };
    if (usage !== undefined && !a.noUsage) o['usageMetadata'] = usage;
    o['modelVersion'] = req.model;
    o['responseId'] = id;
    return o;
  };
  const running: Json = { promptTokenCount: a.promptTokens, totalTokenCount: a.promptTokens };
  if (a.toolCalls.length > 0) {
    const cands = [];
    for (let i = 0; i < n; i++) cands.push({ content: { parts: parts(a), role: 'model' }, finishReason: 'STOP', index: i });
    frames.push(sse(base(cands, usageMetadata(a))));
    return frames;
  }
  const pieces = a.pieces.length > 0 ? a.pieces : [''];
  for (let k = 0; k < pieces.length; k++) {
    const last = k === pieces.length - 1;
    const cands = [];
    for (let i = 0; i < n; i++) {
      const c: Json = { content: { parts: [{ text: pieces[k] }], role: 'model' }, index: i };
      if (last) c['finishReason'] = finishReason(a);
      cands.push(c);
    }
    frames.push(sse(base(cands, last ? usageMetadata(a) : running)));
  }
  return frames;
}

const ERRORS: Record<Exclude<SimErrorKind, 'content_filter'>, [number, string]> = {
  rate_limit: [429, 'RESOURCE_EXHAUSTED'],
  server_error: [500, 'INTERNAL'],
  overloaded: [503, 'UNAVAILABLE'],
  auth: [400, 'INVALID_ARGUMENT'],
  bad_request: [400, 'INVALID_ARGUMENT'],
  not_found: [404, 'NOT_FOUND'],
  timeout: [504, 'DEADLINE_EXCEEDED'],
};

function errorBody(kind: Exclude<SimErrorKind, 'content_filter'>, message: string, retryAfter?: number, status?: number): SimErrorResponse {
  const [code, st] = ERRORS[kind];
  const details: Json[] = [];
  let msg = message;
  if (kind === 'auth') {
    msg = 'API key not valid. Please pass a valid API key.';
    details.push({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } });
  }
  if (kind === 'rate_limit') {
    details.push({ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] });
    if (retryAfter !== undefined) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfter}s` });
  }
  if (kind === 'overloaded') msg = 'The model is overloaded. Please try again later.';
  const error: Json = { code: status ?? code, message: msg, status: st };
  if (details.length > 0) error['details'] = details;
  return { status: status ?? code, body: { error } };
}

export function geminiProtocol(): SimProtocol {
  return {
    name: 'gemini',
    route(method, path): SimRoute | undefined {
      const m = path.startsWith('/v1beta/models') ? path.slice(14) : path.startsWith('/v1/models') ? path.slice(10) : undefined;
      if (m === undefined) return undefined;
      if (method === 'GET' && (m === '' || m === '/')) return { op: 'models', params: {} };
      if (method !== 'POST' || !m.startsWith('/')) return undefined;
      const colon = m.lastIndexOf(':');
      if (colon === -1) return undefined;
      const model = decodeURIComponent(m.slice(1, colon));
      const verb = m.slice(colon + 1);
      if (verb === 'generateContent' || verb === 'streamGenerateContent' || verb === 'batchEmbedContents' || verb === 'embedContent' || verb === 'countTokens') {
        return { op: verb, params: { model } };
      }
      return undefined;
    },
    authorized(ctx) {
      const k = ctx.headers['x-goog-api-key'];
      return (typeof k === 'string' && k.length > 0) || (ctx.url.searchParams.get('key') ?? '') !== '';
    },
    parse(route, body, ctx: SimContext): ParsedOperation {
      const model = route.params['model'] ?? '';
      switch (route.op) {
        case 'models':
          return {
            promptText: '',
            run: () => ({
              kind: 'json',
              body: { models: [{ name: 'models/gemini-sim', displayName: 'Gemini (simulated)', supportedGenerationMethods: ['generateContent', 'countTokens', 'embedContent'] }] },
            }),
          };
        case 'batchEmbedContents':
        case 'embedContent': {
          if (!isObj(body)) throw new SimBadRequest('Invalid JSON payload received.');
          const reqs = route.op === 'embedContent' ? [body] : body['requests'];
          if (!Array.isArray(reqs) || reqs.length === 0) throw new SimBadRequest('* BatchEmbedContentsRequest.requests: requests is not specified');
          const texts = reqs.map((r: unknown) => {
            if (!isObj(r) || !isObj(r['content'])) throw new SimBadRequest('embed request needs content');
            return { text: partsText(r['content']['parts'], 'content').text, dims: typeof r['outputDimensionality'] === 'number' ? r['outputDimensionality'] : 16 };
          });
          return {
            promptText: texts.map((t) => t.text).join('\n'),
            run: () => {
              const embeddings = texts.map((t) => ({ values: embedText(t.text, t.dims) }));
              return { kind: 'json', body: route.op === 'embedContent' ? { embedding: embeddings[0] } : { embeddings } };
            },
          };
        }
        case 'countTokens': {
          const req = parseGenerate(model, isObj(body) && isObj(body['generateContentRequest']) ? body['generateContentRequest'] : body, false);
          return { promptText: '', run: () => ({ kind: 'json', body: { totalTokens: promptTokens(req) } }) };
        }
        default: {
          const stream = route.op === 'streamGenerateContent';
          if (stream && ctx.url.searchParams.get('alt') !== 'sse') throw new SimBadRequest('this simulator streams only with alt=sse');
          const req = parseGenerate(model, body, stream);
          return {
            promptText: req.messages.map((m) => m.text).join('\n'),
            run(s) {
              const a = answer(req, s);
              if (stream) return { kind: 'stream', contentType: 'text/event-stream', frames: streamFrames(req, a) };
              const candidates = [];
              for (let i = 0; i < Math.max(1, req.n); i++) candidates.push({ content: { parts: parts(a), role: 'model' }, finishReason: finishReason(a), avgLogprobs: -0.1, index: i });
              const out: Json = { candidates };
              if (!a.noUsage) out['usageMetadata'] = usageMetadata(a);
              out['modelVersion'] = req.model;
              out['responseId'] = responseId(req);
              return { kind: 'json', body: out };
            },
          };
        }
      }
    },
    error(kind, message, ctx, status, retryAfter): SimErrorResponse {
      if (kind === 'content_filter') {
        const blocked = { promptFeedback: { blockReason: 'SAFETY', safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }] }, usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 }, modelVersion: 'gemini-sim' };
        if (ctx.url.pathname.endsWith(':streamGenerateContent')) return { status: 200, contentType: 'text/event-stream', body: sse(blocked) };
        return { status: 200, body: blocked };
      }
      return errorBody(kind, message, retryAfter, status);
    },
    streamError(kind) {
      return sse(errorBody(kind === 'content_filter' ? 'server_error' : kind, 'error in stream (simulated)').body);
    },
    malformedFrame: () => 'data: {"candidates": [{"content": {"parts": [{"text": "brok\r\n\r\n',
  };
}
