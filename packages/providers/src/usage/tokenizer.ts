/**
 * Fallback token counting for providers (or streams) that report no usage.
 * Uses gpt-tokenizer (pure JS, BPE ranks shipped inside the npm package, works
 * offline). The encoding is loaded lazily on first need: most providers report
 * usage and never pay the load.
 */
import type { ChatMessage, ChatRequest, FunctionTool, Usage } from '../core/types';

type CountFn = (text: string) => number;

let o200k: CountFn | undefined;
let cl100k: CountFn | undefined;
let loading: Promise<void> | undefined;

/** Loads the encodings (idempotent). Await before calling the counters for exact counts. */
export function loadTokenizer(): Promise<void> {
  if (loading === undefined) {
    loading = (async () => {
      const [a, b] = await Promise.all([
        import('gpt-tokenizer/encoding/o200k_base'),
        import('gpt-tokenizer/encoding/cl100k_base'),
      ]);
      o200k = (t) => a.countTokens(t);
      cl100k = (t) => b.countTokens(t);
    })();
  }
  return loading;
}

/** cl100k for the GPT-3.5/GPT-4 generation, o200k (GPT-4o and later) for everything else. */
function counterFor(model: string | undefined): CountFn | undefined {
  if (model !== undefined && (model.startsWith('gpt-3.5') || (model.startsWith('gpt-4') && !model.startsWith('gpt-4o') && !model.startsWith('gpt-4.')))) {
    return cl100k;
  }
  return o200k;
}

/**
 * Counts tokens of a text. Exact after `loadTokenizer()` resolved; before
 * that, a 4-characters-per-token estimate.
 */
export function countTokens(text: string, model?: string): number {
  if (text.length === 0) return 0;
  const fn = counterFor(model);
  return fn === undefined ? Math.ceil(text.length / 4) : fn(text);
}

/** Flat token cost of an image part when the provider does not say (OpenAI's low-detail figure). */
const IMAGE_TOKENS = 85;

/** Prompt tokens of a chat request, following OpenAI's per-message framing (3 per message + 3 priming). */
export function countPromptTokens(req: Pick<ChatRequest, 'messages' | 'tools' | 'model'>): number {
  let total = 3;
  for (const m of req.messages) total += 3 + countMessage(m, req.model);
  if (req.tools !== undefined && req.tools.length > 0) total += countTools(req.tools, req.model);
  return total;
}

function countMessage(m: ChatMessage, model: string): number {
  let n = 0;
  if (typeof m.content === 'string') n += countTokens(m.content, model);
  else if (Array.isArray(m.content)) {
    for (const p of m.content) {
      if (p.type === 'text') n += countTokens(p.text, model);
      else if (p.type === 'image_url') n += IMAGE_TOKENS;
      else if (p.type === 'refusal') n += countTokens(p.refusal, model);
    }
  }
  if (m.role === 'assistant' && m.tool_calls !== undefined) {
    for (const tc of m.tool_calls) n += 3 + countTokens(tc.function.name, model) + countTokens(tc.function.arguments, model);
  }
  if ('name' in m && typeof m.name === 'string') n += 1;
  return n;
}

function countTools(tools: readonly FunctionTool[], model: string): number {
  let n = 0;
  for (const t of tools) {
    n += 8 + countTokens(t.function.name, model);
    if (t.function.description !== undefined) n += countTokens(t.function.description, model);
    if (t.function.parameters !== undefined) n += countTokens(JSON.stringify(t.function.parameters), model);
  }
  return n;
}

/** Builds a Usage from counted prompt and completion text. */
export function countedUsage(promptTokens: number, completionText: string, model?: string): Usage {
  const completion = countTokens(completionText, model);
  return { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion };
}
