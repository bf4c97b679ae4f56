/**
 * Anything thrown on the data plane → Anthropic's error shape. Status, headers
 * and the usage-event category come from the data plane's own `renderError`, so
 * both surfaces agree on what went wrong; only the body differs.
 */
import { type RenderedError, renderError } from '../openai-errors.js';
import type { AnthropicErrorBody, AnthropicErrorType } from './wire.js';

export interface RenderedAnthropicError {
  status: number;
  headers: Record<string, string>;
  body: AnthropicErrorBody;
  /** the OpenAI-shaped rendering: category, code and message for the usage event */
  rendered: RenderedError;
}

/** Anthropic's error type for an HTTP status (its SDKs pick the error class by status). */
export function anthropicErrorType(status: number): AnthropicErrorType {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

export function renderAnthropicError(err: unknown, requestId: string): RenderedAnthropicError {
  const r = renderError(err);
  const { message, param, code } = r.body.error;
  return {
    status: r.status,
    headers: r.headers,
    rendered: r,
    body: {
      type: 'error',
      error: { type: anthropicErrorType(r.status), message, details: { error_code: code ?? r.code, ...(param ? { param } : {}) } },
      request_id: requestId,
    },
  };
}
