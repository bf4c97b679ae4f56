/**
 * Bedrock Runtime wire format: `/model/{modelId}/converse`,
 * `/converse-stream` (binary `application/vnd.amazon.eventstream`),
 * `/invoke` (Titan / Cohere embeddings). Verifies SigV4 signatures against
 * the simulator's credentials (or accepts a Bedrock API key as bearer), and
 * answers errors the AWS JSON way (`x-amzn-errortype` + `{message}`).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { answer, embedText, embeddingTokens, fixedPieces } from '../engine';
import type { SimAnswer, SimMessage, SimRequest, SimToolChoice } from '../engine';
import { SimBadRequest } from '../server';
import type { Frame, ParsedOperation, SimContext, SimErrorResponse, SimProtocol, SimRoute } from '../server';
import type { SimErrorKind } from '../scenario';
import { encodeEvent, encodeException } from '../../http/eventstream';
import { asksForJson } from './anthropic';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface SimAwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Credentials the Bedrock simulator accepts by default. */
export const BEDROCK_SIM_CREDENTIALS: SimAwsCredentials = { accessKeyId: 'AKIDCONDUITSIM', secretAccessKey: 'conduit-simulator-secret' };

const SCHEMA_MARKER = 'JSON schema: ';

function blocks(content: unknown, role: string, toolUses: Set<string>): { text: string; images: number; toolResult: boolean } {
  if (!Array.isArray(content) || content.length === 0) throw new SimBadRequest('The content field in the Message object is empty. Add a ContentBlock object to the content field and try again.');
  let text = '';
  let images = 0;
  let toolResult = false;
  for (const b of content) {
    if (!isObj(b)) throw new SimBadRequest('invalid content block');
    if (typeof b['text'] === 'string') text += b['text'];
    else if (isObj(b['image']) || isObj(b['document'])) {
      const x = (b['image'] ?? b['document']) as Json;
      if (typeof x['format'] !== 'string' || !isObj(x['source'])) throw new SimBadRequest('image/document block needs format and source');
      images++;
    } else if (isObj(b['toolUse'])) {
      if (role !== 'assistant') throw new SimBadRequest('toolUse is only allowed in assistant messages');
      const t = b['toolUse'];
      if (typeof t['toolUseId'] !== 'string' || typeof t['name'] !== 'string' || !isObj(t['input'])) throw new SimBadRequest('toolUse needs toolUseId, name and input');
      toolUses.add(t['toolUseId']);
    } else if (isObj(b['toolResult'])) {
      const r = b['toolResult'];
      if (typeof r['toolUseId'] !== 'string' || !toolUses.has(r['toolUseId'])) throw new SimBadRequest('The toolResult blocks must match the toolUse blocks of the previous turn.');
      if (Array.isArray(r['content'])) {
        for (const c of r['content']) {
          if (isObj(c) && typeof c['text'] === 'string') text += c['text'];
          else if (isObj(c) && c['json'] !== undefined) text += JSON.stringify(c['json']);
        }
      }
      toolResult = true;
    } else if (isObj(b['reasoningContent'])) {
      // ignored
    } else throw new SimBadRequest(`unknown content block ${Object.keys(b).join(',')}`);
  }
  return { text, images, toolResult };
}

function parseConverse(model: string, body: unknown, stream: boolean): SimRequest {
  if (!isObj(body)) throw new SimBadRequest('Malformed input request, please reformat your input and try again.');
  if (!Array.isArray(body['messages']) || body['messages'].length === 0) throw new SimBadRequest('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  const messages: SimMessage[] = [];
  let system = '';
  if (Array.isArray(body['system'])) for (const s of body['system']) if (isObj(s) && typeof s['text'] === 'string') system += s['text'];
  if (system !== '') messages.push({ role: 'system', text: system });
  const toolUses = new Set<string>();
  let hasToolBlocks = false;
  for (const m of body['messages']) {
    if (!isObj(m) || (m['role'] !== 'user' && m['role'] !== 'assistant')) throw new SimBadRequest('role must be user or assistant');
    const b = blocks(m['content'], m['role'], toolUses);
    if (b.toolResult) hasToolBlocks = true;
    messages.push({ role: b.toolResult ? 'tool' : m['role'], text: b.text, images: b.images });
  }
  if (toolUses.size > 0) hasToolBlocks = true;
  const tools: SimRequest['tools'] = [];
  let toolChoice: SimToolChoice = 'auto';
  const tc = body['toolConfig'];
  if (isObj(tc)) {
    if (!Array.isArray(tc['tools']) || tc['tools'].length === 0) throw new SimBadRequest('toolConfig.tools must not be empty');
    for (const t of tc['tools']) {
      const spec = isObj(t) ? t['toolSpec'] : undefined;
      if (!isObj(spec) || typeof spec['name'] !== 'string' || !isObj(spec['inputSchema'])) throw new SimBadRequest('toolSpec needs name and inputSchema');
      tools.push({ name: spec['name'], parameters: isObj(spec['inputSchema']['json']) ? spec['inputSchema']['json'] : undefined });
    }
    const choice = tc['toolChoice'];
    if (isObj(choice)) {
      if (isObj(choice['any'])) toolChoice = 'required';
      else if (isObj(choice['tool']) && typeof choice['tool']['name'] === 'string') toolChoice = { name: choice['tool']['name'] };
    }
  } else if (hasToolBlocks) {
    throw new SimBadRequest('The toolConfig field must be defined when using toolUse and toolResult content blocks.');
  }
  const ic = isObj(body['inferenceConfig']) ? body['inferenceConfig'] : {};
  const t = ic['temperature'];
  if (t !== undefined && (typeof t !== 'number' || t < 0 || t > 1)) throw new SimBadRequest('temperature must be between 0 and 1');
  let json: SimRequest['json'];
  if (asksForJson(system)) {
    const at = system.indexOf(SCHEMA_MARKER);
    if (at === -1) json = 'object';
    else {
      try {
        const schema: unknown = JSON.parse(system.slice(at + SCHEMA_MARKER.length));
        json = isObj(schema) ? { schema } : 'object';
      } catch {
        json = 'object';
      }
    }
  }
  return {
    model,
    messages,
    tools,
    toolChoice,
    json,
    maxTokens: typeof ic['maxTokens'] === 'number' ? ic['maxTokens'] : undefined,
    stop: Array.isArray(ic['stopSequences']) ? (ic['stopSequences'] as string[]) : undefined,
    stream,
    n: 1,
  };
}

function stopReason(a: SimAnswer): string {
  return a.finish === 'tool_calls' ? 'tool_use' : a.finish === 'length' ? 'max_tokens' : 'end_turn';
}

function usage(a: SimAnswer): Json {
  const u: Json = { inputTokens: a.promptTokens - a.cachedTokens, outputTokens: a.completionTokens, totalTokens: a.promptTokens + a.completionTokens };
  if (a.cachedTokens > 0) {
    u['cacheReadInputTokens'] = a.cachedTokens;
    u['cacheWriteInputTokens'] = 0;
  }
  return u;
}

/** Real Bedrock pads events with a `p` field to hide payload sizes. */
function pad(o: Json): Json {
  return { ...o, p: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0'.slice(0, 5 + (JSON.stringify(o).length % 20)) };
}

function streamFrames(a: SimAnswer): Frame[] {
  const frames: Frame[] = [encodeEvent('messageStart', pad({ role: 'assistant' }))];
  if (a.toolCalls.length > 0) {
    a.toolCalls.forEach((t, i) => {
      frames.push(encodeEvent('contentBlockStart', pad({ contentBlockIndex: i, start: { toolUse: { toolUseId: t.id, name: t.name } } })));
      for (const frag of fixedPieces(t.arguments, 7)) frames.push(encodeEvent('contentBlockDelta', pad({ contentBlockIndex: i, delta: { toolUse: { input: frag } } })));
      frames.push(encodeEvent('contentBlockStop', pad({ contentBlockIndex: i })));
    });
  } else {
    for (const p of a.pieces) frames.push(encodeEvent('contentBlockDelta', pad({ contentBlockIndex: 0, delta: { text: p } })));
    frames.push(encodeEvent('contentBlockStop', pad({ contentBlockIndex: 0 })));
  }
  frames.push(encodeEvent('messageStop', pad({ stopReason: stopReason(a) })));
  const meta: Json = { metrics: { latencyMs: 42 } };
  if (!a.noUsage) meta['usage'] = usage(a);
  frames.push(encodeEvent('metadata', pad(meta)));
  return frames;
}

const ERRORS: Record<Exclude<SimErrorKind, 'content_filter'>, [number, string, string]> = {
  rate_limit: [429, 'ThrottlingException', 'Too many requests, please wait before trying again.'],
  server_error: [500, 'InternalServerException', 'The server encountered an internal error while processing the request.'],
  overloaded: [503, 'ServiceUnavailableException', 'The service is temporarily unable to handle the request.'],
  auth: [403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'],
  bad_request: [400, 'ValidationException', 'Malformed input request, please reformat your input and try again.'],
  not_found: [404, 'ResourceNotFoundException', 'Could not resolve the foundation model from the provided model identifier.'],
  timeout: [408, 'ModelTimeoutException', 'Model has timed out in processing the request.'],
};

const STREAM_EXCEPTIONS: Record<string, string> = {
  rate_limit: 'throttlingException',
  overloaded: 'serviceUnavailableException',
  server_error: 'internalServerException',
  bad_request: 'validationException',
};

function awsError(status: number, type: string, message: string): SimErrorResponse {
  return { status, headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` }, body: { message } };
}

function parseAmzDate(v: string): Date | undefined {
  if (v.length !== 16) return undefined;
  const iso = `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}T${v.slice(9, 11)}:${v.slice(11, 13)}:${v.slice(13, 15)}Z`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function bedrockProtocol(credentials: SimAwsCredentials = BEDROCK_SIM_CREDENTIALS): SimProtocol {
  const signers = new Map<string, SignatureV4>();

  async function verifySignature(ctx: SimContext, body: string): Promise<SimErrorResponse | undefined> {
    const auth = ctx.headers['authorization'];
    if (typeof auth === 'string' && auth.startsWith('Bearer ') && auth.length > 7) return undefined; // Bedrock API key
    if (typeof auth !== 'string' || !auth.startsWith('AWS4-HMAC-SHA256 ')) {
      return awsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const fields: Record<string, string> = {};
    for (const part of auth.slice(17).split(',')) {
      const eq = part.indexOf('=');
      if (eq !== -1) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
    const scope = (fields['Credential'] ?? '').split('/');
    const [akid, , region, service] = scope;
    if (akid !== credentials.accessKeyId) return awsError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    if (service !== 'bedrock' || region === undefined) return awsError(403, 'InvalidSignatureException', `Credential should be scoped to correct service: 'bedrock'.`);
    const amzDate = ctx.headers['x-amz-date'];
    const date = typeof amzDate === 'string' ? parseAmzDate(amzDate) : undefined;
    if (date === undefined) return awsError(403, 'IncompleteSignatureException', 'Authorization header requires existence of either a X-Amz-Date or a Date header.');
    const signedHeaders = (fields['SignedHeaders'] ?? '').split(';');
    const headers: Record<string, string> = {};
    for (const h of signedHeaders) {
      const v = ctx.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    let signer = signers.get(region);
    if (signer === undefined) {
      signer = new SignatureV4({ service: 'bedrock', region, credentials, sha256: Sha256 });
      signers.set(region, signer);
    }
    const query: Record<string, string> = {};
    ctx.url.searchParams.forEach((v, k) => (query[k] = v));
    const host = headers['host'] ?? '';
    const colon = host.lastIndexOf(':');
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: colon === -1 ? host : host.slice(0, colon),
        path: ctx.url.pathname,
        query,
        headers,
        body,
      },
      { signingDate: date, unsignableHeaders: new Set(), signableHeaders: new Set(signedHeaders) },
    );
    const expected = signed.headers['authorization'] ?? '';
    const got = fields['Signature'];
    const want = expected.slice(expected.indexOf('Signature=') + 10);
    if (got !== want) return awsError(403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
    return undefined;
  }

  return {
    name: 'bedrock',
    route(method, path): SimRoute | undefined {
      if (method !== 'POST' || !path.startsWith('/model/')) return undefined;
      const rest = path.slice(7);
      const slash = rest.lastIndexOf('/');
      if (slash === -1) return undefined;
      const model = decodeURIComponent(rest.slice(0, slash));
      const action = rest.slice(slash + 1);
      if (action === 'converse' || action === 'converse-stream' || action === 'invoke') return { op: action, params: { model } };
      return undefined;
    },
    authorized: () => true,
    authenticate: (ctx, raw) => verifySignature(ctx, raw.toString('utf8')),
    parse(route, body): ParsedOperation {
      const model = route.params['model'] ?? '';
      if (route.op === 'invoke') {
        if (!isObj(body)) throw new SimBadRequest('Malformed input request, please reformat your input and try again.');
        const cohere = model.includes('cohere.');
        const texts = cohere ? body['texts'] : [body['inputText']];
        if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string')) throw new SimBadRequest(cohere ? 'texts: expected an array of strings' : 'inputText: expected a string');
        const dims = typeof body['dimensions'] === 'number' ? body['dimensions'] : 16;
        return {
          promptText: texts.join('\n'),
          run: () => ({
            kind: 'json',
            body: cohere
              ? { id: 'sim-embed', embeddings: (texts as string[]).map((t) => embedText(t, dims)), response_type: 'embeddings_floats', texts }
              : { embedding: embedText(texts[0] as string, dims), inputTextTokenCount: embeddingTokens(texts[0] as string) },
          }),
        };
      }
      const stream = route.op === 'converse-stream';
      const req = parseConverse(model, body, stream);
      return {
        promptText: req.messages.map((m) => m.text).join('\n'),
        run(s) {
          const a = answer(req, s, 'tooluse_');
          if (stream) return { kind: 'stream', contentType: 'application/vnd.amazon.eventstream', frames: streamFrames(a) };
          const content = a.toolCalls.length > 0 ? a.toolCalls.map((t) => ({ toolUse: { toolUseId: t.id, name: t.name, input: t.input } })) : [{ text: a.text }];
          const out: Json = { output: { message: { role: 'assistant', content } }, stopReason: stopReason(a), metrics: { latencyMs: 42 } };
          if (!a.noUsage) out['usage'] = usage(a);
          return { kind: 'json', body: out };
        },
      };
    },
    error(kind, message, ctx, status): SimErrorResponse {
      if (kind === 'content_filter') {
        // A guardrail intervention is a normal answer with a canned text.
        const body = { output: { message: { role: 'assistant', content: [{ text: 'Sorry, the model cannot answer this question.' }] } }, stopReason: 'guardrail_intervened', usage: { inputTokens: 8, outputTokens: 0, totalTokens: 8 }, metrics: { latencyMs: 5 } };
        if (ctx.url.pathname.endsWith('/converse-stream')) {
          const frames = Buffer.concat([
            encodeEvent('messageStart', { role: 'assistant' }),
            encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Sorry, the model cannot answer this question.' } }),
            encodeEvent('contentBlockStop', { contentBlockIndex: 0 }),
            encodeEvent('messageStop', { stopReason: 'guardrail_intervened' }),
            encodeEvent('metadata', { usage: { inputTokens: 8, outputTokens: 0, totalTokens: 8 }, metrics: { latencyMs: 5 } }),
          ]);
          return { status: 200, contentType: 'application/vnd.amazon.eventstream', body: frames };
        }
        return { status: 200, body };
      }
      const [s, type, msg] = ERRORS[kind];
      return awsError(status ?? s, type, kind === 'bad_request' && message !== 'Invalid request (simulated).' ? message : msg);
    },
    streamError(kind) {
      return encodeException(STREAM_EXCEPTIONS[kind] ?? 'modelStreamErrorException', 'error in stream (simulated)');
    },
    malformedFrame() {
      const f = encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'corrupt' } });
      const copy = new Uint8Array(f);
      copy[copy.length - 1] = copy[copy.length - 1]! ^ 0xff; // bad message CRC
      return copy;
    },
  };
}
