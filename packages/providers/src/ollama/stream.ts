/**
 * Ollama NDJSON stream: one JSON object per line; text in message.content,
 * whole tool calls in message.tool_calls, the last line has `done: true`,
 * done_reason and the token counts.
 */
import { isRecord, makeId, parseUpstreamJson } from '../core/content';
import { ProviderError } from '../core/errors';
import type { StreamState } from '../core/definition';
import type { ChatChunk, ChatChunkDelta, ChatRequest } from '../core/types';
import { createdAt, ollamaFinish, ollamaToolCalls, ollamaUsage } from './response';
import { ollamaStreamError } from './errors';
import { truncated } from '../openai/stream';

export class OllamaChatStream implements StreamState<string, ChatChunk> {
  private readonly id = makeId('chatcmpl-');
  private created = 0;
  private model: string;
  private tools = 0;
  private started = false;
  private done = false;

  constructor(private readonly provider: string, req: ChatRequest) {
    this.model = req.model;
  }

  event(line: string, out: ChatChunk[]): void {
    if (this.done) return;
    const data = parseUpstreamJson(this.provider, line, 'stream chunk');
    if (!isRecord(data)) throw new ProviderError({ category: 'server_error', provider: this.provider, code: 'malformed_chunk', message: 'stream line is not an object' });
    if (data['error'] !== undefined) throw ollamaStreamError(this.provider, data);
    if (this.created === 0) {
      this.created = createdAt(data);
      if (typeof data['model'] === 'string') this.model = data['model'];
    }
    const msg = isRecord(data['message']) ? data['message'] : {};
    const delta: ChatChunkDelta = {};
    if (!this.started) {
      this.started = true;
      delta.role = 'assistant';
    }
    if (typeof msg['content'] === 'string' && msg['content'] !== '') delta.content = msg['content'];
    const calls = ollamaToolCalls(msg['tool_calls'], this.tools);
    if (calls.length > 0) {
      delta.tool_calls = calls.map((c, i) => ({ index: this.tools + i, id: c.id, type: 'function' as const, function: { name: c.function.name, arguments: c.function.arguments } }));
      this.tools += calls.length;
    }
    const finished = data['done'] === true;
    const chunk = (d: ChatChunkDelta, finish: ChatChunk['choices'][number]['finish_reason']): ChatChunk => ({
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta: d, finish_reason: finish, logprobs: null }],
    });
    if (delta.role !== undefined || delta.content !== undefined || delta.tool_calls !== undefined) out.push(chunk(delta, null));
    if (finished) {
      this.done = true;
      out.push(chunk({}, ollamaFinish(data['done_reason'], this.tools > 0)));
      const usage = ollamaUsage(data);
      if (usage) out.push({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage });
    }
  }

  end(): void {
    if (!this.done) throw truncated(this.provider);
  }
}
