import { Injectable } from '@nestjs/common';
import { GatewayError } from '@conduit/contracts';
import { type ChatRequest, countPromptTokens, type LightAbortController } from '@conduit/providers';
import type { DataPlaneReply, DataPlaneRequest } from '../front-door.js';
import type { DeploymentEntry, ModelEntry } from '../catalogue.js';
import { DataPlane, type RequestContext } from '../data-plane.service.js';
import { estimateChatPromptTokens } from '../estimate.js';
import { chatRouteInput, clientSignal, write } from '../http.js';
import type { GuardrailSession } from '../guardrails/engine.js';
import { guardRequest } from '../guardrails/hooks.js';
import { usageFigures } from '../pricing.js';
import type { RouteInput } from '../router.js';
import { renderAnthropicError } from './errors.js';
import { validateMessagesRequest, toChatRequest } from './request.js';
import { toAnthropicMessage } from './response.js';
import { MessagesStreamTranslator, sseError } from './stream.js';
import type { AnthropicRequest } from './wire.js';

const ENDPOINT = '/v1/messages';
const VERSION = /^\d{4}-\d{2}-\d{2}$/;

/** `anthropic-version` is accepted (any dated version) and otherwise ignored: the answer's shape does not depend on it. */
function checkVersion(header: string | string[] | undefined) {
  const v = Array.isArray(header) ? header[0] : header;
  if (v !== undefined && !VERSION.test(v.trim())) {
    throw new GatewayError('validation_failed', `anthropic-version: "${v}" is not a version; send a date such as 2023-06-01 (or omit the header).`, { param: 'anthropic-version' });
  }
}

function routeInput(req: DataPlaneRequest, body: AnthropicRequest, chat: ChatRequest): RouteInput {
  return chatRouteInput(req, chat, typeof body.metadata?.user_id === 'string' ? { user_id: body.metadata.user_id } : {});
}

/**
 * `POST /v1/messages`: Anthropic's Messages API in and out, routed to any
 * provider. The request is translated to the unified chat request and then runs
 * the same pipeline as `/v1/chat/completions` (auth, access, routing, retries
 * and fallback until the first byte, one usage event); answers and errors are
 * translated back to Anthropic's shapes, streams to its SSE event sequence.
 */
@Injectable()
export class MessagesRoute {
  constructor(private readonly dp: DataPlane) {}

  /** Errors raised before the handler runs (malformed JSON, body too large) answer in Anthropic's shape too. */
  readonly onError = (err: unknown, req: DataPlaneRequest, reply: DataPlaneReply) => this.fail(reply, this.dp.newContext(req, ENDPOINT), err);

  async handle(req: DataPlaneRequest, reply: DataPlaneReply) {
    const ctx = this.dp.newContext(req, ENDPOINT);
    try {
      await this.dp.authenticate(req, reply, ctx);
      checkVersion(req.headers['anthropic-version']);
      const body = validateMessagesRequest(req.body);
      ctx.model = body.model;
      ctx.stream = body.stream === true;
      const model = this.dp.resolveModel(body.model, ctx, ['chat'], ENDPOINT);
      const chat = toChatRequest(body);
      const { guard, upstream } = guardRequest(ctx, reply, chat);
      const plan = this.dp.router.plan(model, routeInput(req, body, chat));
      const bound = { promptTokens: estimateChatPromptTokens(chat), maxOutputTokens: this.dp.maxOutput(model, chat.max_tokens) };
      const candidates = await this.dp.admit(ctx, reply, model, bound, plan.candidates);
      const ac = clientSignal(reply);
      if (ctx.stream) return await this.stream(reply, ctx, model, candidates, body, upstream, ac, guard);
      const { result, deployment } = await this.dp.executor.run(model, candidates, ac.signal, ctx.trace, (d, adapter) =>
        adapter.chat({ ...upstream, model: d.upstreamModel }, { signal: ac.signal, requestId: ctx.requestId, timeouts: { firstByteMs: d.timeoutMs, totalMs: d.timeoutMs } }),
      );
      const figures = usageFigures(result.usage, model, deployment, ctx.createdAt.getTime());
      if (guard) {
        ctx.spent = figures;
        guard.checkResponse(result);
      }
      const message = toAnthropicMessage(result, { model: body.model, requestId: ctx.requestId, stopSequences: body.stop_sequences });
      this.dp.answer(reply.header('request-id', ctx.requestId), ctx, message, figures);
    } catch (err) {
      this.fail(reply, ctx, err);
    }
  }

  private async stream(
    reply: DataPlaneReply,
    ctx: RequestContext,
    model: ModelEntry,
    candidates: DeploymentEntry[],
    body: AnthropicRequest,
    chat: ChatRequest,
    ac: LightAbortController,
    guard: GuardrailSession | null = null,
  ) {
    const error = (err: unknown) => sseError(renderAnthropicError(err, ctx.requestId).body);
    const opened = await this.dp.openEventStream(reply, ctx, model, candidates, chat, ac.signal, { error }, { 'request-id': ctx.requestId });
    if (opened === null) return;
    const { it, first, deployment } = opened;
    const translator = new MessagesStreamTranslator({
      model: body.model,
      requestId: ctx.requestId,
      estimatedInputTokens: countPromptTokens({ ...chat, model: deployment.upstreamModel }),
      stopSequences: body.stop_sequences,
    });

    // Never a silent cut: a failure ends with Anthropic's explicit `event: error`, and no message_stop.
    await this.dp.pumpStream(reply, ctx, model, deployment, { it, first }, ac.signal, {
      encode: (chunk) => {
        guard?.filterChunk(chunk);
        return translator.push(chunk);
      },
      end: () => translator.end(),
      usage: () => translator.usage,
      error,
    });
  }

  /** Answers an error in Anthropic's shape (DataPlane.fail records it). */
  private fail(reply: DataPlaneReply, ctx: RequestContext, err: unknown) {
    this.dp.fail(reply, ctx, err, () => {
      const e = renderAnthropicError(err, ctx.requestId);
      return { status: e.status, headers: { ...e.headers, 'request-id': ctx.requestId }, body: e.body };
    });
  }
}
