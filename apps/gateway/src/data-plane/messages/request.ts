/**
 * Anthropic Messages request → the unified (OpenAI-shaped) `ChatRequest`, the
 * inverse of the anthropic adapter's request mapping, so a `/v1/messages`
 * caller can be routed to any provider.
 *
 * - `system` (string or text blocks) becomes a leading system message;
 * - user `tool_result` blocks become `tool` messages, placed before the rest of
 *   that user turn (OpenAI wants tool answers right after the assistant's calls);
 * - assistant `tool_use` blocks become `tool_calls` (input → JSON arguments);
 * - images (base64 or URL) become `image_url` parts, base64 PDFs `file` parts;
 * - `stop_sequences` → `stop`, `metadata.user_id` → `user`, `tool_choice`
 *   auto/any/tool/none → auto/required/{function}/none;
 * - `output_config.format` (JSON schema) → `response_format` json_schema;
 * - `top_k` is validated and then dropped on purpose: the unified request has
 *   no such field, and providers without it would reject it; so is
 *   `output_config.effort` (a hint many models would reject as reasoning_effort);
 * - assistant `thinking` / `redacted_thinking` history blocks are dropped (their
 *   signatures mean nothing to another provider).
 * What cannot be expressed (server tools, file ids, images inside tool results,
 * extended thinking) is a 400 naming the field, never silently changed.
 */
import { GatewayError } from '@conduit/contracts';
import type { ChatMessage, ChatRequest, FunctionTool, TextContentPart, ToolCall, ToolChoice, UserContentPart } from '@conduit/providers';
import type { AnthropicRequest } from './wire.js';

function invalid(param: string, message: string): never {
  throw new GatewayError('validation_failed', `${param}: ${message}`, { param });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function optionalNumber(b: Record<string, unknown>, field: string, min: number, max: number, integer = false) {
  const v = b[field];
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    invalid(field, `must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}.`);
  }
}

/** Checks the fields the gateway relies on; content blocks are checked while translating. */
export function validateMessagesRequest(body: unknown): AnthropicRequest {
  if (!isObject(body)) invalid('body', 'the request body must be a JSON object.');
  const b = body;
  if (typeof b.model !== 'string' || b.model.length === 0) invalid('model', 'Field required: the name of the model to use (see GET /v1/models).');
  if (b.max_tokens === undefined || b.max_tokens === null) invalid('max_tokens', 'Field required.');
  optionalNumber(b, 'max_tokens', 1, 10_000_000, true);
  if (!Array.isArray(b.messages) || b.messages.length === 0) invalid('messages', 'must be a non-empty array of messages.');
  for (let i = 0; i < b.messages.length; i++) {
    const m: unknown = b.messages[i];
    if (!isObject(m)) invalid(`messages.${i}`, 'must be an object with a role and content.');
    if (m.role !== 'user' && m.role !== 'assistant') invalid(`messages.${i}.role`, "must be 'user' or 'assistant' (the system prompt goes in the top-level `system`).");
    const c = m.content;
    if (typeof c !== 'string' && !(Array.isArray(c) && c.every(isObject))) invalid(`messages.${i}.content`, 'must be a string or an array of content blocks.');
  }
  const s = b.system;
  if (s !== undefined && s !== null && typeof s !== 'string' && !(Array.isArray(s) && s.every(isObject))) invalid('system', 'must be a string or an array of text blocks.');
  optionalNumber(b, 'temperature', 0, 1);
  optionalNumber(b, 'top_p', 0, 1);
  optionalNumber(b, 'top_k', 0, 1_000_000, true);
  if (b.stream !== undefined && b.stream !== null && typeof b.stream !== 'boolean') invalid('stream', 'must be true or false.');
  const stop = b.stop_sequences;
  if (stop !== undefined && stop !== null && !(Array.isArray(stop) && stop.every((x) => typeof x === 'string'))) invalid('stop_sequences', 'must be an array of strings.');
  if (b.tools !== undefined && b.tools !== null && !(Array.isArray(b.tools) && b.tools.every(isObject))) invalid('tools', 'must be an array of tool definitions.');
  const tc = b.tool_choice;
  if (tc !== undefined && tc !== null) {
    if (!isObject(tc) || !['auto', 'any', 'tool', 'none'].includes(tc.type as string)) invalid('tool_choice', "must be an object whose type is 'auto', 'any', 'tool' or 'none'.");
    if (tc.type === 'tool' && (typeof tc.name !== 'string' || tc.name.length === 0)) invalid('tool_choice.name', "is required when tool_choice.type is 'tool'.");
  }
  const md = b.metadata;
  if (md !== undefined && md !== null) {
    if (!isObject(md)) invalid('metadata', 'must be an object.');
    if (md.user_id !== undefined && md.user_id !== null && typeof md.user_id !== 'string') invalid('metadata.user_id', 'must be a string.');
  }
  const oc = b.output_config;
  if (oc !== undefined && oc !== null) {
    if (!isObject(oc)) invalid('output_config', 'must be an object.');
    const f = oc.format;
    if (f !== undefined && f !== null && !(isObject(f) && f.type === 'json_schema' && isObject(f.schema))) {
      invalid('output_config.format', "must be {type: 'json_schema', schema: {...}}.");
    }
  }
  const th = b.thinking;
  if (th !== undefined && th !== null && !(isObject(th) && th.type === 'disabled')) {
    invalid('thinking', 'extended thinking is not supported through this gateway’s /v1/messages (it is routed to providers without an equivalent). Omit it or set {"type":"disabled"}.');
  }
  return b as unknown as AnthropicRequest;
}

// ───────────────────────────── content ─────────────────────────────

function text(block: Record<string, unknown>, path: string): string {
  if (typeof block.text !== 'string') invalid(`${path}.text`, 'must be a string.');
  return block.text;
}

function image(block: Record<string, unknown>, path: string): UserContentPart {
  const src = block.source;
  if (!isObject(src)) invalid(`${path}.source`, 'is required.');
  if (src.type === 'base64') {
    if (typeof src.media_type !== 'string' || typeof src.data !== 'string') invalid(`${path}.source`, 'a base64 source needs media_type and data.');
    return { type: 'image_url', image_url: { url: `data:${src.media_type};base64,${src.data}` } };
  }
  if (src.type === 'url') {
    if (typeof src.url !== 'string') invalid(`${path}.source.url`, 'must be a string.');
    return { type: 'image_url', image_url: { url: src.url } };
  }
  return invalid(`${path}.source.type`, "only 'base64' and 'url' image sources are supported through this gateway.");
}

function document(block: Record<string, unknown>, path: string): UserContentPart {
  const src = block.source;
  if (!isObject(src)) invalid(`${path}.source`, 'is required.');
  if (src.type === 'base64' && src.media_type === 'application/pdf' && typeof src.data === 'string') {
    return { type: 'file', file: { file_data: `data:application/pdf;base64,${src.data}`, ...(typeof block.title === 'string' ? { filename: block.title } : {}) } };
  }
  if (src.type === 'text' && typeof src.data === 'string') return { type: 'text', text: src.data };
  return invalid(`${path}.source`, 'only base64 PDF and plain-text document sources are supported through this gateway.');
}

/** A tool_result's content as the text of a `tool` message. */
function toolResultText(block: Record<string, unknown>, path: string): string {
  const c = block.content;
  if (c === undefined || c === null) return '';
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) invalid(`${path}.content`, 'must be a string or an array of text blocks.');
  let out = '';
  for (let k = 0; k < c.length; k++) {
    const part: unknown = c[k];
    if (!isObject(part) || part.type !== 'text') invalid(`${path}.content.${k}`, 'only text blocks can be returned from a tool through this gateway.');
    out += (out ? '\n' : '') + text(part, `${path}.content.${k}`);
  }
  return out;
}

function userTurn(content: AnthropicRequest['messages'][number]['content'], i: number, out: ChatMessage[]) {
  if (typeof content === 'string') {
    out.push({ role: 'user', content });
    return;
  }
  const parts: UserContentPart[] = [];
  for (let j = 0; j < content.length; j++) {
    const block = content[j]!;
    const path = `messages.${i}.content.${j}`;
    switch (block.type) {
      case 'text':
        parts.push({ type: 'text', text: text(block, path) });
        break;
      case 'image':
        parts.push(image(block, path));
        break;
      case 'document':
        parts.push(document(block, path));
        break;
      case 'tool_result': {
        if (typeof block.tool_use_id !== 'string') invalid(`${path}.tool_use_id`, 'must be a string.');
        out.push({ role: 'tool', tool_call_id: block.tool_use_id, content: toolResultText(block, path) });
        break;
      }
      default:
        invalid(`${path}.type`, `content blocks of type '${String(block.type)}' are not supported in user turns through this gateway.`);
    }
  }
  if (parts.length > 0) out.push({ role: 'user', content: parts.length === 1 && parts[0]!.type === 'text' ? parts[0]!.text : parts });
}

function assistantTurn(content: AnthropicRequest['messages'][number]['content'], i: number, out: ChatMessage[]) {
  if (typeof content === 'string') {
    out.push({ role: 'assistant', content });
    return;
  }
  let textOut = '';
  const calls: ToolCall[] = [];
  for (let j = 0; j < content.length; j++) {
    const block = content[j]!;
    const path = `messages.${i}.content.${j}`;
    switch (block.type) {
      case 'text':
        textOut += text(block, path);
        break;
      case 'tool_use':
        if (typeof block.id !== 'string' || typeof block.name !== 'string') invalid(path, 'a tool_use block needs id and name.');
        if (block.input !== undefined && !isObject(block.input)) invalid(`${path}.input`, 'must be an object.');
        calls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
        break;
      case 'thinking':
      case 'redacted_thinking':
        break;
      default:
        invalid(`${path}.type`, `content blocks of type '${String(block.type)}' are not supported in assistant turns through this gateway.`);
    }
  }
  if (textOut === '' && calls.length === 0) return;
  out.push({ role: 'assistant', content: textOut === '' ? null : textOut, ...(calls.length > 0 ? { tool_calls: calls } : {}) });
}

function tools(list: Array<Record<string, unknown>>): FunctionTool[] {
  return list.map((t, i) => {
    if (t.type !== undefined && t.type !== null && t.type !== 'custom') {
      invalid(`tools.${i}.type`, `server tools ('${String(t.type)}') are not supported through this gateway; define a custom tool with input_schema.`);
    }
    if (typeof t.name !== 'string' || t.name.length === 0) invalid(`tools.${i}.name`, 'Field required.');
    if (!isObject(t.input_schema)) invalid(`tools.${i}.input_schema`, 'Field required: a JSON Schema object.');
    return {
      type: 'function',
      function: {
        name: t.name,
        ...(typeof t.description === 'string' ? { description: t.description } : {}),
        parameters: t.input_schema,
        ...(typeof t.strict === 'boolean' ? { strict: t.strict } : {}),
      },
    };
  });
}

function toolChoice(tc: NonNullable<AnthropicRequest['tool_choice']>): ToolChoice {
  switch (tc.type) {
    case 'any':
      return 'required';
    case 'tool':
      return { type: 'function', function: { name: tc.name! } };
    case 'none':
      return 'none';
    default:
      return 'auto';
  }
}

/** The validated Anthropic request as the unified request every adapter takes. */
export function toChatRequest(req: AnthropicRequest): ChatRequest {
  const messages: ChatMessage[] = [];
  if (typeof req.system === 'string') {
    if (req.system.length > 0) messages.push({ role: 'system', content: req.system });
  } else if (Array.isArray(req.system) && req.system.length > 0) {
    const parts: TextContentPart[] = req.system.map((b, j) => {
      if (b.type !== 'text') invalid(`system.${j}.type`, "system blocks must be of type 'text'.");
      return { type: 'text', text: text(b, `system.${j}`) };
    });
    messages.push({ role: 'system', content: parts });
  }
  req.messages.forEach((m, i) => (m.role === 'user' ? userTurn(m.content, i, messages) : assistantTurn(m.content, i, messages)));

  const out: ChatRequest = { model: req.model, messages, max_tokens: req.max_tokens };
  if (req.temperature !== undefined && req.temperature !== null) out.temperature = req.temperature;
  if (req.top_p !== undefined && req.top_p !== null) out.top_p = req.top_p;
  if (req.stop_sequences && req.stop_sequences.length > 0) out.stop = req.stop_sequences;
  if (typeof req.metadata?.user_id === 'string') out.user = req.metadata.user_id;
  if (req.stream === true) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  const schema = req.output_config?.format?.schema;
  if (schema) out.response_format = { type: 'json_schema', json_schema: { name: 'output', schema } };
  if (req.tools && req.tools.length > 0) out.tools = tools(req.tools);
  // Anthropic accepts a tool_choice without tools; OpenAI-shaped providers do not.
  if (req.tool_choice && out.tools) {
    out.tool_choice = toolChoice(req.tool_choice);
    if (req.tool_choice.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
  }
  return out;
}
