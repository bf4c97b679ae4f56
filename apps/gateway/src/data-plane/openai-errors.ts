import { type ErrorCode, GatewayError, type OpenAIErrorBody } from '@conduit/contracts';
import { isProviderError, type ProviderError } from '@conduit/providers';

export interface RenderedError {
  status: number;
  body: OpenAIErrorBody;
  headers: Record<string, string>;
  /** for the usage event */
  category: string;
  code: string;
}

const UPSTREAM: Record<string, { status: number; code: string; type: string }> = {
  rate_limit: { status: 429, code: 'upstream_rate_limited', type: 'rate_limit_error' },
  timeout: { status: 504, code: 'upstream_timeout', type: 'server_error' },
  server_error: { status: 502, code: 'upstream_error', type: 'server_error' },
  overloaded: { status: 503, code: 'upstream_overloaded', type: 'server_error' },
  // the provider refused Conduit's own credentials: an operator problem, not the caller's
  auth: { status: 502, code: 'upstream_auth_failed', type: 'server_error' },
  bad_request: { status: 400, code: 'upstream_bad_request', type: 'invalid_request_error' },
  not_found: { status: 502, code: 'upstream_not_found', type: 'server_error' },
  content_filter: { status: 400, code: 'content_filter', type: 'invalid_request_error' },
  aborted: { status: 499, code: 'client_closed_request', type: 'invalid_request_error' },
};

const GATEWAY_CATEGORY: Partial<Record<ErrorCode, string>> = {
  rate_limit_exceeded: 'rate_limit',
  insufficient_quota: 'rate_limit',
  validation_failed: 'bad_request',
  model_not_found: 'not_found',
  no_healthy_deployment: 'server_error',
};

/** Anything thrown on the data plane → OpenAI's error shape, status and headers. */
export function renderError(err: unknown): RenderedError {
  if (err instanceof GatewayError) {
    return {
      status: err.status,
      headers: err.extra.headers ?? {},
      category: GATEWAY_CATEGORY[err.code] ?? (err.status === 401 || err.status === 403 ? 'auth' : err.status >= 500 ? 'gateway' : 'bad_request'),
      code: err.code,
      body: { error: { message: err.message, type: err.type, param: err.extra.param ?? null, code: err.code } },
    };
  }
  if (isProviderError(err)) {
    const pe = err as ProviderError;
    const m = UPSTREAM[pe.category] ?? UPSTREAM.server_error!;
    const headers: Record<string, string> = {};
    if (pe.retryAfterMs !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(pe.retryAfterMs / 1000)));
    // A caller's bad request keeps the upstream's explanation; upstream failures name the provider.
    const message =
      pe.category === 'bad_request' || pe.category === 'content_filter'
        ? pe.message
        : `The upstream provider (${pe.provider}) failed: ${pe.message}`;
    return {
      status: m.status,
      headers,
      category: pe.category === 'aborted' ? 'client_aborted' : pe.category,
      code: pe.category === 'bad_request' && pe.code ? pe.code : m.code,
      body: { error: { message, type: m.type, param: pe.param ?? null, code: pe.category === 'bad_request' && pe.code ? pe.code : m.code } },
    };
  }
  // other errors that carry a 4xx status of their own (a client error, not the gateway's)
  const status = (err as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      status,
      headers: {},
      category: 'bad_request',
      code: 'invalid_request',
      body: { error: { message: (err as Error).message, type: 'invalid_request_error', param: null, code: 'invalid_request' } },
    };
  }
  return {
    status: 500,
    headers: {},
    category: 'gateway',
    code: 'internal_error',
    body: { error: { message: 'Something went wrong inside the gateway. The error was logged with the request id.', type: 'server_error', param: null, code: 'internal_error' } },
  };
}
