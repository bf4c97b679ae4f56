/**
 * The runtime every provider shares: sends what the definition builds through
 * the origin's pool, parses bodies and streams with per-request state, maps
 * errors, fills usage with the tokenizer when the upstream reports none, and
 * maps legacy completions onto chat where the provider has no endpoint.
 */
import { CallScope, fetchBuffered, parseRawHeaders, sendUpstream } from '../http/client';
import type { ResponseHeaders, Timeouts, UpstreamRequest, UpstreamResponse } from '../http/client';
import type { AbortSignalLike } from '../http/abort';
import { NdjsonParser, SseParser } from '../http/sse';
import { EventStreamDecoder } from '../http/eventstream';
import { countPromptTokens, countTokens, loadTokenizer } from '../usage/tokenizer';
import { ProviderError, first, parseRetryAfter, unsupported } from './errors';
import { badUpstream, makeId, textOf } from './content';
import { embeddingFromBase64, embeddingToBase64 } from './embedding-encoding';
import type { Capabilities, FrameTypes, ProviderContext, ProviderDefinition, ResolvedConfig, StreamSpec, StreamState } from './definition';
import type {
  ChatChunk,
  ChatRequest,
  ChatResponse,
  CompletionRequest,
  CompletionResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  Usage,
} from './types';

export interface CallOptions {
  /** Aborting it aborts the upstream request (socket closed). An AbortSignal, or a cheaper LightAbortSignal. */
  signal?: AbortSignalLike;
  /** Overrides the deployment's timeouts for this call. */
  timeouts?: Timeouts;
  /** Sent upstream as `x-request-id`. */
  requestId?: string;
  /** Extra upstream headers for this call only. */
  headers?: Record<string, string>;
  /**
   * Streams only: called once the upstream has accepted the call (a 2xx status and
   * its headers), before the first event arrives, so a caller can commit its own
   * answer's headers while the model is still thinking.
   */
  onOpen?: () => void;
}

const MAX_ERROR_BODY = 64 * 1024;

export class ProviderAdapter<TId extends string = string> {
  readonly id: TId;
  readonly capabilities: Capabilities;
  /** Upstream base URL (for logs; credentials stay private). */
  readonly baseUrl: string;
  /** Holds credentials: not enumerable, so logging the adapter never prints them. */
  private readonly config!: ResolvedConfig;
  private readonly ctx!: ProviderContext;

  constructor(readonly definition: ProviderDefinition<TId>, config: ResolvedConfig) {
    this.id = definition.id;
    this.capabilities = definition.capabilities;
    this.baseUrl = config.baseUrl;
    Object.defineProperty(this, 'config', { value: config, enumerable: false });
    Object.defineProperty(this, 'ctx', { value: { provider: definition.id, config }, enumerable: false });
  }

  // ------------------------------------------------------------------ chat

  async chat(req: ChatRequest, opts: CallOptions = {}): Promise<ChatResponse> {
    const upstream = this.definition.chat.build(req, this.ctx, false);
    const body = await this.exchangeJson(upstream, opts);
    const res = this.definition.chat.parse(body, req, this.ctx);
    if (res.usage === undefined) {
      await loadTokenizer();
      let text = '';
      for (const c of res.choices) {
        text += c.message.content ?? '';
        if (c.message.tool_calls) for (const tc of c.message.tool_calls) text += tc.function.name + tc.function.arguments;
      }
      const prompt = countPromptTokens(req);
      const completion = countTokens(text, req.model);
      res.usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
    }
    return res;
  }

  /**
   * Streams unified chunks. The upstream request is sent on the first
   * `next()`; errors before the first chunk are thrown from it, so a caller
   * can fall back before sending anything to its client. The last chunk has
   * `choices: []` and `usage` (always, whatever `stream_options` said).
   * Breaking out of the loop aborts the upstream request.
   */
  chatStream(req: ChatRequest, opts: CallOptions = {}): AsyncIterable<ChatChunk> {
    if (!this.capabilities.stream) throw unsupported(this.id, 'streaming');
    return this.streamChat(req, opts);
  }

  private async *streamChat(req: ChatRequest, opts: CallOptions): AsyncGenerator<ChatChunk> {
    const upstream = this.definition.chat.build(req, this.ctx, true);
    let sawUsage = false;
    let last: ChatChunk | undefined;
    let text: string[] | undefined;
    for await (const chunk of this.exchangeStream(upstream, this.definition.chat.stream, req, opts)) {
      if (chunk.usage) sawUsage = true;
      last = chunk;
      if (!sawUsage) {
        for (const ch of chunk.choices) {
          const d = ch.delta;
          if (d.content) (text ??= []).push(d.content);
          if (d.tool_calls) {
            for (const tc of d.tool_calls) {
              if (tc.function?.name) (text ??= []).push(tc.function.name);
              if (tc.function?.arguments) (text ??= []).push(tc.function.arguments);
            }
          }
        }
      }
      yield chunk;
    }
    if (!sawUsage) {
      await loadTokenizer();
      const prompt = countPromptTokens(req);
      const completion = text === undefined ? 0 : countTokens(text.join(''), req.model);
      yield {
        id: last?.id ?? makeId('chatcmpl-'),
        object: 'chat.completion.chunk',
        created: last?.created ?? Math.floor(Date.now() / 1000),
        model: last?.model ?? req.model,
        choices: [],
        usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
      };
    }
  }

  // ------------------------------------------------------------ embeddings

  async embed(req: EmbeddingRequest, opts: CallOptions = {}): Promise<EmbeddingResponse> {
    const spec = this.definition.embeddings;
    if (spec === undefined) throw unsupported(this.id, 'embeddings');
    const base64 = req.encoding_format === 'base64';
    // an upstream that cannot encode is asked for floats; the answer is encoded below
    const upstreamReq = base64 && this.capabilities.embeddingsBase64 !== true ? { ...req, encoding_format: undefined } : req;
    const upstreams = spec.build(upstreamReq, this.ctx);
    const bodies = upstreams.length === 1 ? [await this.exchangeJson(upstreams[0]!, opts)] : await Promise.all(upstreams.map((u) => this.exchangeJson(u, opts)));
    const res = spec.parse(bodies, upstreamReq, this.ctx);
    // what the caller asked for, whatever the upstream sent
    for (const d of res.data) {
      const v = base64 ? embeddingToBase64(d.embedding) : embeddingFromBase64(d.embedding);
      if (v === null) throw badUpstream(this.id, 'an embedding in base64 that is not whole float32 values');
      d.embedding = v;
    }
    if (res.usage.prompt_tokens === 0 && res.usage.total_tokens === 0) {
      await loadTokenizer();
      let n = 0;
      const inputs = typeof req.input === 'string' ? [req.input] : req.input;
      for (const i of inputs) n += typeof i === 'string' ? countTokens(i, req.model) : Array.isArray(i) ? i.length : 1;
      res.usage = { prompt_tokens: n, total_tokens: n };
    }
    return res;
  }

  // ------------------------------------------------------- legacy completions

  async complete(req: CompletionRequest, opts: CallOptions = {}): Promise<CompletionResponse> {
    const spec = this.definition.completions;
    if (spec !== undefined) {
      const body = await this.exchangeJson(spec.build(req, this.ctx, false), opts);
      const res = spec.parse(body, req, this.ctx);
      if (res.usage == null) {
        await loadTokenizer();
        const prompt = (Array.isArray(req.prompt) ? req.prompt : [req.prompt]).reduce((n, p) => n + countTokens(p, req.model), 0);
        const completion = res.choices.reduce((n, c) => n + countTokens(c.text, req.model), 0);
        res.usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
      }
      return res;
    }
    const chatReq = completionToChat(this.id, req);
    const res = await this.chat(chatReq, opts);
    return chatToCompletion(res, req);
  }

  completeStream(req: CompletionRequest, opts: CallOptions = {}): AsyncIterable<CompletionResponse> {
    if (!this.capabilities.stream) throw unsupported(this.id, 'streaming');
    const spec = this.definition.completions;
    if (spec !== undefined) return this.exchangeStream(spec.build(req, this.ctx, true), spec.stream, req, opts);
    return this.streamCompletionViaChat(req, opts);
  }

  private async *streamCompletionViaChat(req: CompletionRequest, opts: CallOptions): AsyncGenerator<CompletionResponse> {
    const chatReq = completionToChat(this.id, req);
    let echoed = req.echo !== true;
    for await (const chunk of this.streamChat(chatReq, opts)) {
      const out: CompletionResponse = {
        id: chunk.id,
        object: 'text_completion',
        created: chunk.created,
        model: chunk.model,
        choices: [],
        usage: chunk.usage ?? null,
      };
      for (const c of chunk.choices) {
        let text = c.delta.content ?? '';
        if (!echoed) {
          text = (req.prompt as string) + text;
          echoed = true;
        }
        out.choices.push({ text, index: c.index, logprobs: null, finish_reason: completionFinish(c.finish_reason) });
      }
      yield out;
    }
  }

  // ------------------------------------------------------------------ HTTP

  private prepare(upstream: UpstreamRequest, opts: CallOptions): UpstreamRequest {
    const h = upstream.headers;
    if (opts.requestId !== undefined) h['x-request-id'] = opts.requestId;
    const extra = this.config.headers;
    if (extra !== undefined) for (const k in extra) h[k.toLowerCase()] = extra[k]!;
    if (opts.headers !== undefined) for (const k in opts.headers) h[k.toLowerCase()] = opts.headers[k]!;
    return upstream;
  }

  /** Per-call timeouts override the deployment's field by field. */
  private timeouts(opts: CallOptions): Timeouts | undefined {
    const base = this.config.timeouts;
    if (opts.timeouts === undefined) return base;
    return base === undefined ? opts.timeouts : { ...base, ...opts.timeouts };
  }

  private async send(upstream: UpstreamRequest, scope: CallScope, opts: CallOptions, timeouts: Timeouts | undefined): Promise<UpstreamResponse> {
    let req = this.prepare(upstream, opts);
    if (this.definition.sign !== undefined) req = await this.definition.sign(req, this.ctx);
    const res = await sendUpstream(req, scope, timeouts);
    if (res.status >= 400) throw await this.readError(res, scope);
    return res;
  }

  private async exchangeJson(upstream: UpstreamRequest, opts: CallOptions): Promise<unknown> {
    const timeouts = this.timeouts(opts);
    const scope = new CallScope(this.id, opts.signal, timeouts?.totalMs);
    try {
      let req = this.prepare(upstream, opts);
      if (this.definition.sign !== undefined) req = await this.definition.sign(req, this.ctx);
      const res = await fetchBuffered(req, scope, timeouts);
      if (res.status >= 400) throw this.errorFrom(res.status, parseRawHeaders(res.rawHeaders), res.text);
      try {
        return JSON.parse(res.text);
      } catch (cause) {
        throw new ProviderError({
          category: 'server_error',
          provider: this.id,
          status: res.status,
          code: 'invalid_upstream_response',
          message: `upstream ${this.id} answered ${res.status} with a body that is not JSON`,
          cause,
        });
      }
    } finally {
      scope.dispose();
    }
  }

  private async *exchangeStream<TReq, T>(
    upstream: UpstreamRequest,
    spec: StreamSpec<TReq, T>,
    req: TReq,
    opts: CallOptions,
  ): AsyncGenerator<T> {
    const timeouts = this.timeouts(opts);
    const scope = new CallScope(this.id, opts.signal, timeouts?.totalMs);
    let res: UpstreamResponse | undefined;
    try {
      res = await this.send(upstream, scope, opts, timeouts);
      opts.onOpen?.();
      const out: T[] = [];
      const pump = framer(spec, this.ctx, req);
      // Chunks parsed before an error in the same read are delivered first.
      let failure: unknown;
      try {
        for await (const bytes of res.body) {
          try {
            pump.push(bytes as Uint8Array, out);
          } catch (err) {
            failure = err;
          }
          if (out.length > 0) {
            for (let i = 0; i < out.length; i++) yield out[i]!;
            out.length = 0;
          }
          if (failure !== undefined) break;
        }
      } catch (err) {
        throw scope.mapError(err, 'body');
      }
      if (failure !== undefined) throw scope.mapError(failure, 'body');
      pump.end(out);
      for (let i = 0; i < out.length; i++) yield out[i]!;
    } finally {
      scope.dispose();
      if (res !== undefined && !res.body.destroyed) res.body.destroy();
    }
  }

  private async readError(res: UpstreamResponse, scope: CallScope): Promise<ProviderError> {
    let text = '';
    try {
      text = await res.body.text();
    } catch (err) {
      if (scope.callerAborted || scope.timedOut) return scope.mapError(err, 'body');
    }
    return this.errorFrom(res.status, res.headers, text);
  }

  /** The provider's error for an upstream error answer. */
  private errorFrom(status: number, headers: ResponseHeaders, text: string): ProviderError {
    if (text.length > MAX_ERROR_BODY) text = text.slice(0, MAX_ERROR_BODY);
    let body: unknown = text;
    if (text.length > 0 && (text.charCodeAt(0) === 123 /* { */ || text.charCodeAt(0) === 91) /* [ */) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return this.definition.parseError({ status, headers, body }, this.ctx);
  }
}

interface Framer<T> {
  push(bytes: Uint8Array, out: T[]): void;
  end(out: T[]): void;
}

function framer<TReq, T>(spec: StreamSpec<TReq, T>, ctx: ProviderContext, req: TReq): Framer<T> {
  switch (spec.framing) {
    case 'sse': {
      const parser = new SseParser();
      const state = spec.create(ctx, req);
      return {
        push(bytes, out) {
          const events = parser.push(bytes);
          for (let i = 0; i < events.length; i++) state.event(events[i]!, out);
        },
        end(out) {
          for (const e of parser.end()) state.event(e, out);
          state.end(out);
        },
      };
    }
    case 'ndjson': {
      const parser = new NdjsonParser();
      const state = spec.create(ctx, req);
      return {
        push(bytes, out) {
          const lines = parser.push(bytes);
          for (let i = 0; i < lines.length; i++) state.event(lines[i]!, out);
        },
        end(out) {
          for (const l of parser.end()) state.event(l, out);
          state.end(out);
        },
      };
    }
    case 'eventstream': {
      const decoder = new EventStreamDecoder();
      const state: StreamState<FrameTypes['eventstream'], T> = spec.create(ctx, req);
      return {
        push(bytes, out) {
          let messages;
          try {
            messages = decoder.push(bytes);
          } catch (cause) {
            throw new ProviderError({ category: 'server_error', provider: ctx.provider, code: 'malformed_chunk', message: 'upstream sent a corrupt event-stream frame', cause });
          }
          for (let i = 0; i < messages.length; i++) state.event(messages[i]!, out);
        },
        end(out) {
          state.end(out);
        },
      };
    }
  }
}

// ------------------------------------------------------------------ errors

export interface ErrorFields {
  provider: string;
  status: number;
  headers: ResponseHeaders;
  message: string;
  category: ProviderError['category'];
  code?: string;
  param?: string;
  retryable?: boolean;
  retryAfterMs?: number;
}

/** Builds a ProviderError filling Retry-After and the upstream request id from headers. */
export function upstreamError(f: ErrorFields): ProviderError {
  const h = f.headers;
  return new ProviderError({
    category: f.category,
    provider: f.provider,
    status: f.status,
    message: f.message,
    code: f.code,
    param: f.param,
    retryable: f.retryable,
    retryAfterMs: f.retryAfterMs ?? parseRetryAfter(h),
    upstreamRequestId: first(h['x-request-id']) ?? first(h['request-id']) ?? first(h['x-amzn-requestid']) ?? first(h['apim-request-id']),
  });
}

// --------------------------------------------- completions ↔ chat mapping

export function completionToChat(provider: string, req: CompletionRequest): ChatRequest {
  if (Array.isArray(req.prompt) && req.prompt.length !== 1) throw unsupported(provider, 'completions with several prompts', 'send one prompt per request');
  if (req.suffix != null) throw unsupported(provider, 'suffix (fill-in-the-middle)');
  if (req.logprobs != null) throw unsupported(provider, 'logprobs on completions');
  if (req.best_of != null && req.best_of > 1) throw unsupported(provider, 'best_of');
  const prompt = Array.isArray(req.prompt) ? req.prompt[0]! : req.prompt;
  const chat: ChatRequest = { model: req.model, messages: [{ role: 'user', content: prompt }] };
  if (req.max_tokens != null) chat.max_tokens = req.max_tokens;
  if (req.temperature != null) chat.temperature = req.temperature;
  if (req.top_p != null) chat.top_p = req.top_p;
  if (req.n != null) chat.n = req.n;
  if (req.stop != null) chat.stop = req.stop;
  if (req.presence_penalty != null) chat.presence_penalty = req.presence_penalty;
  if (req.frequency_penalty != null) chat.frequency_penalty = req.frequency_penalty;
  if (req.logit_bias != null) chat.logit_bias = req.logit_bias;
  if (req.user !== undefined) chat.user = req.user;
  if (req.seed != null) chat.seed = req.seed;
  return chat;
}

function completionFinish(f: string | null): 'stop' | 'length' | 'content_filter' | null {
  if (f === null) return null;
  return f === 'length' ? 'length' : f === 'content_filter' ? 'content_filter' : 'stop';
}

export function chatToCompletion(res: ChatResponse, req: CompletionRequest): CompletionResponse {
  const prefix = req.echo === true ? textOf(Array.isArray(req.prompt) ? req.prompt[0] : req.prompt) : '';
  const usage: Usage | undefined = res.usage;
  return {
    id: res.id.startsWith('chatcmpl-') ? 'cmpl-' + res.id.slice(9) : res.id,
    object: 'text_completion',
    created: res.created,
    model: res.model,
    choices: res.choices.map((c) => ({
      text: prefix + (c.message.content ?? ''),
      index: c.index,
      logprobs: null,
      finish_reason: completionFinish(c.finish_reason),
    })),
    usage: usage ?? null,
  };
}
