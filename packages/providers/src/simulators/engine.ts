/**
 * The deterministic "model" behind every simulator: the same normalised
 * request always gets the same answer, derived from the prompt.
 *  - tools offered (and tool_choice not none) and the last turn is the user's
 *    → calls the named / first tool with arguments built from its schema;
 *  - last turn is a tool result → "Tool result: <content>";
 *  - JSON mode → a JSON object (schema-shaped with json_schema);
 *  - otherwise → "You said: <last user text>".
 * Token counts are a fixed function of the text (about 4 characters per
 * prompt token, one completion token per streamed piece).
 */
import type { JsonSchema } from '../core/types';
import { stripMagic } from './scenario';
import type { SimScenario } from './scenario';

export interface SimMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  text: string;
  /** Image parts in this message. */
  images?: number;
}

export interface SimTool {
  name: string;
  parameters?: JsonSchema;
}

export type SimToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** A provider request after the simulator parsed its wire format. */
export interface SimRequest {
  model: string;
  messages: SimMessage[];
  tools: SimTool[];
  toolChoice: SimToolChoice;
  json: undefined | 'object' | { schema: JsonSchema };
  maxTokens?: number;
  stop?: string[];
  stream: boolean;
  /** Number of choices (OpenAI `n`, Gemini `candidateCount`). */
  n: number;
}

export interface SimToolCall {
  id: string;
  name: string;
  /** JSON text. */
  arguments: string;
  /** Parsed arguments. */
  input: Record<string, unknown>;
}

export type SimFinish = 'stop' | 'length' | 'tool_calls';

export interface SimAnswer {
  text: string;
  /** Text split in stream pieces; one completion token each. */
  pieces: string[];
  toolCalls: SimToolCall[];
  finish: SimFinish;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** Usage is omitted from the response. */
  noUsage: boolean;
}

export function promptTokens(req: SimRequest): number {
  let n = 3;
  for (const m of req.messages) n += 3 + Math.ceil(m.text.length / 4) + (m.images ?? 0) * 85;
  for (const t of req.tools) n += 8 + Math.ceil((t.name.length + JSON.stringify(t.parameters ?? {}).length) / 4);
  return n;
}

/** Splits text into word pieces, each keeping its leading space. */
export function splitPieces(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 1; i < text.length; i++) {
    if (text.charCodeAt(i) === 32 && text.charCodeAt(i - 1) !== 32) {
      out.push(text.slice(start, i));
      start = i;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

export function lastUserText(req: SimRequest): string {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const m = req.messages[i]!;
    if (m.role === 'user') return stripMagic(m.text);
  }
  return '';
}

export function answer(req: SimRequest, scenario: SimScenario, callIdPrefix = 'call_'): SimAnswer {
  const prompt = promptTokens(req);
  const last = req.messages[req.messages.length - 1];
  const userText = lastUserText(req);
  const cached = Math.min(scenario.cachedTokens ?? 0, prompt);
  const reasoning = scenario.reasoningTokens ?? 0;

  const wantsTool =
    req.tools.length > 0 && req.toolChoice !== 'none' && last !== undefined && last.role === 'user' && scenario.reply === undefined;
  if (wantsTool) {
    const tool =
      typeof req.toolChoice === 'object' ? (req.tools.find((t) => t.name === (req.toolChoice as { name: string }).name) ?? req.tools[0]!) : req.tools[0]!;
    const input = valueForSchema(tool.parameters ?? { type: 'object' }, userText, 0) as Record<string, unknown>;
    const args = JSON.stringify(typeof input === 'object' && input !== null ? input : {});
    const call: SimToolCall = { id: `${callIdPrefix}${hash(tool.name + userText).toString(36).padStart(8, '0').slice(0, 8)}`, name: tool.name, arguments: args, input: JSON.parse(args) as Record<string, unknown> };
    return {
      text: '',
      pieces: [],
      toolCalls: [call],
      finish: 'tool_calls',
      promptTokens: prompt,
      completionTokens: Math.ceil((tool.name.length + args.length) / 4) + 3 + reasoning,
      cachedTokens: cached,
      reasoningTokens: reasoning,
      noUsage: scenario.noUsage === true,
    };
  }

  let text: string;
  if (scenario.reply !== undefined) text = scenario.reply;
  else if (req.json !== undefined) {
    const value = req.json === 'object' ? { echo: userText } : valueForSchema(req.json.schema, userText, 0);
    text = JSON.stringify(value);
  } else if (last !== undefined && last.role === 'tool') text = `Tool result: ${last.text}`;
  else text = `You said: ${userText}`;

  let finish: SimFinish = 'stop';
  if (req.stop !== undefined) {
    for (const s of req.stop) {
      const at = s.length > 0 ? text.indexOf(s) : -1;
      if (at !== -1) text = text.slice(0, at);
    }
  }
  // JSON answers stream in small fixed-size pieces (no spaces to split on).
  let pieces = req.json !== undefined && scenario.reply === undefined ? fixedPieces(text, 6) : splitPieces(text);
  if (req.maxTokens !== undefined && req.maxTokens >= 0 && pieces.length > req.maxTokens) {
    pieces = pieces.slice(0, req.maxTokens);
    text = pieces.join('');
    finish = 'length';
  }
  return {
    text,
    pieces,
    toolCalls: [],
    finish,
    promptTokens: prompt,
    completionTokens: pieces.length + reasoning,
    cachedTokens: cached,
    reasoningTokens: reasoning,
    noUsage: scenario.noUsage === true,
  };
}

export function fixedPieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** A deterministic value that satisfies a (simple) JSON schema. */
export function valueForSchema(schema: JsonSchema, seedText: string, depth: number): unknown {
  if (depth > 6) return null;
  const en = schema['enum'];
  if (Array.isArray(en) && en.length > 0) return en[0];
  if (schema['const'] !== undefined) return schema['const'];
  const anyOf = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (Array.isArray(anyOf) && anyOf.length > 0) return valueForSchema(anyOf[0]!, seedText, depth + 1);
  let type = schema['type'];
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? type[0];
  if (type === undefined && typeof schema['properties'] === 'object') type = 'object';
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
      for (const [k, v] of Object.entries(props)) out[k] = valueForSchema(v, seedText, depth + 1);
      return out;
    }
    case 'array': {
      const items = (schema['items'] ?? { type: 'string' }) as JsonSchema;
      return [valueForSchema(items, seedText, depth + 1)];
    }
    case 'string':
      return seedText.length > 0 ? seedText.slice(0, 40) : 'text';
    case 'integer':
      return seedText.length;
    case 'number':
      return seedText.length + 0.5;
    case 'boolean':
      return seedText.length % 2 === 0;
    case 'null':
      return null;
    default:
      return seedText;
  }
}

/** FNV-1a 32-bit. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A deterministic unit vector for a text. */
export function embedText(text: string, dims: number): number[] {
  const out = new Array<number>(dims);
  let state = hash(text) || 1;
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const v = state / 0xffffffff - 0.5;
    out[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dims; i++) out[i] = Math.round((out[i]! / norm) * 1e6) / 1e6;
  return out;
}

export function embeddingTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
