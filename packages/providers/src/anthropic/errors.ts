/** Anthropic error bodies: `{type:"error", error:{type, message}, request_id}`. */
import { isRecord } from '../core/content';
import { categoryForStatus } from '../core/errors';
import type { ProviderError, ProviderErrorCategory } from '../core/errors';
import { upstreamError } from '../core/adapter';
import type { UpstreamErrorResponse } from '../core/definition';
import type { ResponseHeaders } from '../http/client';

const TYPE_CATEGORY: Record<string, ProviderErrorCategory> = {
  invalid_request_error: 'bad_request',
  request_too_large: 'bad_request',
  authentication_error: 'auth',
  permission_error: 'auth',
  billing_error: 'auth',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limit',
  api_error: 'server_error',
  overloaded_error: 'overloaded',
  timeout_error: 'timeout',
};

const STATUS_FOR_TYPE: Record<string, number> = {
  rate_limit_error: 429,
  overloaded_error: 529,
  api_error: 500,
  timeout_error: 504,
  invalid_request_error: 400,
};

export function anthropicError(provider: string, status: number, body: unknown, headers: ResponseHeaders): ProviderError {
  const e = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
  const type = typeof e?.['type'] === 'string' ? e['type'] : undefined;
  const message = typeof e?.['message'] === 'string' ? e['message'] : typeof body === 'string' && body !== '' ? body : 'upstream error';
  let category = (type !== undefined ? TYPE_CATEGORY[type] : undefined) ?? categoryForStatus(status);
  if (category === 'bad_request' && message.toLowerCase().includes('content filtering')) category = 'content_filter';
  return upstreamError({ provider, status, headers, message, category, code: type });
}

export function parseAnthropicError(provider: string, res: UpstreamErrorResponse): ProviderError {
  return anthropicError(provider, res.status, res.body, res.headers);
}

/** An `event: error` inside a stream. */
export function anthropicStreamError(provider: string, data: Record<string, unknown>): ProviderError {
  const e = isRecord(data['error']) ? data['error'] : {};
  const type = typeof e['type'] === 'string' ? e['type'] : 'api_error';
  return anthropicError(provider, STATUS_FOR_TYPE[type] ?? 500, data, {});
}
