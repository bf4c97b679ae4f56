/**
 * Unified stream chunks → Anthropic's SSE event sequence, one translator per
 * request:
 *
 *   message_start, ping,
 *   (content_block_start, content_block_delta*, content_block_stop)*,
 *   message_delta (stop_reason, usage), message_stop
 *
 * Text arrives as `text_delta`s of a text block; each tool call opens a
 * `tool_use` block whose arguments stream as `input_json_delta`s. Blocks are
 * sequential: a new kind of content closes the open block first.
 * Usage is only known at the end (the adapter's closing `choices: []` chunk),
 * so `message_start` carries a tokenizer estimate of the input and
 * `message_delta` the reported figures (input included, as Anthropic does).
 */
import type { ChatChunk, FinishReason, Usage } from '@conduit/providers';
import { anthropicUsage, matchedStopSequence, messageId, stopReason } from './response.js';
import type { AnthropicErrorBody } from './wire.js';

export function sseEvent(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The explicit end of a failed stream: never a silent cut. */
export function sseError(body: AnthropicErrorBody): string {
  return sseEvent('error', body);
}

export interface MessagesStreamOptions {
  /** the public model name the caller asked for */
  model: string;
  requestId: string;
  /** input tokens as counted by the gateway, for `message_start` */
  estimatedInputTokens: number;
  stopSequences?: readonly string[];
}

export class MessagesStreamTranslator {
  private started = false;
  /** index of the last block opened (-1: none yet) */
  private index = -1;
  private open: 'text' | 'tool_use' | null = null;
  /** unified tool-call index → Anthropic block index */
  private readonly toolBlocks = new Map<number, number>();
  private finish: FinishReason | null = null;
  private matched: string | null = null;
  private sawTool = false;
  /** the usage the provider reported (closing chunk) */
  usage: Usage | undefined;

  constructor(private readonly opts: MessagesStreamOptions) {}

  private start(id: string | undefined): string {
    this.started = true;
    const message = {
      id: messageId(id, this.opts.requestId),
      type: 'message',
      role: 'assistant',
      model: this.opts.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: this.opts.estimatedInputTokens, output_tokens: 0 },
    };
    return sseEvent('message_start', { type: 'message_start', message }) + sseEvent('ping', { type: 'ping' });
  }

  private close(): string {
    if (this.open === null) return '';
    this.open = null;
    return sseEvent('content_block_stop', { type: 'content_block_stop', index: this.index });
  }

  private openBlock(block: Record<string, unknown>, kind: 'text' | 'tool_use'): string {
    const out = this.close();
    this.index++;
    this.open = kind;
    return out + sseEvent('content_block_start', { type: 'content_block_start', index: this.index, content_block: block });
  }

  /** The SSE text for one unified chunk ('' when it carries nothing to send). */
  push(chunk: ChatChunk): string {
    let out = this.started ? '' : this.start(chunk.id);
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) return out;
    const d = choice.delta;
    const text = (d.content ?? '') + (d.refusal ?? '');
    if (text !== '') {
      if (this.open !== 'text') out += this.openBlock({ type: 'text', text: '' }, 'text');
      out += sseEvent('content_block_delta', { type: 'content_block_delta', index: this.index, delta: { type: 'text_delta', text } });
    }
    for (const tc of d.tool_calls ?? []) {
      let block = this.toolBlocks.get(tc.index);
      if (block === undefined) {
        this.sawTool = true;
        const id = tc.id ?? `toolu_${this.opts.requestId.replace(/[^A-Za-z0-9]/g, '')}_${tc.index}`;
        out += this.openBlock({ type: 'tool_use', id, name: tc.function?.name ?? '', input: {} }, 'tool_use');
        block = this.index;
        this.toolBlocks.set(tc.index, block);
      }
      const args = tc.function?.arguments;
      // Arguments of an earlier, already closed tool call (rare interleaving) still go
      // to their own block index, so the assembled message stays right.
      if (args) out += sseEvent('content_block_delta', { type: 'content_block_delta', index: block, delta: { type: 'input_json_delta', partial_json: args } });
    }
    if (choice.finish_reason) {
      this.finish = choice.finish_reason;
      this.matched = matchedStopSequence(choice, this.opts.stopSequences) ?? this.matched;
    }
    return out;
  }

  /** Closes the open block and the message. */
  end(): string {
    let out = this.started ? '' : this.start(undefined);
    out += this.close();
    let reason = stopReason(this.finish, this.matched);
    if (reason === 'end_turn' && this.sawTool) reason = 'tool_use';
    out += sseEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: reason, stop_sequence: reason === 'stop_sequence' ? this.matched : null },
      usage: anthropicUsage(this.usage),
    });
    return out + sseEvent('message_stop', { type: 'message_stop' });
  }
}
