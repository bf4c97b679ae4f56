/**
 * Stable error codes and their HTTP meaning. Codes are part of the public API:
 * never rename one; add new ones.
 */
export const ERROR_CODES = {
  // generic
  validation_failed: { status: 400, type: 'invalid_request_error' },
  not_found: { status: 404, type: 'invalid_request_error' },
  conflict: { status: 409, type: 'invalid_request_error' },
  internal_error: { status: 500, type: 'server_error' },
  service_unavailable: { status: 503, type: 'server_error' },
  // request bodies (data plane)
  invalid_json: { status: 400, type: 'invalid_request_error' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error' },
  // authentication (admin API)
  unauthenticated: { status: 401, type: 'authentication_error' },
  invalid_credentials: { status: 401, type: 'authentication_error' },
  invalid_refresh_token: { status: 401, type: 'authentication_error' },
  account_locked: { status: 423, type: 'authentication_error' },
  account_disabled: { status: 403, type: 'permission_error' },
  forbidden: { status: 403, type: 'permission_error' },
  // API keys (data plane)
  missing_api_key: { status: 401, type: 'authentication_error' },
  invalid_api_key: { status: 401, type: 'authentication_error' },
  api_key_expired: { status: 401, type: 'authentication_error' },
  api_key_revoked: { status: 401, type: 'authentication_error' },
  api_key_pending_approval: { status: 403, type: 'permission_error' },
  tenant_suspended: { status: 403, type: 'permission_error' },
  model_not_allowed: { status: 403, type: 'permission_error' },
  model_access_requires_approval: { status: 403, type: 'permission_error' },
  model_not_found: { status: 404, type: 'invalid_request_error' },
  // limits
  rate_limit_exceeded: { status: 429, type: 'rate_limit_error' },
  requests_per_minute_exceeded: { status: 429, type: 'rate_limit_error' },
  tokens_per_minute_exceeded: { status: 429, type: 'rate_limit_error' },
  concurrent_requests_exceeded: { status: 429, type: 'rate_limit_error' },
  deployment_capacity_exceeded: { status: 429, type: 'rate_limit_error' },
  insufficient_quota: { status: 429, type: 'insufficient_quota' },
  max_cost_per_request_exceeded: { status: 400, type: 'invalid_request_error' },
  limits_unavailable: { status: 503, type: 'server_error' },
  // guardrails
  guardrail_blocked: { status: 400, type: 'invalid_request_error' },
  guardrail_output_blocked: { status: 422, type: 'invalid_request_error' },
  request_too_large: { status: 413, type: 'invalid_request_error' },
  // prompts
  prompt_not_found: { status: 404, type: 'invalid_request_error' },
  prompt_input_invalid: { status: 400, type: 'invalid_request_error' },
  // upstream
  upstream_error: { status: 502, type: 'server_error' },
  upstream_timeout: { status: 504, type: 'server_error' },
  no_healthy_deployment: { status: 503, type: 'server_error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The error every Conduit surface throws. Each surface's filter renders it in
 * that surface's shape (OpenAI's for /v1, Conduit's for /admin).
 */
export class GatewayError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { param?: string | null; details?: unknown; headers?: Record<string, string>; status?: number } = {},
  ) {
    super(message);
    this.name = 'GatewayError';
    this.status = extra.status ?? ERROR_CODES[code].status;
  }
  /** true when the caller can fix it (4xx) */
  get isClientError(): boolean {
    return this.status < 500;
  }
  get type(): string {
    return ERROR_CODES[this.code].type;
  }
}

/** Admin API error body. */
export interface AdminErrorBody {
  error: { code: string; message: string; details?: unknown };
  requestId: string;
}

/** OpenAI-compatible error body (data plane). */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}
