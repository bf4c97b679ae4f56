/**
 * Bedrock (AWS JSON protocol) errors: the type is in `x-amzn-errortype`
 * (`ThrottlingException:http://…`) or the body's `__type`/`code`; the
 * message in `message`/`Message`. Streams carry modeled exceptions as
 * event-stream frames with `:exception-type`.
 */
import { isRecord } from '../core/content';
import { categoryForStatus, first } from '../core/errors';
import type { ProviderError, ProviderErrorCategory } from '../core/errors';
import { upstreamError } from '../core/adapter';
import type { UpstreamErrorResponse } from '../core/definition';
import type { ResponseHeaders } from '../http/client';

const TYPE_CATEGORY: Record<string, [ProviderErrorCategory, number]> = {
  ThrottlingException: ['rate_limit', 429],
  ServiceQuotaExceededException: ['rate_limit', 400],
  TooManyRequestsException: ['rate_limit', 429],
  ModelNotReadyException: ['overloaded', 429],
  ServiceUnavailableException: ['overloaded', 503],
  InternalServerException: ['server_error', 500],
  ModelErrorException: ['server_error', 424],
  ModelStreamErrorException: ['server_error', 424],
  ModelTimeoutException: ['timeout', 408],
  ValidationException: ['bad_request', 400],
  SerializationException: ['bad_request', 400],
  AccessDeniedException: ['auth', 403],
  UnrecognizedClientException: ['auth', 403],
  InvalidSignatureException: ['auth', 403],
  ExpiredTokenException: ['auth', 403],
  IncompleteSignatureException: ['auth', 403],
  ResourceNotFoundException: ['not_found', 404],
};

/** `ThrottlingException:http://internal…` / `com.amazon#ThrottlingException` → `ThrottlingException`. */
export function sanitizeErrorType(raw: string): string {
  let t = raw;
  const colon = t.indexOf(':');
  if (colon !== -1) t = t.slice(0, colon);
  const hash = t.indexOf('#');
  if (hash !== -1) t = t.slice(hash + 1);
  return t;
}

export function bedrockError(provider: string, status: number, type: string | undefined, message: string, headers: ResponseHeaders): ProviderError {
  const known = type !== undefined ? TYPE_CATEGORY[type] : undefined;
  return upstreamError({ provider, status: status || known?.[1] || 500, headers, message, category: known?.[0] ?? categoryForStatus(status), code: type });
}

export function parseBedrockError(provider: string, res: UpstreamErrorResponse): ProviderError {
  const body = isRecord(res.body) ? res.body : {};
  const rawType = first(res.headers['x-amzn-errortype']) ?? (typeof body['__type'] === 'string' ? body['__type'] : typeof body['code'] === 'string' ? body['code'] : undefined);
  const message = typeof body['message'] === 'string' ? body['message'] : typeof body['Message'] === 'string' ? body['Message'] : typeof res.body === 'string' && res.body !== '' ? res.body : 'upstream error';
  return bedrockError(provider, res.status, rawType !== undefined ? sanitizeErrorType(rawType) : undefined, message, res.headers);
}

/** `throttlingException` (event name) → `ThrottlingException`. */
export function exceptionEventType(name: string): string {
  return name.length > 0 ? name[0]!.toUpperCase() + name.slice(1) : name;
}
