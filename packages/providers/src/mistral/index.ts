/**
 * Mistral La Plateforme: OpenAI-compatible with renamed / missing fields.
 * Streams carry usage on the last chunk without `stream_options`.
 */
import { createOpenAICompatible } from '../openai-compatible/factory';

export const mistral = createOpenAICompatible({
  id: 'mistral',
  displayName: 'Mistral',
  defaultBaseUrl: 'https://api.mistral.ai/v1',
  streamOptions: false,
  capabilities: { completions: 'chat' },
  fields: {
    max_completion_tokens: { to: 'max_tokens' },
    seed: { to: 'random_seed' },
    tool_choice: { to: 'tool_choice', transform: (v) => (v === 'required' ? 'any' : v) },
    user: { drop: 'Mistral has no end-user field' },
    logit_bias: { drop: 'not supported by Mistral; ignoring only biases sampling' },
    logprobs: { unsupported: 'logprobs', allow: (v) => v === false },
    top_logprobs: { drop: 'only meaningful with logprobs' },
    store: { drop: 'OpenAI-only' },
    metadata: { drop: 'OpenAI-only' },
    service_tier: { drop: 'OpenAI-only' },
    reasoning_effort: { drop: 'OpenAI-only' },
  },
});
