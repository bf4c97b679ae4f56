/** Small helpers shared by the request/response translators. */
import { ProviderError } from './errors';
import type { ChatMessage, TextContentPart, UserContentPart } from './types';

/** Concatenated text of a message's content (non-text parts ignored). */
export function textOf(content: string | ReadonlyArray<UserContentPart | TextContentPart | { type: string }> | null | undefined): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  let out = '';
  for (const part of content) {
    if (part.type === 'text') out += (part as TextContentPart).text;
  }
  return out;
}

export interface DataUrl {
  mediaType: string;
  /** Base64 payload. */
  data: string;
}

/** Parses `data:<media>;base64,<payload>`; undefined for any other URL. */
export function parseDataUrl(url: string): DataUrl | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma === -1) return undefined;
  const meta = url.slice(5, comma);
  if (!meta.endsWith(';base64')) return undefined;
  return { mediaType: meta.slice(0, -7) || 'application/octet-stream', data: url.slice(comma + 1) };
}

/** Parses tool-call arguments; bad JSON is the caller's bad request. */
export function parseArguments(provider: string, args: string): Record<string, unknown> {
  if (args === '' || args === undefined) return {};
  try {
    const v: unknown = JSON.parse(args);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ProviderError({
    category: 'bad_request',
    provider,
    code: 'invalid_tool_arguments',
    param: 'messages',
    message: `tool call arguments must be a JSON object (provider ${provider} needs them parsed)`,
  });
}

/** JSON.parse for upstream payloads: malformed → typed server_error. */
export function parseUpstreamJson(provider: string, text: string, what = 'response'): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ProviderError({
      category: 'server_error',
      provider,
      code: what === 'response' ? 'invalid_upstream_response' : 'malformed_chunk',
      message: `upstream sent a malformed ${what} (not JSON)`,
      cause,
    });
  }
}

/** Throws a typed error when the upstream's JSON is not the expected shape. */
export function badUpstream(provider: string, detail: string): ProviderError {
  return new ProviderError({
    category: 'server_error',
    provider,
    code: 'invalid_upstream_response',
    message: `upstream response from ${provider} is not in the expected format: ${detail}`,
  });
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

let idCounter = 0;
const idPrefix = Math.floor(Math.random() * 0xffffffff).toString(36);
/** Cheap unique-enough id for responses the upstream does not identify. */
export function makeId(prefix: string): string {
  idCounter = (idCounter + 1) % 0x7fffffff;
  return `${prefix}${idPrefix}${idCounter.toString(36)}`;
}

/** System + developer messages' text, joined. */
export function systemText(messages: readonly ChatMessage[]): string | undefined {
  let out: string | undefined;
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'developer') {
      const t = textOf(m.content);
      out = out === undefined ? t : `${out}\n\n${t}`;
    }
  }
  return out;
}

/** Tool name for a tool_call_id, from the assistant turns before it. */
export function toolNameIndex(messages: readonly ChatMessage[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of messages) {
    if (m.role === 'assistant' && m.tool_calls) {
      for (const tc of m.tool_calls) map.set(tc.id, tc.function.name);
    }
  }
  return map;
}

/**
 * Providers without a JSON mode get this system instruction for
 * `response_format: json_object` (translated on purpose, not dropped).
 */
export const JSON_OBJECT_INSTRUCTION = 'Respond with a single JSON object and nothing else.';
