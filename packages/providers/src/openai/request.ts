/**
 * OpenAI chat-completions request: the unified model *is* this wire shape, so
 * the mapping is nearly identity. The field table is still explicit: unknown
 * fields never leak upstream, and OpenAI-compatible dialects override rows.
 */
import type { FieldRules } from '../core/mapping';
import type { ChatMessage, ChatRequest, CompletionRequest, EmbeddingRequest } from '../core/types';

/** Every unified chat field OpenAI accepts, same name upstream. */
export const openaiChatFields: FieldRules<ChatRequest> = {
  temperature: { to: 'temperature', clamp: [0, 2] },
  top_p: { to: 'top_p', clamp: [0, 1] },
  n: { to: 'n' },
  stop: { to: 'stop' },
  max_tokens: { to: 'max_tokens' },
  max_completion_tokens: { to: 'max_completion_tokens' },
  presence_penalty: { to: 'presence_penalty', clamp: [-2, 2] },
  frequency_penalty: { to: 'frequency_penalty', clamp: [-2, 2] },
  logit_bias: { to: 'logit_bias' },
  logprobs: { to: 'logprobs' },
  top_logprobs: { to: 'top_logprobs' },
  user: { to: 'user' },
  seed: { to: 'seed' },
  tools: { to: 'tools' },
  tool_choice: { to: 'tool_choice' },
  parallel_tool_calls: { to: 'parallel_tool_calls' },
  response_format: { to: 'response_format' },
  reasoning_effort: { to: 'reasoning_effort' },
  metadata: { to: 'metadata' },
  store: { to: 'store' },
  service_tier: { to: 'service_tier' },
};

export const openaiCompletionFields: FieldRules<CompletionRequest> = {
  prompt: { to: 'prompt' },
  suffix: { to: 'suffix' },
  max_tokens: { to: 'max_tokens' },
  temperature: { to: 'temperature', clamp: [0, 2] },
  top_p: { to: 'top_p', clamp: [0, 1] },
  n: { to: 'n' },
  logprobs: { to: 'logprobs' },
  echo: { to: 'echo' },
  stop: { to: 'stop' },
  presence_penalty: { to: 'presence_penalty' },
  frequency_penalty: { to: 'frequency_penalty' },
  best_of: { to: 'best_of' },
  logit_bias: { to: 'logit_bias' },
  user: { to: 'user' },
  seed: { to: 'seed' },
};

export const openaiEmbeddingFields: FieldRules<EmbeddingRequest> = {
  input: { to: 'input' },
  encoding_format: { to: 'encoding_format' },
  dimensions: { to: 'dimensions' },
  user: { to: 'user' },
};

/** Rewrites `developer` turns as `system` for servers that predate the role. */
export function developerAsSystem(messages: ChatMessage[]): ChatMessage[] {
  let changed = false;
  for (const m of messages) if (m.role === 'developer') changed = true;
  if (!changed) return messages;
  return messages.map((m) => (m.role === 'developer' ? { role: 'system', content: m.content } : m));
}
