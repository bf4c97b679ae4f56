/** Ollama errors: `{"error": "<message>"}` with a plain HTTP status (also inside NDJSON streams). */
import { isRecord } from '../core/content';
import { categoryForStatus } from '../core/errors';
import type { ProviderError } from '../core/errors';
import { upstreamError } from '../core/adapter';
import type { UpstreamErrorResponse } from '../core/definition';

export function ollamaErrorMessage(body: unknown): string {
  if (isRecord(body) && typeof body['error'] === 'string') return body['error'];
  if (typeof body === 'string' && body !== '') return body;
  return 'upstream error';
}

export function parseOllamaError(provider: string, res: UpstreamErrorResponse): ProviderError {
  const message = ollamaErrorMessage(res.body);
  return upstreamError({ provider, status: res.status, headers: res.headers, message, category: categoryForStatus(res.status) });
}

/** An error line in the middle of a stream: the status is gone; Ollama sends these for load/runner failures. */
export function ollamaStreamError(provider: string, body: Record<string, unknown>): ProviderError {
  const message = ollamaErrorMessage(body);
  const busy = message.includes('busy') || message.includes('overloaded');
  return upstreamError({ provider, status: busy ? 503 : 500, headers: {}, message, category: busy ? 'overloaded' : 'server_error', code: 'stream_error' });
}
