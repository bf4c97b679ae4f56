/**
 * Upstream HTTP: one keep-alive undici Pool per upstream origin (shared by
 * every adapter instance pointing there), connect / first-byte / idle / total
 * timeouts, and abort propagated to the upstream socket.
 */
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { ProviderError } from '../core/errors';

export interface Timeouts {
  /** TCP/TLS connect. Default 10 s. */
  connectMs?: number;
  /** Until the response headers arrive (time to first byte). Default 60 s. */
  firstByteMs?: number;
  /** Max gap between two body chunks (stalled stream). Default 60 s. */
  idleMs?: number;
  /** Whole request including the body / whole stream. Default none. */
  totalMs?: number;
}

export const DEFAULT_TIMEOUTS: Required<Omit<Timeouts, 'totalMs'>> = {
  connectMs: 10_000,
  firstByteMs: 60_000,
  idleMs: 60_000,
};

export interface PoolOptions {
  /** Max sockets per origin. Default 128. */
  connections?: number;
  keepAliveTimeoutMs?: number;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface UpstreamResponse {
  status: number;
  headers: ResponseHeaders;
  body: Dispatcher.ResponseData['body'];
}

const pools = new Map<string, Pool>();
let poolDefaults: PoolOptions = {};

/** Sets defaults for pools created from now on (call once at boot). */
export function configurePools(options: PoolOptions): void {
  poolDefaults = { ...poolDefaults, ...options };
}

function poolFor(origin: string, connectMs: number): Pool {
  const key = connectMs === DEFAULT_TIMEOUTS.connectMs ? origin : `${origin}|${connectMs}`;
  let pool = pools.get(key);
  if (pool === undefined) {
    pool = new Pool(origin, {
      connections: poolDefaults.connections ?? 128,
      keepAliveTimeout: poolDefaults.keepAliveTimeoutMs ?? 30_000,
      keepAliveMaxTimeout: 600_000,
      connect: { timeout: connectMs },
      pipelining: 1,
    });
    pools.set(key, pool);
  }
  return pool;
}

/** Number of live pools (one per origin); exposed for tests and metrics. */
export function poolCount(): number {
  return pools.size;
}

/** Closes every pool (graceful shutdown, test teardown). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.destroy()));
}

/**
 * One upstream call's lifetime: merges the caller's signal with the total
 * timeout and remembers which one fired, so errors map to `aborted` or
 * `timeout` precisely. `dispose()` must run when the body is consumed.
 */
export class CallScope {
  readonly controller = new AbortController();
  timedOut = false;
  callerAborted = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly callerSignal: AbortSignal | undefined;
  private readonly onCallerAbort = (): void => {
    this.callerAborted = true;
    this.controller.abort(this.callerSignal?.reason);
  };

  constructor(
    readonly provider: string,
    signal: AbortSignal | undefined,
    totalMs: number | undefined,
  ) {
    this.callerSignal = signal;
    if (signal !== undefined) {
      if (signal.aborted) this.onCallerAbort();
      else signal.addEventListener('abort', this.onCallerAbort, { once: true });
    }
    if (totalMs !== undefined && totalMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort(new Error('total timeout'));
      }, totalMs);
    }
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  /** Maps anything thrown by the transport to a ProviderError. */
  mapError(err: unknown, phase: 'request' | 'body'): ProviderError {
    if (err instanceof ProviderError) return err;
    const provider = this.provider;
    if (this.callerAborted) {
      return new ProviderError({ category: 'aborted', provider, code: 'aborted', message: 'request aborted by the caller', cause: err });
    }
    if (this.timedOut) {
      return new ProviderError({ category: 'timeout', provider, code: 'total_timeout', message: `upstream exceeded the total timeout`, cause: err });
    }
    const code = errorCode(err);
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return new ProviderError({ category: 'timeout', provider, code: 'connect_timeout', message: 'connecting to the upstream timed out', cause: err });
      case 'UND_ERR_HEADERS_TIMEOUT':
        return new ProviderError({ category: 'timeout', provider, code: 'first_byte_timeout', message: 'upstream sent no response headers in time', cause: err });
      case 'UND_ERR_BODY_TIMEOUT':
        return new ProviderError({ category: 'timeout', provider, code: 'idle_timeout', message: 'upstream stalled while sending the body', cause: err });
      case 'ECONNREFUSED':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return new ProviderError({ category: 'server_error', provider, code: 'connection_refused', message: `cannot reach the upstream (${code})`, cause: err });
      default:
        return new ProviderError({
          category: 'server_error',
          provider,
          code: phase === 'body' ? 'connection_reset' : 'network_error',
          message: phase === 'body' ? 'upstream connection closed mid-response' : `upstream request failed (${code ?? 'network error'})`,
          cause: err,
        });
    }
  }
}

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') return c;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Sends one request through the origin's pool. Throws ProviderError on transport failure. */
export async function sendUpstream(req: UpstreamRequest, scope: CallScope, timeouts: Timeouts | undefined): Promise<UpstreamResponse> {
  const url = new URL(req.url);
  const pool = poolFor(url.origin, timeouts?.connectMs ?? DEFAULT_TIMEOUTS.connectMs);
  try {
    const res = await pool.request({
      method: req.method,
      path: url.pathname + url.search,
      headers: req.headers,
      body: req.body ?? null,
      signal: scope.controller.signal,
      headersTimeout: timeouts?.firstByteMs ?? DEFAULT_TIMEOUTS.firstByteMs,
      bodyTimeout: timeouts?.idleMs ?? DEFAULT_TIMEOUTS.idleMs,
    });
    return { status: res.statusCode, headers: res.headers, body: res.body };
  } catch (err) {
    throw scope.mapError(err, 'request');
  }
}
