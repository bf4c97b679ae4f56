/** Bedrock Converse / InvokeModel (embeddings) responses → unified shapes. */
import { badUpstream, isRecord, makeId, nowSeconds } from '../core/content';
import type { ChatResponse, EmbeddingResponse, FinishReason, ToolCall, Usage } from '../core/types';
import { isCohere } from './request';

export function mapStopReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      return 'stop';
  }
}

export function converseUsage(u: Record<string, unknown>): Usage {
  const input = n(u['inputTokens']);
  const read = n(u['cacheReadInputTokens']);
  const write = n(u['cacheWriteInputTokens']);
  const output = n(u['outputTokens']);
  const prompt = input + read + write;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output };
  if (read > 0 || write > 0) {
    usage.prompt_tokens_details = { cached_tokens: read };
    if (write > 0) usage.prompt_tokens_details.cache_write_tokens = write;
  }
  return usage;
}

function n(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

export function parseConverse(provider: string, body: unknown, model: string): ChatResponse {
  if (!isRecord(body) || !isRecord(body['output']) || !isRecord(body['output']['message'])) throw badUpstream(provider, 'missing output.message');
  const content = body['output']['message']['content'];
  let text: string | null = null;
  const calls: ToolCall[] = [];
  if (Array.isArray(content)) {
    for (const b of content) {
      if (!isRecord(b)) continue;
      if (typeof b['text'] === 'string') text = (text ?? '') + b['text'];
      else if (isRecord(b['toolUse'])) {
        const t = b['toolUse'];
        calls.push({ id: String(t['toolUseId']), type: 'function', function: { name: String(t['name']), arguments: JSON.stringify(t['input'] ?? {}) } });
      }
    }
  }
  const res: ChatResponse = {
    id: makeId('chatcmpl-'),
    object: 'chat.completion',
    created: nowSeconds(),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text ?? (calls.length > 0 ? null : ''), refusal: null, ...(calls.length > 0 ? { tool_calls: calls } : {}) },
        finish_reason: mapStopReason(body['stopReason']),
        logprobs: null,
      },
    ],
  };
  if (isRecord(body['usage'])) res.usage = converseUsage(body['usage']);
  return res;
}

export function parseEmbeddings(provider: string, bodies: unknown[], model: string): EmbeddingResponse {
  const data: EmbeddingResponse['data'] = [];
  let tokens = 0;
  if (isCohere(model)) {
    const b = bodies[0];
    if (!isRecord(b) || !Array.isArray(b['embeddings'])) throw badUpstream(provider, 'missing embeddings');
    b['embeddings'].forEach((e: unknown, index: number) => data.push({ object: 'embedding', index, embedding: e as number[] }));
  } else {
    bodies.forEach((b, index) => {
      if (!isRecord(b) || !Array.isArray(b['embedding'])) throw badUpstream(provider, 'missing embedding');
      data.push({ object: 'embedding', index, embedding: b['embedding'] as number[] });
      tokens += n(b['inputTextTokenCount']);
    });
  }
  return { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}
