/**
 * OpenAI error bodies: `{error:{message,type,param,code}}`. Also reads the
 * variants of compatible servers (Mistral's flat `{object:"error",message}`,
 * FastAPI's `{detail}`) and Azure's content-filter codes.
 */
import { isRecord } from '../core/content';
import { categoryForStatus } from '../core/errors';
import type { ProviderError, ProviderErrorCategory } from '../core/errors';
import { upstreamError } from '../core/adapter';
import type { UpstreamErrorResponse } from '../core/definition';

interface ErrorInfo {
  message: string;
  type?: string;
  code?: string;
  param?: string;
}

export function readOpenAIErrorBody(body: unknown): ErrorInfo {
  if (typeof body === 'string') return { message: body.trim() || 'upstream error' };
  if (!isRecord(body)) return { message: 'upstream error' };
  const e = isRecord(body['error']) ? body['error'] : body;
  let message = typeof e['message'] === 'string' ? e['message'] : undefined;
  if (message === undefined && typeof body['error'] === 'string') message = body['error'];
  if (message === undefined && body['detail'] !== undefined) {
    message = typeof body['detail'] === 'string' ? body['detail'] : JSON.stringify(body['detail']);
  }
  return {
    message: message ?? 'upstream error',
    type: typeof e['type'] === 'string' ? e['type'] : undefined,
    code: typeof e['code'] === 'string' ? e['code'] : typeof e['code'] === 'number' ? String(e['code']) : undefined,
    param: typeof e['param'] === 'string' ? e['param'] : undefined,
  };
}

/** Refines the status-based category with the body's type/code. */
export function classifyOpenAIError(status: number, info: ErrorInfo): { category: ProviderErrorCategory; retryable?: boolean } {
  const code = info.code ?? info.type ?? '';
  if (code === 'content_filter' || code === 'content_policy_violation' || code === 'ResponsibleAIPolicyViolation') {
    return { category: 'content_filter' };
  }
  if (code === 'insufficient_quota' || code === 'billing_hard_limit_reached') return { category: 'rate_limit', retryable: false };
  if (code === 'model_not_found') return { category: 'not_found' };
  if (code === 'invalid_api_key' || code === 'authentication_error') return { category: 'auth' };
  if (status === 500 && info.type === 'server_error' && /overloaded/i.test(info.message)) return { category: 'overloaded' };
  return { category: categoryForStatus(status) };
}

export function parseOpenAIError(provider: string, res: UpstreamErrorResponse): ProviderError {
  const info = readOpenAIErrorBody(res.body);
  const { category, retryable } = classifyOpenAIError(res.status, info);
  return upstreamError({
    provider,
    status: res.status,
    headers: res.headers,
    message: info.message,
    category,
    code: info.code ?? info.type,
    param: info.param,
    retryable,
  });
}

/** An `{error:{...}}` object sent inside a stream (no HTTP status any more). */
export function streamErrorToProviderError(provider: string, body: Record<string, unknown>): ProviderError {
  const info = readOpenAIErrorBody(body);
  const statusGuess =
    info.type === 'rate_limit_error' || info.code === 'rate_limit_exceeded' ? 429 : info.type === 'invalid_request_error' ? 400 : 500;
  const { category, retryable } = classifyOpenAIError(statusGuess, info);
  return upstreamError({ provider, status: statusGuess, headers: {}, message: info.message, category, code: info.code ?? info.type ?? 'stream_error', retryable });
}
