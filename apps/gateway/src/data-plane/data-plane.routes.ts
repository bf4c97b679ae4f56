import { Injectable, type OnModuleInit } from '@nestjs/common';
import { GatewayError } from '@conduit/contracts';
import type { ChatChunk, ChatRequest, CompletionRequest, EmbeddingRequest } from '@conduit/providers';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DeploymentEntry, ModelEntry } from './catalogue.js';
import { DataPlane, type RequestContext } from './data-plane.service.js';
import { MessagesRoute } from './messages/messages.route.js';
import { renderError } from './openai-errors.js';
import { usageFigures } from './pricing.js';
import type { RouteInput } from './router.js';
import { validateChat, validateCompletion, validateEmbedding } from './validate.js';

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' };

function parseTags(req: FastifyRequest, body: { metadata?: unknown }): Record<string, string> {
  const tags: Record<string, string> = {};
  if (body.metadata && typeof body.metadata === 'object') {
    for (const [k, v] of Object.entries(body.metadata as Record<string, unknown>)) if (typeof v === 'string') tags[k] = v;
  }
  const header = req.headers['x-conduit-tags'];
  if (typeof header === 'string') {
    for (const part of header.split(',')) {
      const i = part.indexOf('=');
      if (i > 0) tags[part.slice(0, i).trim()] = part.slice(i + 1).trim();
    }
  }
  return tags;
}

function promptText(messages: ChatRequest['messages']): string {
  let s = '';
  for (const m of messages) {
    if (typeof m.content === 'string') s += m.content + '\n';
    else if (Array.isArray(m.content)) for (const p of m.content) if (p.type === 'text') s += p.text + '\n';
  }
  return s;
}

/** Waits until the socket can take more (backpressure), or the client is gone. */
function write(reply: FastifyReply, data: string): Promise<void> | undefined {
  if (reply.raw.write(data)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      reply.raw.off('drain', done);
      reply.raw.off('close', done);
      resolve();
    };
    reply.raw.once('drain', done);
    reply.raw.once('close', done);
  });
}

/**
 * The OpenAI-compatible data plane, registered straight on Fastify so a request
 * pays for no Nest guard, pipe or interceptor: auth from the in-process cache,
 * routing, execution with retries and fallback, SSE streaming, one usage event.
 */
@Injectable()
export class DataPlaneRoutes implements OnModuleInit {
  constructor(
    private readonly dp: DataPlane,
    private readonly messages: MessagesRoute,
  ) {}

  onModuleInit() {
    const app = this.dp.fastify();
    // Errors Fastify raises before a handler runs (malformed JSON, body too large)
    // are answered in OpenAI's shape too.
    const errorHandler = (err: Error, req: FastifyRequest, reply: FastifyReply) => this.dp.fail(reply, this.dp.newContext(req, req.url), err);
    const opts = { errorHandler };
    app.post('/v1/chat/completions', opts, (req, reply) => this.chat(req, reply));
    app.post('/v1/completions', opts, (req, reply) => this.completions(req, reply));
    app.post('/v1/embeddings', opts, (req, reply) => this.embeddings(req, reply));
    app.post('/v1/messages', this.messages.routeOptions, (req, reply) => this.messages.handle(req, reply));
    app.get('/v1/models', opts, (req, reply) => this.listModels(req, reply));
    app.get('/v1/models/*', opts, (req, reply) => this.getModel(req, reply));
    app.options('/v1/*', (req, reply) => this.dp.preflight(req, reply));
    app.get('/metrics', async (req, reply) => {
      const token = this.dp.config.METRICS_TOKEN;
      if (token && req.headers.authorization !== `Bearer ${token}`) return reply.status(401).send({ error: { code: 'unauthenticated', message: 'Send Authorization: Bearer <METRICS_TOKEN>.' } });
      return reply.header('content-type', this.dp.metrics.registry.contentType).send(await this.dp.metrics.registry.metrics());
    });
    app.route({
      method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
      url: '/v1/*',
      errorHandler,
      handler: (req, reply) =>
        this.dp.fail(reply, this.dp.newContext(req, req.url), new GatewayError('not_found', `Unknown endpoint ${req.method} ${req.url.split('?')[0]}. See /docs for what this gateway serves.`)),
    });
  }

  /** Aborts the upstream call when the client goes away before the answer is complete. */
  private clientSignal(reply: FastifyReply): AbortController {
    const ac = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) ac.abort(new Error('client closed the connection'));
    });
    return ac;
  }

  private routeInput(req: FastifyRequest, body: ChatRequest): RouteInput {
    let text: string | undefined;
    return { headers: req.headers, tags: parseTags(req, body), prompt: () => (text ??= promptText(body.messages)) };
  }

  // ───────────────────────────── chat ─────────────────────────────

  private async chat(req: FastifyRequest, reply: FastifyReply) {
    const ctx = this.dp.newContext(req, '/v1/chat/completions');
    try {
      await this.dp.authenticate(req, reply, ctx);
      const body = validateChat(req.body);
      ctx.model = body.model;
      ctx.stream = body.stream === true;
      const model = this.dp.resolveModel(body.model, ctx, ['chat'], '/v1/chat/completions');
      const plan = this.dp.router.plan(model, this.routeInput(req, body));
      const ac = this.clientSignal(reply);
      if (ctx.stream) return await this.streamChat(reply, ctx, model, plan.candidates, body, ac);
      const { result, deployment } = await this.dp.executor.run(model, plan.candidates, ac.signal, ctx.trace, (d, adapter) =>
        adapter.chat({ ...body, model: d.upstreamModel }, { signal: ac.signal, requestId: ctx.requestId, timeouts: { firstByteMs: d.timeoutMs, totalMs: d.timeoutMs } }),
      );
      result.model = body.model;
      const figures = usageFigures(result.usage, model, deployment, ctx.createdAt.getTime());
      this.dp.emitUsage(ctx, { status: 'success', httpStatus: 200, ...figures });
      this.dp.traceHeaders(reply, ctx);
      return reply.header('x-conduit-cost-usd', figures.costUsd).send(result);
    } catch (err) {
      this.dp.fail(reply, ctx, err);
    }
  }

  private async streamChat(
    reply: FastifyReply,
    ctx: RequestContext,
    model: ModelEntry,
    candidates: DeploymentEntry[],
    body: ChatRequest,
    ac: AbortController,
  ) {
    const includeUsage = body.stream_options?.include_usage === true;
    // Fallback is allowed until the first byte reaches the client: the call is
    // only "done" once the first chunk has arrived.
    const { result, deployment } = await this.dp.executor.run(model, candidates, ac.signal, ctx.trace, async (d, adapter) => {
      const it = adapter
        .chatStream({ ...body, model: d.upstreamModel }, { signal: ac.signal, requestId: ctx.requestId, timeouts: { firstByteMs: d.timeoutMs, idleMs: d.timeoutMs } })
        [Symbol.asyncIterator]();
      const first = await it.next();
      return { it, first };
    });
    ctx.ttftMs = Math.round(performance.now() - ctx.startedAt);
    reply.hijack();
    const raw = reply.raw;
    const headers: Record<string, string> = { ...SSE_HEADERS, 'x-request-id': ctx.requestId, 'x-conduit-attempts': String(ctx.trace.attempts), 'x-conduit-fallbacks': String(ctx.trace.fallbacks), 'x-conduit-provider': deployment.providerSlug, 'x-conduit-deployment': deployment.id };
    const origin = reply.getHeader('access-control-allow-origin');
    if (typeof origin === 'string') headers['access-control-allow-origin'] = origin;
    raw.writeHead(200, headers);

    let usage: ChatChunk['usage'];
    const send = (chunk: ChatChunk) => {
      chunk.model = body.model;
      if (chunk.usage) usage = chunk.usage;
      if (chunk.choices.length === 0) {
        // the adapter's closing usage chunk: only for callers who asked for it
        if (!includeUsage) return undefined;
      } else if (includeUsage) chunk.usage = null;
      else delete chunk.usage;
      return write(reply, `data: ${JSON.stringify(chunk)}\n\n`);
    };
    const { it, first } = result;
    try {
      if (!first.done) await send(first.value);
      for (;;) {
        const next = await it.next();
        if (next.done) break;
        const pending = send(next.value);
        if (pending) await pending;
        if (raw.destroyed) break;
      }
      if (raw.destroyed || ac.signal.aborted) throw Object.assign(new Error('client closed the connection'), { aborted: true });
      raw.end('data: [DONE]\n\n');
      this.dp.emitUsage(ctx, { status: 'success', httpStatus: 200, ...usageFigures(usage, model, deployment, ctx.createdAt.getTime()) });
    } catch (err) {
      void it.return?.(undefined);
      const aborted = ac.signal.aborted || raw.destroyed;
      const figures = usageFigures(usage, model, deployment, ctx.createdAt.getTime());
      if (aborted) {
        this.dp.emitUsage(ctx, { status: 'aborted', httpStatus: 499, errorCategory: 'client_aborted', errorCode: 'client_closed_request', ...figures });
        return;
      }
      // Never a silent cut: the client gets an explicit error event, and no [DONE].
      const r = renderError(err);
      this.dp.emitUsage(ctx, { status: 'error', httpStatus: r.status, errorCategory: r.category, errorCode: r.code, errorMessage: r.body.error.message, ...figures });
      raw.end(`data: ${JSON.stringify(r.body)}\n\n`);
    }
  }

  // ───────────────────────────── completions ─────────────────────────────

  private async completions(req: FastifyRequest, reply: FastifyReply) {
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
      const plan = this.dp.router.plan(model, { headers: req.headers, tags: parseTags(req, {}), prompt: () => text });
      const ac = this.clientSignal(reply);
      const { result, deployment } = await this.dp.executor.run(model, plan.candidates, ac.signal, ctx.trace, (d, adapter) =>
        adapter.complete({ ...body, model: d.upstreamModel }, { signal: ac.signal, requestId: ctx.requestId, timeouts: { firstByteMs: d.timeoutMs, totalMs: d.timeoutMs } }),
      );
      result.model = body.model;
      const figures = usageFigures(result.usage, model, deployment, ctx.createdAt.getTime());
      this.dp.emitUsage(ctx, { status: 'success', httpStatus: 200, ...figures });
      this.dp.traceHeaders(reply, ctx);
      return reply.header('x-conduit-cost-usd', figures.costUsd).send(result);
    } catch (err) {
      this.dp.fail(reply, ctx, err);
    }
  }

  // ───────────────────────────── embeddings ─────────────────────────────

  private async embeddings(req: FastifyRequest, reply: FastifyReply) {
    const ctx = this.dp.newContext(req, '/v1/embeddings');
    try {
      await this.dp.authenticate(req, reply, ctx);
      const body: EmbeddingRequest = validateEmbedding(req.body);
      ctx.model = body.model;
      const model = this.dp.resolveModel(body.model, ctx, ['embedding'], '/v1/embeddings');
      const plan = this.dp.router.plan(model, { headers: req.headers, tags: parseTags(req, {}), prompt: () => (typeof body.input === 'string' ? body.input : '') });
      const ac = this.clientSignal(reply);
      const { result, deployment } = await this.dp.executor.run(model, plan.candidates, ac.signal, ctx.trace, (d, adapter) =>
        adapter.embed({ ...body, model: d.upstreamModel }, { signal: ac.signal, requestId: ctx.requestId, timeouts: { firstByteMs: d.timeoutMs, totalMs: d.timeoutMs } }),
      );
      result.model = body.model;
      const figures = usageFigures({ prompt_tokens: result.usage.prompt_tokens, completion_tokens: 0, total_tokens: result.usage.total_tokens }, model, deployment, ctx.createdAt.getTime());
      this.dp.emitUsage(ctx, { status: 'success', httpStatus: 200, ...figures });
      this.dp.traceHeaders(reply, ctx);
      return reply.header('x-conduit-cost-usd', figures.costUsd).send(result);
    } catch (err) {
      this.dp.fail(reply, ctx, err);
    }
  }

  // ───────────────────────────── models ─────────────────────────────

  private modelObject(m: ModelEntry) {
    return { id: m.name, object: 'model' as const, created: m.created, owned_by: m.deployments[0]?.providerSlug ?? 'conduit' };
  }

  private async listModels(req: FastifyRequest, reply: FastifyReply) {
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

  private async getModel(req: FastifyRequest, reply: FastifyReply) {
    const ctx = this.dp.newContext(req, '/v1/models/{id}');
    try {
      await this.dp.authenticate(req, reply, ctx);
      const id = decodeURIComponent((req.params as { '*': string })['*']);
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
