/**
 * Gemini `streamGenerateContent?alt=sse`: each event is a whole
 * GenerateContentResponse holding the next text and whole function calls.
 * No [DONE]: the stream is complete once every candidate had a finishReason.
 * Usage is cumulative; the last one seen wins.
 */
import { isRecord, makeId, nowSeconds, parseUpstreamJson } from '../core/content';
import { ProviderError } from '../core/errors';
import type { StreamState } from '../core/definition';
import type { SseEvent } from '../http/sse';
import type { ChatChunk, ChatChunkChoice, ChatRequest, Usage } from '../core/types';
import { blockedPrompt, geminiUsage, mapFinishReason, toolCallId } from './response';
import { googleError } from './errors';
import { truncated } from '../openai/stream';

export class GeminiChatStream implements StreamState<SseEvent, ChatChunk> {
  private id = '';
  private model: string;
  private readonly created = nowSeconds();
  private usage: Usage | undefined;
  /** Per candidate: tool calls so far, and whether it finished. */
  private readonly toolCount: number[] = [];
  private readonly started: boolean[] = [];
  private finished = 0;
  private readonly expected: number;

  constructor(private readonly provider: string, req: ChatRequest) {
    this.model = req.model;
    this.expected = req.n != null && req.n > 1 ? req.n : 1;
  }

  event(e: SseEvent, out: ChatChunk[]): void {
    const data = parseUpstreamJson(this.provider, e.data, 'stream chunk');
    if (!isRecord(data)) throw new ProviderError({ category: 'server_error', provider: this.provider, code: 'malformed_chunk', message: 'stream chunk is not an object' });
    if (isRecord(data['error'])) {
      const code = data['error']['code'];
      throw googleError(this.provider, typeof code === 'number' ? code : 500, data, {});
    }
    const blocked = blockedPrompt(this.provider, data);
    if (blocked) throw blocked;
    if (this.id === '') {
      this.id = typeof data['responseId'] === 'string' ? data['responseId'] : makeId('chatcmpl-');
      if (typeof data['modelVersion'] === 'string') this.model = data['modelVersion'];
    }
    if (isRecord(data['usageMetadata'])) this.usage = geminiUsage(data['usageMetadata']);
    const cands = data['candidates'];
    if (!Array.isArray(cands)) return;
    const choices: ChatChunkChoice[] = [];
    for (let i = 0; i < cands.length; i++) {
      const cand = cands[i];
      if (!isRecord(cand)) continue;
      const index = typeof cand['index'] === 'number' ? cand['index'] : i;
      let text: string | undefined;
      let calls: ChatChunkChoice['delta']['tool_calls'];
      const content = cand['content'];
      if (isRecord(content) && Array.isArray(content['parts'])) {
        for (const p of content['parts']) {
          if (!isRecord(p) || p['thought'] === true) continue;
          if (typeof p['text'] === 'string') text = (text ?? '') + p['text'];
          else if (isRecord(p['functionCall'])) {
            const fc = p['functionCall'];
            const ti = this.toolCount[index] ?? 0;
            this.toolCount[index] = ti + 1;
            (calls ??= []).push({ index: ti, id: toolCallId(index, ti, fc), type: 'function', function: { name: String(fc['name']), arguments: JSON.stringify(fc['args'] ?? {}) } });
          }
        }
      }
      const delta: ChatChunkChoice['delta'] = {};
      if (this.started[index] !== true) {
        this.started[index] = true;
        delta.role = 'assistant';
      }
      if (text !== undefined) delta.content = text;
      if (calls !== undefined) delta.tool_calls = calls;
      const fr = cand['finishReason'];
      const finish = fr !== undefined && fr !== null && fr !== 'FINISH_REASON_UNSPECIFIED' ? mapFinishReason(fr, (this.toolCount[index] ?? 0) > 0) : null;
      if (finish !== null) this.finished++;
      choices.push({ index, delta, finish_reason: finish, logprobs: null });
    }
    if (choices.length > 0) out.push({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices });
  }

  end(out: ChatChunk[]): void {
    if (this.finished < this.expected) throw truncated(this.provider);
    if (this.usage !== undefined) out.push({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage: this.usage });
  }
}
