/** Gemini GenerateContentResponse → unified ChatResponse. */
import { badUpstream, isRecord, makeId, nowSeconds } from '../core/content';
import { ProviderError } from '../core/errors';
import type { ChatChoice, ChatResponse, EmbeddingResponse, FinishReason, ToolCall, Usage } from '../core/types';

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']);

export function mapFinishReason(reason: unknown, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (typeof reason === 'string' && FILTERED.has(reason)) return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

export function geminiUsage(u: Record<string, unknown>): Usage {
  const prompt = num(u['promptTokenCount']) + num(u['toolUsePromptTokenCount']);
  const thoughts = num(u['thoughtsTokenCount']);
  const completion = num(u['candidatesTokenCount']) + thoughts;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  const cached = num(u['cachedContentTokenCount']);
  if (cached > 0) usage.prompt_tokens_details = { cached_tokens: cached };
  if (thoughts > 0) usage.completion_tokens_details = { reasoning_tokens: thoughts };
  return usage;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** A prompt blocked before generation: no candidates, `promptFeedback.blockReason`. */
export function blockedPrompt(provider: string, body: Record<string, unknown>): ProviderError | undefined {
  const fb = body['promptFeedback'];
  if (!isRecord(fb) || typeof fb['blockReason'] !== 'string') return undefined;
  const cands = body['candidates'];
  if (Array.isArray(cands) && cands.length > 0) return undefined;
  return new ProviderError({
    category: 'content_filter',
    provider,
    code: `prompt_blocked_${fb['blockReason'].toLowerCase()}`,
    message: `the prompt was blocked by ${provider} (${fb['blockReason']})`,
  });
}

export function toolCallId(choice: number, index: number, fc: Record<string, unknown>): string {
  return typeof fc['id'] === 'string' && fc['id'] !== '' ? fc['id'] : `call_${choice}_${index}`;
}

export function parseGeminiResponse(provider: string, body: unknown, model: string): ChatResponse {
  if (!isRecord(body)) throw badUpstream(provider, 'not an object');
  const blocked = blockedPrompt(provider, body);
  if (blocked) throw blocked;
  const cands = body['candidates'];
  if (!Array.isArray(cands)) throw badUpstream(provider, 'missing candidates');
  const choices: ChatChoice[] = cands.map((c: unknown, i: number) => {
    const cand = isRecord(c) ? c : {};
    const index = typeof cand['index'] === 'number' ? cand['index'] : i;
    let text: string | null = null;
    const calls: ToolCall[] = [];
    const content = cand['content'];
    if (isRecord(content) && Array.isArray(content['parts'])) {
      for (const p of content['parts']) {
        if (!isRecord(p) || p['thought'] === true) continue;
        if (typeof p['text'] === 'string') text = (text ?? '') + p['text'];
        else if (isRecord(p['functionCall'])) {
          const fc = p['functionCall'];
          calls.push({ id: toolCallId(index, calls.length, fc), type: 'function', function: { name: String(fc['name']), arguments: JSON.stringify(fc['args'] ?? {}) } });
        }
      }
    }
    return {
      index,
      message: { role: 'assistant', content: text ?? (calls.length > 0 ? null : ''), refusal: null, ...(calls.length > 0 ? { tool_calls: calls } : {}) },
      finish_reason: mapFinishReason(cand['finishReason'], calls.length > 0),
      logprobs: null,
    };
  });
  const res: ChatResponse = {
    id: typeof body['responseId'] === 'string' ? body['responseId'] : makeId('chatcmpl-'),
    object: 'chat.completion',
    created: nowSeconds(),
    model: typeof body['modelVersion'] === 'string' ? body['modelVersion'] : model,
    choices,
  };
  if (isRecord(body['usageMetadata'])) res.usage = geminiUsage(body['usageMetadata']);
  return res;
}

export function parseGeminiEmbeddings(provider: string, body: unknown, model: string): EmbeddingResponse {
  if (!isRecord(body) || !Array.isArray(body['embeddings'])) throw badUpstream(provider, 'missing embeddings');
  return {
    object: 'list',
    data: body['embeddings'].map((e: unknown, index: number) => ({
      object: 'embedding' as const,
      index,
      embedding: isRecord(e) && Array.isArray(e['values']) ? (e['values'] as number[]) : [],
    })),
    model,
    usage: { prompt_tokens: 0, total_tokens: 0 }, // Gemini reports none: counted by the runtime
  };
}
