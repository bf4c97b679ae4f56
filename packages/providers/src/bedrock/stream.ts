/**
 * ConverseStream over `application/vnd.amazon.eventstream`: binary frames
 * with `:event-type` headers and JSON payloads. State: content-block index →
 * tool-call index, stop reason from messageStop, usage from metadata.
 */
import { isRecord, makeId, nowSeconds, parseUpstreamJson } from '../core/content';
import { ProviderError } from '../core/errors';
import type { StreamState } from '../core/definition';
import { decodeEvent } from '../http/eventstream';
import type { EventStreamMessage } from '../http/eventstream';
import type { ChatChunk, ChatChunkDelta, ChatRequest, FinishReason } from '../core/types';
import { converseUsage, mapStopReason } from './response';
import { bedrockError, exceptionEventType } from './errors';
import { truncated } from '../openai/stream';

export class ConverseStreamState implements StreamState<EventStreamMessage, ChatChunk> {
  private readonly id = makeId('chatcmpl-');
  private readonly created = nowSeconds();
  private readonly model: string;
  private readonly toolIndex = new Map<number, number>();
  private tools = 0;
  private stopped = false;
  private done = false;

  constructor(private readonly provider: string, req: ChatRequest) {
    this.model = req.model;
  }

  private chunk(delta: ChatChunkDelta, finish: FinishReason | null = null): ChatChunk {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] };
  }

  event(message: EventStreamMessage, out: ChatChunk[]): void {
    const ev = decodeEvent(message);
    if (ev.messageType !== 'event') {
      let msg = ev.payload;
      if (ev.messageType === 'exception') {
        const p = parseUpstreamJson(this.provider, ev.payload, 'stream chunk');
        if (isRecord(p) && typeof p['message'] === 'string') msg = p['message'];
      }
      throw bedrockError(this.provider, 0, exceptionEventType(ev.type), msg, {});
    }
    const data = parseUpstreamJson(this.provider, ev.payload, 'stream chunk');
    if (!isRecord(data)) throw malformed(this.provider);
    switch (ev.type) {
      case 'messageStart':
        out.push(this.chunk({ role: 'assistant', content: '' }));
        return;
      case 'contentBlockStart': {
        const start = data['start'];
        const index = data['contentBlockIndex'];
        if (isRecord(start) && isRecord(start['toolUse']) && typeof index === 'number') {
          const tu = start['toolUse'];
          const ti = this.tools++;
          this.toolIndex.set(index, ti);
          out.push(this.chunk({ tool_calls: [{ index: ti, id: String(tu['toolUseId']), type: 'function', function: { name: String(tu['name']), arguments: '' } }] }));
        }
        return;
      }
      case 'contentBlockDelta': {
        const d = data['delta'];
        const index = data['contentBlockIndex'];
        if (!isRecord(d) || typeof index !== 'number') throw malformed(this.provider);
        if (typeof d['text'] === 'string') out.push(this.chunk({ content: d['text'] }));
        else if (isRecord(d['toolUse']) && typeof d['toolUse']['input'] === 'string') {
          const ti = this.toolIndex.get(index);
          if (ti === undefined) throw malformed(this.provider);
          if (d['toolUse']['input'] !== '') out.push(this.chunk({ tool_calls: [{ index: ti, function: { arguments: d['toolUse']['input'] } }] }));
        }
        return; // reasoningContent: not part of the unified shape
      }
      case 'messageStop':
        this.stopped = true;
        out.push(this.chunk({}, mapStopReason(data['stopReason'])));
        return;
      case 'metadata':
        this.done = true;
        if (isRecord(data['usage'])) out.push({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage: converseUsage(data['usage']) });
        return;
      default:
        return; // contentBlockStop, future events
    }
  }

  end(): void {
    if (!this.stopped) throw truncated(this.provider);
    // messageStop without metadata: usage is counted by the runtime.
  }
}

function malformed(provider: string): ProviderError {
  return new ProviderError({ category: 'server_error', provider, code: 'malformed_chunk', message: 'upstream stream event has an unexpected shape' });
}
