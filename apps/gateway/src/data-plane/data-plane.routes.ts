import { Injectable, type OnModuleInit } from '@nestjs/common';
import { GatewayError } from '@conduit/contracts';
import type { CallOptions, ChatChunk, ChatRequest, ChatResponse, CompletionRequest, EmbeddingRequest, LightAbortController, ProviderAdapter, Usage } from '@conduit/providers';
import type { DataPlaneReply, DataPlaneRequest } from './front-door.js';
import type { CacheDecision } from './cache/response-cache.js';
import type { DeploymentEntry, ModelEntry } from './catalogue.js';
import { DataPlane, type RequestContext, type UsageBound } from './data-plane.service.js';
import { MessagesRoute } from './messages/messages.route.js';
import { chatRouteInput, clientSignal, requestTags, write } from './http.js';
import { estimateChatPromptTokens, estimateCompletionPromptTokens, estimateEmbeddingTokens } from './estimate.js';
import type { GuardrailSession } from './guardrails/engine.js';
import { guardRequest } from './guardrails/hooks.js';
import { renderError } from './openai-errors.js';
import { usageFigures } from './pricing.js';
import type { RouteInput } from './router.js';
import { validateChat, validateCompletion, validateEmbedding } from './validate.js';

/**
 * One SSE event for a chunk as the caller asked for it: the public model name, and
 * usage only for callers who set stream_options.include_usage (the adapter's
 * closing usage-only chunk is dropped otherwise). Undefined = nothing to send.
 */
function chunkEvent(chunk: ChatChunk, model: string, includeUsage: boolean): string | undefined {
  chunk.model = model;
  if (chunk.choices.length === 0) {
    if (!includeUsage) return undefined;
  } else if (includeUsage) chunk.usage = null;
  else delete chunk.usage;
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/**
 * The OpenAI-compatible data plane, served by the front door (front-door.ts) ahead
 * of Fastify and Nest, so a request pays for no hook, guard, pipe or interceptor:
 * auth from the in-process cache, routing, execution with retries and fallback,
 * SSE streaming, one usage event.
 */
@Injectable()
export class DataPlaneRoutes implements OnModuleInit {
  constructor(
    private readonly dp: DataPlane,
    private readonly messages: MessagesRoute,
  ) {}

  onModuleInit() {
    const door = this.dp.frontDoor();
    // Errors raised before a handler runs (malformed JSON, body too large) are answered in OpenAI's shape too.
    const onError = (err: unknown, req: DataPlaneRequest, reply: DataPlaneReply) => this.dp.fail(reply, this.dp.newContext(req, req.url.split('?')[0]!), err);
    door
      .route(['POST'], '/v1/chat/completions', (req, reply) => this.chat(req, reply), onError)
      .route(['POST'], '/v1/completions', (req, reply) => this.completions(req, reply), onError)
      .route(['POST'], '/v1/embeddings', (req, reply) => this.embeddings(req, reply), onError)
      .route(['POST'], '/v1/messages', (req, reply) => this.messages.handle(req, reply), this.messages.onError)
      .route(['GET'], '/v1/models', (req, reply) => this.listModels(req, reply), onError)
      .route(['GET'], '/v1/models/*', (req, reply) => this.getModel(req, reply), onError)
      // a CORS preflight (answered without the pipeline), or an endpoint this gateway does not serve
      .otherwise((req, reply) => {
        if (req.method === 'OPTIONS') return this.dp.preflight(req, reply);
        throw new GatewayError('not_found', `Unknown endpoint ${req.method} ${req.url.split('?')[0]}. See /docs for what this gateway serves.`);
      }, onError);
    this.dp.fastify().get('/metrics', async (req, reply) => {
      const token = this.dp.config.METRICS_TOKEN;
      if (token && req.headers.authorization !== `Bearer ${token}`) return reply.status(401).send({ error: { code: 'unauthenticated', message: 'Send Authorization: Bearer <METRICS_TOKEN>.' } });
      return reply.header('content-type', this.dp.metrics.registry.contentType).send(await this.dp.metrics.registry.metrics());
    });
  }

  private routeInput(req: DataPlaneRequest, body: ChatRequest): RouteInput {
    const tags: Record<string, string> = {};
    if (body.metadata) for (const [k, v] of Object.entries(body.metadata)) if (typeof v === 'string') tags[k] = v;
    return chatRouteInput(req, body, tags);
  }

  // ───────────────────────────── chat ─────────────────────────────

  private async chat(req: DataPlaneRequest, reply: DataPlaneReply) {
    const ctx = this.dp.newContext(req, '/v1/chat/completions');
    try {
      await this.dp.authenticate(req, reply, ctx);
      await this.runChat(req, reply, ctx, validateChat(req.body));
    } catch (err) {
      this.dp.fail(reply, ctx, err);
    }
  }

  /** The chat pipeline after authentication (also runs published prompts, /v1/prompts/{slug}/run). Throws; the caller answers errors. */
  async runChat(req: DataPlaneRequest, reply: DataPlaneReply, ctx: RequestContext, body: ChatRequest) {
    ctx.model = body.model;
    ctx.stream = body.stream === true;
    const model = this.dp.resolveModel(body.model, ctx, ['chat'], '/v1/chat/completions');
    const { guard, upstream } = guardRequest(ctx, reply, body);
    const plan = this.dp.router.plan(model, this.routeInput(req, body));
    const maxOut = this.dp.maxOutput(model, body.max_completion_tokens ?? body.max_tokens) * (body.n ?? 1);
    const candidates = await this.dp.admit(ctx, reply, model, { promptTokens: estimateChatPromptTokens(body), maxOutputTokens: maxOut }, plan.candidates);
    const lookup = this.dp.cacheLookup<ChatResponse | ChatChunk[]>(req, reply, ctx, body as unknown as Record<string, unknown>);
    const cached = lookup instanceof Promise ? await lookup : lookup;
    if (cached.hit) {
      if (ctx.stream) return await this.replayStream(reply, ctx, body, cached.hit as ChatChunk[]);
      return reply.header('x-conduit-cost-usd', '0').send({ ...(cached.hit as ChatResponse), model: body.model });
    }
    const ac = clientSignal(reply);
    if (ctx.stream) return await this.streamChat(reply, ctx, model, candidates, body, ac, cached.decision, upstream, guard);
    const { result, deployment } = await this.dp.executor.run(model, candidates, ac.signal, ctx.trace, (d, adapter) =>
      adapter.chat({ ...upstream, model: d.upstreamModel }, { signal: ac.signal, requestId: ctx.requestId, timeouts: { firstByteMs: d.timeoutMs, totalMs: d.timeoutMs } }),
    );
    result.model = body.model;
    const figures = usageFigures(result.usage, model, deployment, ctx.createdAt.getTime());
    if (guard) {
      ctx.spent = figures;
      guard.checkResponse(result);
    }
    this.dp.answer(reply, ctx, result, figures, cached.decision, result);
  }

  private async streamChat(
    reply: DataPlaneReply,
    ctx: RequestContext,
    model: ModelEntry,
    candidates: DeploymentEntry[],
    body: ChatRequest,
    ac: LightAbortController,
    cacheDecision: CacheDecision | null,
    upstream: ChatRequest = body,
    guard: GuardrailSession | null = null,
  ) {
    const includeUsage = body.stream_options?.include_usage === true;
    const error = (err: unknown) => `data: ${JSON.stringify(renderError(err).body)}\n\n`;
    const opened = await this.dp.openEventStream(reply, ctx, model, candidates, upstream, ac.signal, { error });
    if (opened === null) return;

    let usage: ChatChunk['usage'];
    const recorded: ChatChunk[] | undefined = cacheDecision ? [] : undefined;
    const completed = await this.dp.pumpStream(reply, ctx, model, opened.deployment, opened, ac.signal, {
      encode: (chunk) => {
        if (chunk.usage) usage = chunk.usage;
        guard?.filterChunk(chunk);
        recorded?.push({ ...chunk });
        return chunkEvent(chunk, body.model, includeUsage);
      },
      end: () => 'data: [DONE]\n\n',
      usage: () => usage,
      error,
    });
    if (completed && cacheDecision && recorded) void this.dp.cache.set(ctx.tenant!, cacheDecision, recorded);
  }

  /** A cached stream, replayed as a stream. */
  private async replayStream(reply: DataPlaneReply, ctx: RequestContext, body: ChatRequest, chunks: ChatChunk[]) {
    ctx.ttftMs = Math.round(performance.now() - ctx.startedAt);
    reply.header('x-conduit-cost-usd', '0');
    this.dp.beginEventStream(reply, ctx, null);
    const includeUsage = body.stream_options?.include_usage === true;
    for (const chunk of chunks) {
      const event = chunkEvent(chunk, body.model, includeUsage);
      if (event !== undefined) await write(reply, event);
      if (reply.raw.destroyed) return;
    }
    reply.raw.end('data: [DONE]\n\n');
  }

  // ───────────────────────────── completions ─────────────────────────────

  private async completions(req: DataPlaneRequest, reply: DataPlaneReply) {
    const ctx = this.dp.newContext(req, '/v1/completions');
    try {
      await this.dp.authenticate(req, reply, ctx);
      const body: CompletionRequest = validateCompletion(req.body);
      ctx.model = body.model;
      if (body.stream) {
        throw new GatewayError('validation_failed', 'Streaming legacy completions is not supported; use /v1/chat/completions with stream: true.', { param: 'stream' });
      }
      const model = this.dp.resolveModel(body.model, ctx, ['chat', 'completion'], '/v1/completions');
      const text = Array.isArray(body.prompt) ? body.prompt.join('\n') : body.prompt;
      const plan = this.dp.router.plan(model, { headers: req.headers, tags: requestTags(req), prompt: () => text });
      const maxOut = this.dp.maxOutput(model, body.max_tokens) * (body.n ?? 1);
      return await this.unary(req, reply, ctx, model, body, plan.candidates, { promptTokens: estimateCompletionPromptTokens(body), maxOutputTokens: maxOut }, (adapter, upstream, opts) =>
        adapter.complete(upstream, opts),
      );
    } catch (err) {
      this.dp.fail(reply, ctx, err);
    }
  }

  // ───────────────────────────── embeddings ─────────────────────────────

  private async embeddings(req: DataPlaneRequest, reply: DataPlaneReply) {
    const ctx = this.dp.newContext(req, '/v1/embeddings');
    try {
      await this.dp.authenticate(req, reply, ctx);
      const body: EmbeddingRequest = validateEmbedding(req.body);
      ctx.model = body.model;
      const model = this.dp.resolveModel(body.model, ctx, ['embedding'], '/v1/embeddings');
      const plan = this.dp.router.plan(model, { headers: req.headers, tags: requestTags(req), prompt: () => (typeof body.input === 'string' ? body.input : '') });
      return await this.unary(req, reply, ctx, model, body, plan.candidates, { promptTokens: estimateEmbeddingTokens(body), maxOutputTokens: 0 }, (adapter, upstream, opts) =>
        adapter.embed(upstream, opts),
        (res) => ({ prompt_tokens: res.usage.prompt_tokens, completion_tokens: 0, total_tokens: res.usage.total_tokens }),
      );
    } catch (err) {
      this.dp.fail(reply, ctx, err);
    }
  }

  /**
   * The pipeline of a non-streamed call after routing: limits, the response cache,
   * execution with retries and fallback, one usage event, the answer with its cost.
   */
  private async unary<Req extends { model: string }, Res extends { model: string; usage?: unknown }>(
    req: DataPlaneRequest,
    reply: DataPlaneReply,
    ctx: RequestContext,
    model: ModelEntry,
    body: Req,
    planned: DeploymentEntry[],
    bound: UsageBound,
    call: (adapter: ProviderAdapter, upstream: Req, opts: CallOptions) => Promise<Res>,
    usageOf: (res: Res) => Usage | null | undefined = (res) => res.usage as Usage | null | undefined,
  ) {
    const candidates = await this.dp.admit(ctx, reply, model, bound, planned);
    const lookup = this.dp.cacheLookup<Res>(req, reply, ctx, body as unknown as Record<string, unknown>);
    const cached = lookup instanceof Promise ? await lookup : lookup;
    if (cached.hit) return reply.header('x-conduit-cost-usd', '0').send({ ...cached.hit, model: body.model });
    const ac = clientSignal(reply);
    const { result, deployment } = await this.dp.executor.run(model, candidates, ac.signal, ctx.trace, (d, adapter) =>
      call(adapter, { ...body, model: d.upstreamModel }, { signal: ac.signal, requestId: ctx.requestId, timeouts: { firstByteMs: d.timeoutMs, totalMs: d.timeoutMs } }),
    );
    result.model = body.model;
    const figures = usageFigures(usageOf(result), model, deployment, ctx.createdAt.getTime());
    this.dp.answer(reply, ctx, result, figures, cached.decision, result);
  }

  // ───────────────────────────── models ─────────────────────────────

  private modelObject(m: ModelEntry) {
    return { id: m.name, object: 'model' as const, created: m.created, owned_by: m.deployments[0]?.providerSlug ?? 'conduit' };
  }

  private async listModels(req: DataPlaneRequest, reply: DataPlaneReply) {
    const ctx = this.dp.newContext(req, '/v1/models');
    try {
      await this.dp.authenticate(req, reply, ctx);
      const data = [];
      for (const m of this.dp.catalogue.models.values()) if (this.dp.mayUse(m, ctx.key!, ctx.tenant!) === 'ok') data.push(this.modelObject(m));
      data.sort((a, b) => a.id.localeCompare(b.id));
      return reply.send({ object: 'list', data });
    } catch (err) {
      this.dp.fail(reply, ctx, err);
    }
  }

  private async getModel(req: DataPlaneRequest, reply: DataPlaneReply) {
    const ctx = this.dp.newContext(req, '/v1/models/{id}');
    try {
      await this.dp.authenticate(req, reply, ctx);
      const raw = req.params['*']!;
      let id = raw;
      try {
        id = decodeURIComponent(raw);
      } catch {
        // a stray % is part of the name as sent
      }
      const model = this.dp.catalogue.models.get(id);
      if (!model || this.dp.mayUse(model, ctx.key!, ctx.tenant!) !== 'ok') {
        throw new GatewayError('model_not_found', `The model \`${id}\` does not exist or this key may not use it.`, { param: 'model' });
      }
      return reply.send(this.modelObject(model));
    } catch (err) {
      this.dp.fail(reply, ctx, err);
    }
  }
}
