/** Ollama `/api/chat` and `/api/embed` responses → unified shapes. */
import { badUpstream, isRecord, makeId, nowSeconds } from '../core/content';
import type { ChatResponse, EmbeddingResponse, FinishReason, ToolCall, Usage } from '../core/types';

export function ollamaUsage(body: Record<string, unknown>): Usage | undefined {
  const p = body['prompt_eval_count'];
  const c = body['eval_count'];
  if (typeof p !== 'number' && typeof c !== 'number') return undefined;
  const prompt = typeof p === 'number' ? p : 0;
  const completion = typeof c === 'number' ? c : 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function createdAt(body: Record<string, unknown>): number {
  const t = typeof body['created_at'] === 'string' ? Date.parse(body['created_at']) : NaN;
  return Number.isNaN(t) ? nowSeconds() : Math.floor(t / 1000);
}

export function ollamaToolCalls(raw: unknown, offset: number): ToolCall[] {
  if (!Array.isArray(raw)) return [];
  const out: ToolCall[] = [];
  for (const tc of raw) {
    if (!isRecord(tc) || !isRecord(tc['function'])) continue;
    const fn = tc['function'];
    const args = fn['arguments'];
    out.push({
      id: typeof tc['id'] === 'string' ? tc['id'] : `call_${offset + out.length}`,
      type: 'function',
      function: { name: String(fn['name']), arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
    });
  }
  return out;
}

export function ollamaFinish(doneReason: unknown, hasToolCalls: boolean): FinishReason {
  if (doneReason === 'length') return 'length';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

export function parseOllamaChat(provider: string, body: unknown, model: string): ChatResponse {
  if (!isRecord(body) || !isRecord(body['message'])) throw badUpstream(provider, 'missing message');
  const msg = body['message'];
  const calls = ollamaToolCalls(msg['tool_calls'], 0);
  const content = typeof msg['content'] === 'string' ? msg['content'] : '';
  const res: ChatResponse = {
    id: makeId('chatcmpl-'),
    object: 'chat.completion',
    created: createdAt(body),
    model: typeof body['model'] === 'string' ? body['model'] : model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: calls.length > 0 && content === '' ? null : content, refusal: null, ...(calls.length > 0 ? { tool_calls: calls } : {}) },
        finish_reason: ollamaFinish(body['done_reason'], calls.length > 0),
        logprobs: null,
      },
    ],
  };
  const usage = ollamaUsage(body);
  if (usage) res.usage = usage;
  return res;
}

export function parseOllamaEmbed(provider: string, body: unknown, model: string): EmbeddingResponse {
  if (!isRecord(body) || !Array.isArray(body['embeddings'])) throw badUpstream(provider, 'missing embeddings');
  const prompt = typeof body['prompt_eval_count'] === 'number' ? body['prompt_eval_count'] : 0;
  return {
    object: 'list',
    data: body['embeddings'].map((e: unknown, index: number) => ({ object: 'embedding' as const, index, embedding: e as number[] })),
    model: typeof body['model'] === 'string' ? body['model'] : model,
    usage: { prompt_tokens: prompt, total_tokens: prompt },
  };
}
