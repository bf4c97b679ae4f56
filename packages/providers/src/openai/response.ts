/**
 * OpenAI chat/completions/embeddings responses are already the unified shape:
 * parsing checks the shape, fills fields some compatible servers omit, and
 * normalises usage (cached/reasoning tokens, DeepSeek's cache counters).
 */
import { badUpstream, isRecord } from '../core/content';
import type { ChatResponse, CompletionResponse, EmbeddingResponse, Usage } from '../core/types';

/** Normalises an OpenAI-style usage object (and common compatible-server variants). */
export function normalizeUsage(raw: unknown): Usage | undefined {
  if (!isRecord(raw)) return undefined;
  const prompt = num(raw['prompt_tokens']);
  const completion = num(raw['completion_tokens']);
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: typeof raw['total_tokens'] === 'number' ? raw['total_tokens'] : prompt + completion,
  };
  const pd = raw['prompt_tokens_details'];
  let cached: number | undefined;
  if (isRecord(pd) && typeof pd['cached_tokens'] === 'number') cached = pd['cached_tokens'];
  // DeepSeek reports cache hits at the top level.
  else if (typeof raw['prompt_cache_hit_tokens'] === 'number') cached = raw['prompt_cache_hit_tokens'];
  if (cached !== undefined) usage.prompt_tokens_details = { cached_tokens: cached };
  if (isRecord(pd) && typeof pd['audio_tokens'] === 'number' && pd['audio_tokens'] > 0) {
    (usage.prompt_tokens_details ??= {}).audio_tokens = pd['audio_tokens'];
  }
  const cd = raw['completion_tokens_details'];
  if (isRecord(cd)) {
    const details: NonNullable<Usage['completion_tokens_details']> = {};
    if (typeof cd['reasoning_tokens'] === 'number') details.reasoning_tokens = cd['reasoning_tokens'];
    if (typeof cd['audio_tokens'] === 'number') details.audio_tokens = cd['audio_tokens'];
    if (typeof cd['accepted_prediction_tokens'] === 'number') details.accepted_prediction_tokens = cd['accepted_prediction_tokens'];
    if (typeof cd['rejected_prediction_tokens'] === 'number') details.rejected_prediction_tokens = cd['rejected_prediction_tokens'];
    usage.completion_tokens_details = details;
  }
  return usage;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function parseOpenAIChat(provider: string, body: unknown): ChatResponse {
  if (!isRecord(body) || !Array.isArray(body['choices'])) throw badUpstream(provider, 'missing choices');
  const res = body as unknown as ChatResponse;
  for (const c of res.choices) {
    if (!isRecord(c.message)) throw badUpstream(provider, 'choice without message');
    if (c.message.content === undefined) c.message.content = null;
    if (c.message.refusal === undefined) c.message.refusal = null;
    if (c.message.tool_calls !== undefined && c.message.tool_calls.length === 0) delete c.message.tool_calls;
    if (c.logprobs === undefined) c.logprobs = null;
    if (c.finish_reason === undefined || c.finish_reason === null) c.finish_reason = 'stop';
  }
  if (body['object'] !== 'chat.completion') res.object = 'chat.completion';
  const usage = normalizeUsage(body['usage']);
  if (usage === undefined) delete res.usage;
  else res.usage = usage;
  return res;
}

export function parseOpenAICompletion(provider: string, body: unknown): CompletionResponse {
  if (!isRecord(body) || !Array.isArray(body['choices'])) throw badUpstream(provider, 'missing choices');
  const res = body as unknown as CompletionResponse;
  const usage = normalizeUsage(body['usage']);
  res.usage = usage ?? null;
  return res;
}

export function parseOpenAIEmbeddings(provider: string, body: unknown, model: string): EmbeddingResponse {
  if (!isRecord(body) || !Array.isArray(body['data'])) throw badUpstream(provider, 'missing data');
  const u = isRecord(body['usage']) ? body['usage'] : {};
  const prompt = typeof u['prompt_tokens'] === 'number' ? u['prompt_tokens'] : 0;
  return {
    object: 'list',
    data: body['data'] as EmbeddingResponse['data'],
    model: typeof body['model'] === 'string' ? body['model'] : model,
    usage: { prompt_tokens: prompt, total_tokens: typeof u['total_tokens'] === 'number' ? u['total_tokens'] : prompt },
  };
}
