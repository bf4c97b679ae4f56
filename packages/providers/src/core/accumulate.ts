/**
 * Folds a unified chunk stream back into one ChatResponse: content and
 * refusals concatenated per choice, tool-call fragments joined by index,
 * finish reasons and usage kept. For caching, logging and tests.
 */
import type { ChatChunk, ChatResponse, FinishReason, ToolCall, Usage } from './types';

interface ChoiceAcc {
  content: string | null;
  refusal: string | null;
  tools: ToolCall[];
  finish: FinishReason | null;
}

export class ChatStreamAccumulator {
  private id = '';
  private created = 0;
  private model = '';
  private readonly choices: ChoiceAcc[] = [];
  private usage: Usage | undefined;

  add(chunk: ChatChunk): void {
    if (this.id === '') {
      this.id = chunk.id;
      this.created = chunk.created;
      this.model = chunk.model;
    }
    if (chunk.usage) this.usage = chunk.usage;
    for (const c of chunk.choices) {
      let acc = this.choices[c.index];
      if (acc === undefined) {
        acc = { content: null, refusal: null, tools: [], finish: null };
        this.choices[c.index] = acc;
      }
      const d = c.delta;
      if (typeof d.content === 'string') acc.content = (acc.content ?? '') + d.content;
      if (typeof d.refusal === 'string') acc.refusal = (acc.refusal ?? '') + d.refusal;
      if (d.tool_calls) {
        for (const tc of d.tool_calls) {
          let t = acc.tools[tc.index];
          if (t === undefined) {
            t = { id: tc.id ?? '', type: 'function', function: { name: '', arguments: '' } };
            acc.tools[tc.index] = t;
          }
          if (tc.id) t.id = tc.id;
          if (tc.function?.name) t.function.name += tc.function.name;
          if (tc.function?.arguments) t.function.arguments += tc.function.arguments;
        }
      }
      if (c.finish_reason) acc.finish = c.finish_reason;
    }
  }

  result(): ChatResponse {
    const res: ChatResponse = {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: this.choices.map((c, index) => {
        const tools = c.tools.filter((t) => t !== undefined);
        return {
          index,
          message: {
            role: 'assistant',
            content: c.content === null && tools.length > 0 ? null : (c.content ?? ''),
            refusal: c.refusal,
            ...(tools.length > 0 ? { tool_calls: tools } : {}),
          },
          finish_reason: c.finish ?? 'stop',
          logprobs: null,
        };
      }),
    };
    if (this.usage) res.usage = this.usage;
    return res;
  }
}

/** Consumes a stream and returns the assembled response. */
export async function accumulateChatStream(stream: AsyncIterable<ChatChunk>): Promise<ChatResponse> {
  const acc = new ChatStreamAccumulator();
  for await (const chunk of stream) acc.add(chunk);
  return acc.result();
}
