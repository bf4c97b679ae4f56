import type { ChatRequest, CompletionRequest, EmbeddingRequest } from '@conduit/providers';

/**
 * Prompt sizes estimated without a tokenizer (about four characters a token), for
 * reservations on the hot path; the reservation is corrected to the provider's
 * reported usage when the request settles.
 */
const IMAGE_TOKENS = 85 * 4;

export function estimateChatPromptTokens(body: ChatRequest): number {
  let chars = 0;
  for (const m of body.messages) {
    const c = m.content;
    if (typeof c === 'string') chars += c.length;
    else if (Array.isArray(c)) for (const p of c) chars += p.type === 'text' ? p.text.length : p.type === 'refusal' ? p.refusal.length : IMAGE_TOKENS * 4;
    if ('tool_calls' in m && m.tool_calls) for (const tc of m.tool_calls) chars += tc.function.name.length + tc.function.arguments.length;
  }
  if (body.tools) chars += JSON.stringify(body.tools).length;
  return Math.ceil(chars / 4) + body.messages.length * 4 + 3;
}

export function estimateCompletionPromptTokens(body: CompletionRequest): number {
  const p = body.prompt;
  return Math.ceil((Array.isArray(p) ? p.reduce((n, s) => n + s.length, 0) : p.length) / 4) + 1;
}

export function estimateEmbeddingTokens(body: EmbeddingRequest): number {
  const input = body.input;
  if (typeof input === 'string') return Math.ceil(input.length / 4) + 1;
  let n = 0;
  for (const i of input) n += typeof i === 'string' ? Math.ceil(i.length / 4) + 1 : Array.isArray(i) ? i.length : 1;
  return n;
}
