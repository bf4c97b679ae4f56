/** Anthropic Message → unified ChatResponse. */
import { badUpstream, isRecord, nowSeconds } from '../core/content';
import type { ChatResponse, FinishReason, ToolCall, Usage } from '../core/types';

export function mapStopReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop'; // end_turn, stop_sequence, pause_turn
  }
}

/** Anthropic reports uncached input separately from cache reads/writes; OpenAI's prompt_tokens is their sum. */
export function anthropicUsage(u: Record<string, unknown>): Usage {
  const input = n(u['input_tokens']);
  const read = n(u['cache_read_input_tokens']);
  const write = n(u['cache_creation_input_tokens']);
  const output = n(u['output_tokens']);
  const prompt = input + read + write;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output };
  if (read > 0 || write > 0) {
    usage.prompt_tokens_details = { cached_tokens: read };
    if (write > 0) usage.prompt_tokens_details.cache_write_tokens = write;
  }
  const od = u['output_tokens_details'];
  if (isRecord(od) && typeof od['thinking_tokens'] === 'number') usage.completion_tokens_details = { reasoning_tokens: od['thinking_tokens'] };
  return usage;
}

function n(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

export function parseAnthropicMessage(provider: string, body: unknown): ChatResponse {
  if (!isRecord(body) || !Array.isArray(body['content'])) throw badUpstream(provider, 'missing content');
  let text: string | null = null;
  const toolCalls: ToolCall[] = [];
  for (const b of body['content']) {
    if (!isRecord(b)) continue;
    if (b['type'] === 'text' && typeof b['text'] === 'string') text = (text ?? '') + b['text'];
    else if (b['type'] === 'tool_use') {
      toolCalls.push({ id: String(b['id']), type: 'function', function: { name: String(b['name']), arguments: JSON.stringify(b['input'] ?? {}) } });
    }
  }
  const finish = mapStopReason(body['stop_reason']);
  const res: ChatResponse = {
    id: typeof body['id'] === 'string' ? body['id'] : '',
    object: 'chat.completion',
    created: nowSeconds(),
    model: typeof body['model'] === 'string' ? body['model'] : '',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text ?? (toolCalls.length > 0 ? null : ''),
          refusal: finish === 'content_filter' ? (text ?? 'refused') : null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: finish,
        logprobs: null,
      },
    ],
  };
  if (isRecord(body['usage'])) res.usage = anthropicUsage(body['usage']);
  return res;
}
