/**
 * Google API errors: `{error:{code, message, status, details}}`. The gRPC
 * status names the category; RetryInfo.retryDelay gives the retry delay;
 * an invalid API key is a 400 with reason API_KEY_INVALID.
 */
import { isRecord } from '../core/content';
import { categoryForStatus, parseDurationSeconds } from '../core/errors';
import type { ProviderError, ProviderErrorCategory } from '../core/errors';
import { upstreamError } from '../core/adapter';
import type { UpstreamErrorResponse } from '../core/definition';
import type { ResponseHeaders } from '../http/client';

const STATUS_CATEGORY: Record<string, ProviderErrorCategory> = {
  INVALID_ARGUMENT: 'bad_request',
  FAILED_PRECONDITION: 'bad_request',
  OUT_OF_RANGE: 'bad_request',
  UNAUTHENTICATED: 'auth',
  PERMISSION_DENIED: 'auth',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  INTERNAL: 'server_error',
  UNKNOWN: 'server_error',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  CANCELLED: 'server_error',
};

export function googleError(provider: string, httpStatus: number, body: unknown, headers: ResponseHeaders): ProviderError {
  const e = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
  const status = typeof e?.['status'] === 'string' ? e['status'] : undefined;
  const message = typeof e?.['message'] === 'string' ? e['message'] : typeof body === 'string' && body !== '' ? body : 'upstream error';
  let category = (status !== undefined ? STATUS_CATEGORY[status] : undefined) ?? categoryForStatus(httpStatus);
  let retryAfterMs: number | undefined;
  const details = e?.['details'];
  if (Array.isArray(details)) {
    for (const d of details) {
      if (!isRecord(d)) continue;
      const t = d['@type'];
      if (t === 'type.googleapis.com/google.rpc.RetryInfo') retryAfterMs = parseDurationSeconds(d['retryDelay']);
      if (t === 'type.googleapis.com/google.rpc.ErrorInfo' && typeof d['reason'] === 'string' && d['reason'].startsWith('API_KEY')) category = 'auth';
    }
  }
  return upstreamError({ provider, status: httpStatus, headers, message, category, code: status, retryAfterMs });
}

export function parseGeminiError(provider: string, res: UpstreamErrorResponse): ProviderError {
  return googleError(provider, res.status, res.body, res.headers);
}
