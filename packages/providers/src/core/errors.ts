/**
 * Typed upstream errors. Every adapter throws `ProviderError` (never returns
 * errors); the gateway's executor decides on retry/fallback from `category`
 * and `retryable`, and honours `retryAfterMs`.
 */

export const PROVIDER_ERROR_CATEGORIES = [
  'rate_limit',
  'timeout',
  'server_error',
  'overloaded',
  'auth',
  'bad_request',
  'not_found',
  'content_filter',
  /** The caller aborted the request (client disconnect). Never retried. */
  'aborted',
] as const;

export type ProviderErrorCategory = (typeof PROVIDER_ERROR_CATEGORIES)[number];

/** Which categories a retry (same or another deployment) can help with. */
const RETRYABLE: Readonly<Record<ProviderErrorCategory, boolean>> = {
  rate_limit: true,
  timeout: true,
  server_error: true,
  overloaded: true,
  auth: false,
  bad_request: false,
  not_found: false,
  content_filter: false,
  aborted: false,
};

/** The HTTP status the gateway should answer with for each category. */
export const CATEGORY_HTTP_STATUS: Readonly<Record<ProviderErrorCategory, number>> = {
  rate_limit: 429,
  timeout: 504,
  server_error: 502,
  overloaded: 503,
  auth: 401,
  bad_request: 400,
  not_found: 404,
  content_filter: 400,
  aborted: 499,
};

export interface ProviderErrorInit {
  category: ProviderErrorCategory;
  message: string;
  /** Provider id (registry key) that raised it. */
  provider: string;
  /** Upstream HTTP status, when there was a response. */
  status?: number;
  /** Stable machine code, e.g. the upstream's error type/code or `stream_truncated`. */
  code?: string;
  /** Overrides the category's default retryability. */
  retryable?: boolean;
  /** From the upstream's Retry-After (or equivalent), in milliseconds. */
  retryAfterMs?: number;
  /** Upstream request id, for support tickets. */
  upstreamRequestId?: string;
  /** Parameter at fault, when the upstream names one. */
  param?: string;
  cause?: unknown;
}

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly category: ProviderErrorCategory;
  readonly provider: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly upstreamRequestId: string | undefined;
  readonly param: string | undefined;

  constructor(init: ProviderErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.category = init.category;
    this.provider = init.provider;
    this.status = init.status;
    this.code = init.code;
    this.retryable = init.retryable ?? RETRYABLE[init.category];
    this.retryAfterMs = init.retryAfterMs;
    this.upstreamRequestId = init.upstreamRequestId;
    this.param = init.param;
  }

  /** HTTP status the gateway should return to its client. */
  get httpStatus(): number {
    return CATEGORY_HTTP_STATUS[this.category];
  }

  /** OpenAI's error body shape, for the data plane. */
  toOpenAIError(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return {
      error: {
        message: this.message,
        type: this.category,
        param: this.param ?? null,
        code: this.code ?? null,
      },
    };
  }
}

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError;
}

/** A feature the provider cannot do: always a clear bad_request naming both. */
export function unsupported(provider: string, feature: string, hint?: string): ProviderError {
  return new ProviderError({
    category: 'bad_request',
    provider,
    code: 'unsupported_feature',
    param: feature,
    message: `${feature} is not supported by provider ${provider}${hint ? `: ${hint}` : ''}`,
  });
}

/** Default category for an HTTP status when the body says nothing more specific. */
export function categoryForStatus(status: number): ProviderErrorCategory {
  switch (status) {
    case 400:
    case 405:
    case 409:
    case 413:
    case 415:
    case 422:
      return 'bad_request';
    case 401:
    case 402:
    case 403:
      return 'auth';
    case 404:
      return 'not_found';
    case 408:
    case 504:
      return 'timeout';
    case 429:
      return 'rate_limit';
    case 503:
    case 529:
      return 'overloaded';
    default:
      return status >= 500 ? 'server_error' : 'bad_request';
  }
}

/**
 * Parses Retry-After (delta-seconds or HTTP date) and the millisecond
 * variants (`retry-after-ms`) into milliseconds.
 */
export function parseRetryAfter(
  headers: Record<string, string | string[] | undefined>,
  now: number = Date.now(),
): number | undefined {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined) {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.round(n);
  }
  const ra = first(headers['retry-after']);
  if (ra === undefined || ra === '') return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return secs >= 0 ? Math.round(secs * 1000) : undefined;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Parses durations like Google's `"30s"` / `"1.5s"` into milliseconds. */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string' || !value.endsWith('s')) return undefined;
  const n = Number(value.slice(0, -1));
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1000) : undefined;
}

export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
