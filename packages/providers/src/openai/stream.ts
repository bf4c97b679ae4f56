/**
 * OpenAI SSE stream: `data: <chunk JSON>` events ending with `data: [DONE]`.
 * Per-request state moves usage to one final `choices: []` chunk (some
 * compatible servers put it on the last content chunk), numbers tool calls
 * that arrive without an index, and detects a stream cut before the end.
 */
import { isRecord, parseUpstreamJson } from '../core/content';
import { ProviderError } from '../core/errors';
import type { ProviderContext, StreamState } from '../core/definition';
import type { SseEvent } from '../http/sse';
import type { ChatChunk, CompletionResponse, Usage } from '../core/types';
import { normalizeUsage } from './response';
import { streamErrorToProviderError } from './errors';

export function truncated(provider: string): ProviderError {
  return new ProviderError({
    category: 'server_error',
    provider,
    code: 'stream_truncated',
    message: `upstream ${provider} closed the stream before it finished`,
  });
}

abstract class OpenAIStyleStream<T extends { choices: unknown[]; usage?: Usage | null; id: string; created: number; model: string }> implements StreamState<SseEvent, T> {
  protected done = false;
  protected sawFinish = false;
  protected usage: Usage | undefined;
  protected last: T | undefined;

  constructor(protected readonly provider: string) {}

  event(e: SseEvent, out: T[]): void {
    if (this.done) return;
    const data = e.data;
    if (data === '[DONE]') {
      this.finish(out);
      return;
    }
    if (data.length === 0) return;
    const parsed = parseUpstreamJson(this.provider, data, 'stream chunk');
    if (!isRecord(parsed)) throw new ProviderError({ category: 'server_error', provider: this.provider, code: 'malformed_chunk', message: 'upstream stream chunk is not an object' });
    if (isRecord(parsed['error'])) throw streamErrorToProviderError(this.provider, parsed);
    if (!Array.isArray(parsed['choices'])) {
      throw new ProviderError({ category: 'server_error', provider: this.provider, code: 'malformed_chunk', message: 'upstream stream chunk has no choices' });
    }
    const chunk = parsed as unknown as T;
    if (parsed['usage'] !== undefined && parsed['usage'] !== null) {
      this.usage = normalizeUsage(parsed['usage']);
    }
    delete chunk.usage;
    this.last = chunk;
    if (chunk.choices.length === 0) return; // usage-only or Azure prompt-filter chunk
    this.onChunk(chunk);
    out.push(chunk);
  }

  protected abstract onChunk(chunk: T): void;

  private finish(out: T[]): void {
    this.done = true;
    if (this.usage !== undefined && this.last !== undefined) {
      out.push({ ...this.last, choices: [], usage: this.usage });
    }
  }

  end(out: T[]): void {
    if (this.done) return;
    if (!this.sawFinish) throw truncated(this.provider);
    // Finished but no [DONE]: tolerate (some servers omit it) and emit usage.
    this.finish(out);
  }
}

export class OpenAIChatStream extends OpenAIStyleStream<ChatChunk> {
  private nextToolIndex = 0;

  protected onChunk(chunk: ChatChunk): void {
    if (chunk.object !== 'chat.completion.chunk') chunk.object = 'chat.completion.chunk';
    for (let i = 0; i < chunk.choices.length; i++) {
      const c = chunk.choices[i]!;
      if (c.finish_reason !== null && c.finish_reason !== undefined) this.sawFinish = true;
      else c.finish_reason = null;
      const tcs = c.delta?.tool_calls;
      if (tcs !== undefined) {
        for (const tc of tcs) {
          if (typeof tc.index !== 'number') tc.index = tc.id !== undefined ? this.nextToolIndex++ : Math.max(0, this.nextToolIndex - 1);
          else if (tc.index >= this.nextToolIndex) this.nextToolIndex = tc.index + 1;
        }
      }
    }
  }
}

export class OpenAICompletionStream extends OpenAIStyleStream<CompletionResponse> {
  protected onChunk(chunk: CompletionResponse): void {
    for (const c of chunk.choices) if (c.finish_reason !== null && c.finish_reason !== undefined) this.sawFinish = true;
  }
}

export function createOpenAIChatStream(ctx: ProviderContext): OpenAIChatStream {
  return new OpenAIChatStream(ctx.provider);
}
