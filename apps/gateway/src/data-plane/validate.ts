import { GatewayError } from '@conduit/contracts';
import type { ChatRequest, CompletionRequest, EmbeddingRequest } from '@conduit/providers';

/**
 * Light, allocation-free checks of the fields the gateway itself relies on; the
 * rest of the body goes to the adapter, which translates or rejects what a
 * provider lacks.
 */
function invalid(param: string, message: string): never {
  throw new GatewayError('validation_failed', message, { param });
}

function object(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    invalid('body', 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function model(b: Record<string, unknown>): string {
  if (typeof b.model !== 'string' || b.model.length === 0) invalid('model', "'model' is required: the name of the model to use (see GET /v1/models).");
  return b.model;
}

function optionalNumber(b: Record<string, unknown>, field: string, min: number, max: number) {
  const v = b[field];
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) invalid(field, `'${field}' must be a number between ${min} and ${max}.`);
}

function optionalBool(b: Record<string, unknown>, field: string) {
  const v = b[field];
  if (v !== undefined && v !== null && typeof v !== 'boolean') invalid(field, `'${field}' must be true or false.`);
}

function common(b: Record<string, unknown>) {
  optionalNumber(b, 'temperature', 0, 2);
  optionalNumber(b, 'top_p', 0, 1);
  optionalNumber(b, 'max_tokens', 1, 10_000_000);
  optionalNumber(b, 'max_completion_tokens', 1, 10_000_000);
  optionalNumber(b, 'n', 1, 128);
  optionalBool(b, 'stream');
  const so = b.stream_options;
  if (so !== undefined && so !== null && (typeof so !== 'object' || Array.isArray(so))) invalid('stream_options', "'stream_options' must be an object.");
  const stop = b.stop;
  if (stop !== undefined && stop !== null && typeof stop !== 'string' && !(Array.isArray(stop) && stop.every((s) => typeof s === 'string'))) {
    invalid('stop', "'stop' must be a string or an array of strings.");
  }
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

export function validateChat(body: unknown): ChatRequest {
  const b = object(body);
  model(b);
  const messages = b.messages;
  if (!Array.isArray(messages) || messages.length === 0) invalid('messages', "'messages' must be a non-empty array of chat messages.");
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as { role?: unknown; content?: unknown; tool_calls?: unknown } | null;
    if (m === null || typeof m !== 'object') invalid(`messages[${i}]`, `messages[${i}] must be an object with a role and content.`);
    if (typeof m.role !== 'string' || !ROLES.has(m.role)) {
      invalid(`messages[${i}].role`, `messages[${i}].role must be one of system, developer, user, assistant, tool.`);
    }
    const c = m.content;
    const contentOk = typeof c === 'string' || Array.isArray(c) || ((c === null || c === undefined) && m.role === 'assistant');
    if (!contentOk) invalid(`messages[${i}].content`, `messages[${i}].content must be a string or an array of content parts.`);
  }
  if (b.tools !== undefined && !Array.isArray(b.tools)) invalid('tools', "'tools' must be an array of function tools.");
  common(b);
  return b as unknown as ChatRequest;
}

export function validateCompletion(body: unknown): CompletionRequest {
  const b = object(body);
  model(b);
  const p = b.prompt;
  if (!(typeof p === 'string' || (Array.isArray(p) && p.length > 0 && p.every((s) => typeof s === 'string')))) {
    invalid('prompt', "'prompt' must be a string or a non-empty array of strings.");
  }
  common(b);
  return b as unknown as CompletionRequest;
}

export function validateEmbedding(body: unknown): EmbeddingRequest {
  const b = object(body);
  model(b);
  const input = b.input;
  const ok =
    typeof input === 'string' ||
    (Array.isArray(input) &&
      input.length > 0 &&
      (input.every((s) => typeof s === 'string') || input.every((s) => typeof s === 'number') || input.every((s) => Array.isArray(s))));
  if (!ok) invalid('input', "'input' must be a string, an array of strings, or an array of token arrays.");
  if (Array.isArray(input) && input.length > 2048) invalid('input', "'input' may hold at most 2048 items.");
  if (b.encoding_format !== undefined && b.encoding_format !== 'float' && b.encoding_format !== 'base64') {
    invalid('encoding_format', "'encoding_format' must be 'float' or 'base64'.");
  }
  optionalNumber(b, 'dimensions', 1, 100_000);
  return b as unknown as EmbeddingRequest;
}
