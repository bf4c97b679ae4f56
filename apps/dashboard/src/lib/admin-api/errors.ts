/**
 * Typed failures of calls from the dashboard to the gateway's admin API.
 * Every call either returns parsed, validated data or throws one of these.
 */
export abstract class AdminApiError extends Error {
  abstract readonly kind: 'http' | 'unreachable' | 'contract';
}

/** The gateway answered with a non-2xx status (usually in the admin error shape). */
export class AdminApiHttpError extends AdminApiError {
  readonly kind = 'http' as const;
  constructor(
    readonly status: number,
    /** Stable machine-readable code, e.g. `invalid_credentials`. */
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
  ) {
    super(message);
    this.name = 'AdminApiHttpError';
  }

  /** The caller's fault (bad input, bad credentials, forbidden…), not the gateway's. */
  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

/** The gateway could not be reached at all: refused, DNS failure, timeout, reset. */
export class GatewayUnreachableError extends AdminApiError {
  readonly kind = 'unreachable' as const;
  constructor(
    readonly gatewayUrl: string,
    /** Short technical reason, e.g. `ECONNREFUSED` or `timed out after 10000 ms`. */
    readonly reason: string,
  ) {
    super(`The gateway at ${gatewayUrl} could not be reached (${reason}).`);
    this.name = 'GatewayUnreachableError';
  }
}

/** The gateway answered 2xx, but not with the shape this dashboard expects. */
export class AdminApiContractError extends AdminApiError {
  readonly kind = 'contract' as const;
  constructor(
    readonly path: string,
    readonly issues: string,
  ) {
    super(`Unexpected response from the gateway for ${path}: ${issues}`);
    this.name = 'AdminApiContractError';
  }
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof AdminApiHttpError && error.status === 401;
}
