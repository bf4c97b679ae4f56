import type { ChatRequest } from '@conduit/providers';
import type { DataPlaneReply } from '../front-door.js';
import type { RequestContext } from '../data-plane.service.js';
import { type GuardrailSession, startGuardrails } from './engine.js';

/**
 * The pre-call guardrail step of a chat-shaped request (after the model is
 * resolved, before limits and the cache): records the session's decisions in
 * the request's usage metadata, throws when the policy blocks, marks a flagged
 * request with `x-conduit-guardrails: flagged`, and returns the request to send
 * upstream (redacted or tokenized) and the session for the answer.
 */
export function guardRequest(ctx: RequestContext, reply: DataPlaneReply, chat: ChatRequest): { guard: GuardrailSession | null; upstream: ChatRequest } {
  const guard = startGuardrails(ctx.tenant!, ctx.key);
  if (!guard) return { guard, upstream: chat };
  (ctx.metadata ??= {})['guardrails'] = guard.decisions;
  const upstream = guard.checkRequest(chat);
  if (guard.decisions.flagged) reply.header('x-conduit-guardrails', 'flagged');
  return { guard, upstream };
}
