/**
 * Unified (OpenAI-shaped) answers → Anthropic Messages answers: the message
 * object, stop reasons and usage.
 */
import type { ChatResponse, FinishReason, Usage } from '@conduit/providers';
import type { AnthropicContentBlock, AnthropicMessage, AnthropicStopReason, AnthropicUsage } from './wire.js';

/**
 * finish_reason → stop_reason. `stop` is `stop_sequence` only with evidence of
 * which sequence matched (OpenAI-compatible servers such as vLLM report it as
 * the choice's `stop_reason`); OpenAI itself does not say, so it reads as end_turn.
 */
export function stopReason(finish: FinishReason | null | undefined, matched: string | null): AnthropicStopReason {
  switch (finish) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return matched !== null ? 'stop_sequence' : 'end_turn';
  }
}

/** The stop sequence that ended the answer, when the provider said which (and the caller asked for it). */
export function matchedStopSequence(choice: unknown, stopSequences: readonly string[] | undefined): string | null {
  if (!stopSequences || stopSequences.length === 0 || choice === null || typeof choice !== 'object') return null;
  const reported = (choice as { stop_reason?: unknown }).stop_reason;
  return typeof reported === 'string' && stopSequences.includes(reported) ? reported : null;
}

/**
 * OpenAI's prompt_tokens counts cache reads and writes; Anthropic's input_tokens
 * does not (they are reported beside it). Cache figures appear when reported.
 */
export function anthropicUsage(u: Usage | null | undefined): AnthropicUsage {
  const prompt = u?.prompt_tokens ?? 0;
  const read = u?.prompt_tokens_details?.cached_tokens ?? 0;
  const write = u?.prompt_tokens_details?.cache_write_tokens ?? 0;
  const out: AnthropicUsage = { input_tokens: Math.max(0, prompt - read - write), output_tokens: u?.completion_tokens ?? 0 };
  if (u?.prompt_tokens_details && (u.prompt_tokens_details.cached_tokens !== undefined || u.prompt_tokens_details.cache_write_tokens !== undefined)) {
    out.cache_creation_input_tokens = write;
    out.cache_read_input_tokens = read;
  }
  return out;
}

/** Tool arguments as the object Anthropic's `input` is; unparseable arguments keep their text under `_raw`. */
export function toolInput(args: string | undefined): Record<string, unknown> {
  if (!args) return {};
  try {
    const v: unknown = JSON.parse(args);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  return { _raw: args };
}

/** Anthropic ids look like `msg_…`; upstream ids of other shapes are prefixed. */
export function messageId(upstreamId: string | undefined, requestId: string): string {
  if (upstreamId && upstreamId.startsWith('msg_')) return upstreamId;
  return `msg_${(upstreamId || requestId).replace(/[^A-Za-z0-9_-]/g, '')}`;
}

export function toAnthropicMessage(res: ChatResponse, opts: { model: string; requestId: string; stopSequences?: readonly string[] }): AnthropicMessage {
  const choice = res.choices[0];
  const content: AnthropicContentBlock[] = [];
  const msg = choice?.message;
  const text = typeof msg?.content === 'string' ? msg.content : '';
  if (text !== '') content.push({ type: 'text', text });
  else if (msg?.refusal) content.push({ type: 'text', text: msg.refusal });
  for (const tc of msg?.tool_calls ?? []) {
    content.push({ type: 'tool_use', id: tc.id, name: tc.function.name, input: toolInput(tc.function.arguments) });
  }
  const matched = matchedStopSequence(choice, opts.stopSequences);
  let reason = stopReason(choice?.finish_reason, matched);
  // some providers end a tool-calling turn with finish_reason "stop"
  if (reason === 'end_turn' && (msg?.tool_calls?.length ?? 0) > 0) reason = 'tool_use';
  return {
    id: messageId(res.id, opts.requestId),
    type: 'message',
    role: 'assistant',
    model: opts.model,
    content,
    stop_reason: reason,
    stop_sequence: reason === 'stop_sequence' ? matched : null,
    usage: anthropicUsage(res.usage),
  };
}
