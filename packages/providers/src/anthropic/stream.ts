/**
 * Anthropic SSE stream → unified chunks. State: message id/model, input
 * usage from message_start, content-block index → tool-call index, output
 * usage from message_delta; message_stop ends the stream.
 */
import { isRecord, nowSeconds, parseUpstreamJson } from '../core/content';
import { ProviderError } from '../core/errors';
import type { StreamState } from '../core/definition';
import type { SseEvent } from '../http/sse';
import type { ChatChunk, ChatChunkDelta, FinishReason, Usage } from '../core/types';
import { anthropicUsage, mapStopReason } from './response';
import { anthropicStreamError } from './errors';
import { truncated } from '../openai/stream';

export class AnthropicChatStream implements StreamState<SseEvent, ChatChunk> {
  private id = '';
  private model = '';
  private readonly created = nowSeconds();
  private usageRaw: Record<string, unknown> = {};
  private readonly toolIndex = new Map<number, number>();
  private tools = 0;
  private done = false;

  constructor(private readonly provider: string) {}

  private chunk(delta: ChatChunkDelta, finish: FinishReason | null = null): ChatChunk {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] };
  }

  event(e: SseEvent, out: ChatChunk[]): void {
    if (this.done) return;
    const data = parseUpstreamJson(this.provider, e.data, 'stream chunk');
    if (!isRecord(data)) throw malformed(this.provider);
    const type = data['type'] ?? e.event;
    switch (type) {
      case 'message_start': {
        const m = data['message'];
        if (!isRecord(m)) throw malformed(this.provider);
        this.id = typeof m['id'] === 'string' ? m['id'] : '';
        this.model = typeof m['model'] === 'string' ? m['model'] : '';
        if (isRecord(m['usage'])) this.usageRaw = { ...m['usage'] };
        out.push(this.chunk({ role: 'assistant', content: '' }));
        return;
      }
      case 'content_block_start': {
        const b = data['content_block'];
        const index = data['index'];
        if (!isRecord(b) || typeof index !== 'number') throw malformed(this.provider);
        if (b['type'] === 'tool_use') {
          const ti = this.tools++;
          this.toolIndex.set(index, ti);
          out.push(this.chunk({ tool_calls: [{ index: ti, id: String(b['id']), type: 'function', function: { name: String(b['name']), arguments: '' } }] }));
        } else if (b['type'] === 'text' && typeof b['text'] === 'string' && b['text'] !== '') {
          out.push(this.chunk({ content: b['text'] }));
        }
        return;
      }
      case 'content_block_delta': {
        const d = data['delta'];
        const index = data['index'];
        if (!isRecord(d) || typeof index !== 'number') throw malformed(this.provider);
        if (d['type'] === 'text_delta' && typeof d['text'] === 'string') out.push(this.chunk({ content: d['text'] }));
        else if (d['type'] === 'input_json_delta' && typeof d['partial_json'] === 'string') {
          const ti = this.toolIndex.get(index);
          if (ti === undefined) throw malformed(this.provider);
          if (d['partial_json'] !== '') out.push(this.chunk({ tool_calls: [{ index: ti, function: { arguments: d['partial_json'] } }] }));
        }
        // thinking_delta / signature_delta / citations: not part of the unified shape.
        return;
      }
      case 'message_delta': {
        if (isRecord(data['usage'])) Object.assign(this.usageRaw, data['usage']);
        const d = data['delta'];
        if (isRecord(d) && d['stop_reason'] != null) out.push(this.chunk({}, mapStopReason(d['stop_reason'])));
        return;
      }
      case 'message_stop': {
        this.done = true;
        if (this.usageRaw['input_tokens'] === undefined && this.usageRaw['output_tokens'] === undefined) return; // counted by the runtime
        const usage: Usage = anthropicUsage(this.usageRaw);
        out.push({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage });
        return;
      }
      case 'error':
        throw anthropicStreamError(this.provider, data);
      default:
        return; // ping, content_block_stop, future events
    }
  }

  end(): void {
    if (!this.done) throw truncated(this.provider);
  }
}

function malformed(provider: string): ProviderError {
  return new ProviderError({ category: 'server_error', provider, code: 'malformed_chunk', message: 'upstream stream event has an unexpected shape' });
}
