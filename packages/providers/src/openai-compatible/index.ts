/**
 * OpenAI-compatible servers, each one line over the factory. `openai-compatible`
 * is the generic one: any base URL, key optional (vLLM, LM Studio, Ollama's /v1, …).
 */
import { createOpenAICompatible } from './factory';

export { createOpenAICompatible } from './factory';
export type { OpenAICompatibleOptions, Endpoint } from './factory';

export const openaiCompatible = createOpenAICompatible({
  id: 'openai-compatible',
  displayName: 'OpenAI-compatible server',
  auth: 'optional-bearer',
});

export const vllm = createOpenAICompatible({ id: 'vllm', displayName: 'vLLM', auth: 'optional-bearer' });

export const lmstudio = createOpenAICompatible({
  id: 'lmstudio',
  displayName: 'LM Studio',
  defaultBaseUrl: 'http://localhost:1234/v1',
  auth: 'optional-bearer',
});

export const together = createOpenAICompatible({
  id: 'together',
  displayName: 'Together AI',
  defaultBaseUrl: 'https://api.together.xyz/v1',
});

export const groq = createOpenAICompatible({
  id: 'groq',
  displayName: 'Groq',
  defaultBaseUrl: 'https://api.groq.com/openai/v1',
  capabilities: { multipleChoices: false, completions: 'chat', embeddings: false },
  fields: {
    logprobs: { unsupported: 'logprobs', allow: (v) => v === false },
    logit_bias: { unsupported: 'logit_bias' },
    top_logprobs: { drop: 'only meaningful with logprobs' },
    store: { drop: 'OpenAI-only' },
    metadata: { drop: 'OpenAI-only' },
  },
});

export const deepseek = createOpenAICompatible({
  id: 'deepseek',
  displayName: 'DeepSeek',
  defaultBaseUrl: 'https://api.deepseek.com/v1',
  capabilities: { embeddings: false, completions: 'chat', vision: false, multipleChoices: false, jsonSchema: false },
  fields: {
    max_completion_tokens: { to: 'max_tokens' },
    seed: { drop: 'DeepSeek ignores seed' },
    store: { drop: 'OpenAI-only' },
    metadata: { drop: 'OpenAI-only' },
    service_tier: { drop: 'OpenAI-only' },
  },
});
