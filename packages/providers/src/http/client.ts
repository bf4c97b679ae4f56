/**
 * Upstream HTTP: one keep-alive pool per upstream origin (shared by every adapter
 * instance pointing there; the lean HTTP/1.1 client of h1.ts), connect / first-byte
 * / idle / total timeouts, and abort propagated to the upstream socket.
 */
import { ProviderError } from '../core/errors';
import type { AbortSignalLike } from './abort';
import { H1_ERRORS, H1Pool, type H1Handler } from './h1';

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

/** An upstream answer's body, read as it arrives. */
export interface UpstreamBody extends AsyncIterable<Buffer> {
  readonly destroyed: boolean;
  /** Stops reading: aborts the request (closing its connection) if the answer is not complete. */
  destroy(): void;
  /** The rest of the body as UTF-8 text. */
  text(): Promise<string>;
}

export interface UpstreamResponse {
  status: number;
  headers: ResponseHeaders;
  body: UpstreamBody;
}

const pools = new Map<string, H1Pool>();
let poolDefaults: PoolOptions = {};

/** Sets defaults for pools created from now on (call once at boot). */
export function configurePools(options: PoolOptions): void {
  poolDefaults = { ...poolDefaults, ...options };
}

function poolFor(origin: string, connectMs: number): H1Pool {
  const key = connectMs === DEFAULT_TIMEOUTS.connectMs ? origin : `${origin}|${connectMs}`;
  let pool = pools.get(key);
  if (pool === undefined) {
    pool = new H1Pool(origin, {
      connections: poolDefaults.connections ?? 128,
      keepAliveTimeout: poolDefaults.keepAliveTimeoutMs ?? 30_000,
      keepAliveMaxTimeout: 600_000,
      connectTimeout: connectMs,
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
  for (const p of all) p.close();
}

/**
 * One upstream call's lifetime: merges the caller's signal with the total
 * timeout and remembers which one fired, so errors map to `aborted` or
 * `timeout` precisely. `dispose()` must run when the body is consumed.
 * No abort controller: the dispatcher handlers abort their request directly.
 */
export class CallScope {
  timedOut = false;
  callerAborted = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly callerSignal: AbortSignalLike | undefined;
  private aborted = false;
  private reason: unknown;
  /** set by a transport that can abort its request itself */
  private onAbort: ((reason: unknown) => void) | undefined;
  private readonly onCallerAbort = (): void => {
    this.callerAborted = true;
    this.abort(this.callerSignal?.reason);
  };

  constructor(
    readonly provider: string,
    signal: AbortSignalLike | undefined,
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
        this.abort(new Error('total timeout'));
      }, totalMs);
    }
  }

  /** Whether the call was aborted (caller or total timeout), and why. */
  get abortedReason(): { reason: unknown } | undefined {
    return this.aborted ? { reason: this.reason } : undefined;
  }

  /** Registers the transport's own abort: called at once if the call is already aborted. */
  onAbortCall(fn: ((reason: unknown) => void) | undefined): void {
    this.onAbort = fn;
    if (fn !== undefined && this.aborted) fn(this.reason);
  }

  private abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.onAbort?.(reason);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.onAbort = undefined;
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
      case H1_ERRORS.connectTimeout:
        return new ProviderError({ category: 'timeout', provider, code: 'connect_timeout', message: 'connecting to the upstream timed out', cause: err });
      case H1_ERRORS.headersTimeout:
        return new ProviderError({ category: 'timeout', provider, code: 'first_byte_timeout', message: 'upstream sent no response headers in time', cause: err });
      case H1_ERRORS.bodyTimeout:
        return new ProviderError({ category: 'timeout', provider, code: 'idle_timeout', message: 'upstream stalled while sending the body', cause: err });
      case H1_ERRORS.invalidRequest:
        return new ProviderError({
          category: 'server_error',
          provider,
          code: 'invalid_upstream_request',
          message: 'a header for the upstream holds characters HTTP does not allow (check the provider credential for a stray line break)',
          cause: err,
        });
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

/** Parsed upstream URLs (a bounded set: each deployment's base URL and paths). */
const urls = new Map<string, { origin: string; path: string }>();

function target(url: string): { origin: string; path: string } {
  let t = urls.get(url);
  if (t === undefined) {
    const u = new URL(url);
    t = { origin: u.origin, path: u.pathname + u.search };
    if (urls.size >= 1000) urls.clear();
    urls.set(url, t);
  }
  return t;
}

/**
 * What both dispatcher handlers share: the request can be aborted through the call's
 * scope (caller's signal, total timeout) from the moment it is connected.
 */
abstract class ScopedHandler implements Pick<H1Handler, 'onConnect'> {
  protected abortFn: ((err?: Error) => void) | undefined;

  constructor(protected readonly scope: CallScope) {}

  onConnect(abort: (err?: Error) => void): void {
    const aborted = this.scope.abortedReason;
    if (aborted !== undefined) {
      abort(aborted.reason as Error);
      return;
    }
    this.abortFn = abort;
    this.scope.onAbortCall((reason) => this.abortFn?.(reason as Error));
  }
}

/**
 * Sends one request through its origin's pool with a dispatcher handler made for
 * the promise it settles (no stream objects, no AbortSignal).
 */
function dispatchUpstream<T>(
  req: UpstreamRequest,
  scope: CallScope,
  timeouts: Timeouts | undefined,
  handler: (resolve: (value: T) => void, reject: (err: unknown) => void) => H1Handler,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const aborted = scope.abortedReason;
    if (aborted !== undefined) {
      reject(scope.mapError(aborted.reason, 'request'));
      return;
    }
    let origin: string;
    let path: string;
    try {
      ({ origin, path } = target(req.url));
    } catch (err) {
      reject(err); // a bad URL is a configuration error, not a transport one
      return;
    }
    const pool = poolFor(origin, timeouts?.connectMs ?? DEFAULT_TIMEOUTS.connectMs);
    pool.dispatch(
      {
        method: req.method,
        path,
        headers: req.headers,
        body: req.body ?? null,
        headersTimeout: timeouts?.firstByteMs ?? DEFAULT_TIMEOUTS.firstByteMs,
        bodyTimeout: timeouts?.idleMs ?? DEFAULT_TIMEOUTS.idleMs,
      },
      handler(resolve, reject),
    );
  });
}

/** Bytes an unread body may queue before the upstream socket is paused (backpressure). */
const BODY_HIGH_WATER = 64 * 1024;

/**
 * One streamed answer straight from the connection: the body is an async
 * iterator over the chunks as they arrive, with no stream object in between (a
 * Readable and its async iterator cost more per chunk than the chunk's own parsing).
 * Backpressure: past BODY_HIGH_WATER unread bytes the socket is paused until the
 * reader catches up.
 */
class StreamingHandler extends ScopedHandler implements UpstreamBody, AsyncIterator<Buffer> {
  private resumeFn: (() => void) | undefined;
  private paused = false;
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private complete = false;
  private failure: unknown = undefined;
  private waiting: { resolve: (r: IteratorResult<Buffer>) => void; reject: (err: unknown) => void } | undefined;
  private answered = false;
  destroyed = false;

  constructor(
    scope: CallScope,
    private readonly resolve: (res: UpstreamResponse) => void,
    private readonly reject: (err: unknown) => void,
  ) {
    super(scope);
  }

  // ── dispatcher side ──
  onHeaders(statusCode: number, rawHeaders: string[], resume: () => void): boolean {
    this.resumeFn = resume;
    this.answered = true;
    let headers: ResponseHeaders | undefined;
    this.resolve({
      status: statusCode,
      get headers() {
        return (headers ??= parseRawHeaders(rawHeaders));
      },
      body: this,
    });
    return true;
  }

  onData(chunk: Buffer): boolean {
    const waiting = this.waiting;
    if (waiting !== undefined) {
      this.waiting = undefined;
      waiting.resolve({ value: chunk, done: false });
      return true;
    }
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.queued < BODY_HIGH_WATER) return true;
    this.paused = true;
    return false;
  }

  onComplete(): void {
    this.complete = true;
    this.abortFn = undefined;
    const waiting = this.waiting;
    if (waiting !== undefined) {
      this.waiting = undefined;
      waiting.resolve({ value: undefined, done: true });
    }
  }

  onError(err: Error): void {
    this.abortFn = undefined;
    if (!this.answered) {
      this.answered = true;
      this.reject(this.scope.mapError(err, 'request'));
      return;
    }
    this.complete = true;
    this.failure = err;
    const waiting = this.waiting;
    if (waiting !== undefined) {
      this.waiting = undefined;
      waiting.reject(err);
    }
  }

  // ── reader side ──
  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  next(): Promise<IteratorResult<Buffer>> {
    if (this.queue.length > 0) {
      const chunk = this.queue.shift()!;
      this.queued -= chunk.length;
      if (this.paused && this.queued < BODY_HIGH_WATER) {
        this.paused = false;
        this.resumeFn?.();
      }
      return Promise.resolve({ value: chunk, done: false });
    }
    // chunks that arrived before an error are delivered first
    if (this.failure !== undefined && !this.destroyed) return Promise.reject(this.failure);
    if (this.complete || this.destroyed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<Buffer>> {
    this.destroy();
    return Promise.resolve({ value: undefined, done: true });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.queue.length = 0;
    this.queued = 0;
    if (!this.complete) this.abortFn?.(new Error('the upstream body is no longer read'));
    const waiting = this.waiting;
    if (waiting !== undefined) {
      this.waiting = undefined;
      waiting.resolve({ value: undefined, done: true });
    }
  }

  async text(): Promise<string> {
    const parts: Buffer[] = [];
    for (let r = await this.next(); !r.done; r = await this.next()) parts.push(r.value);
    return Buffer.concat(parts).toString('utf8');
  }
}

/**
 * Sends one request through the origin's pool and resolves once the answer's
 * headers are in, with its body to read as it arrives (streams, and error answers
 * read by the caller). Throws ProviderError on transport failure.
 */
export function sendUpstream(req: UpstreamRequest, scope: CallScope, timeouts: Timeouts | undefined): Promise<UpstreamResponse> {
  return dispatchUpstream<UpstreamResponse>(req, scope, timeouts, (resolve, reject) => new StreamingHandler(scope, resolve, reject));
}

/** A whole upstream answer read into memory. */
export interface BufferedResponse {
  status: number;
  /** the raw header list (name, value, name, value…); see `parseRawHeaders` */
  rawHeaders: string[];
  /** the body as UTF-8 text (BOM skipped); '' when an error answer's body could not be read */
  text: string;
}

/** Response headers as `{ lower-case name: value | values }`. */
export function parseRawHeaders(raw: string[]): ResponseHeaders {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const prev = Object.hasOwn(out, key) ? out[key] : undefined;
    if (prev === undefined) {
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
      else out[key] = value;
    } else if (typeof prev === 'string') out[key] = [prev, value];
    else prev.push(value);
  }
  return out;
}

/**
 * Collects one buffered answer straight from the connection: no stream
 * object, no AbortSignal, headers left raw (parsed only for error answers).
 */
class BufferingHandler extends ScopedHandler {
  private status = 0;
  private rawHeaders: string[] = [];
  private readonly chunks: Buffer[] = [];
  private length = 0;
  private settled = false;

  constructor(
    scope: CallScope,
    private readonly resolve: (res: BufferedResponse) => void,
    private readonly reject: (err: unknown) => void,
  ) {
    super(scope);
  }

  onHeaders(statusCode: number, rawHeaders: string[]): boolean {
    this.status = statusCode;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.length += chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.settled = true;
    this.abortFn = undefined;
    const chunks = this.chunks;
    let text = '';
    if (this.length > 0) {
      const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.length);
      const start = buf.length > 2 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0; // BOM
      text = buf.toString('utf8', start);
    }
    this.resolve({ status: this.status, rawHeaders: this.rawHeaders, text });
  }

  onError(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.abortFn = undefined;
    const scope = this.scope;
    if (this.status === 0) this.reject(scope.mapError(err, 'request'));
    // an error answer whose body broke off: judged on its status and headers alone
    else if (this.status >= 400 && !scope.callerAborted && !scope.timedOut) this.resolve({ status: this.status, rawHeaders: this.rawHeaders, text: '' });
    else this.reject(scope.mapError(err, 'body'));
  }
}

/**
 * Sends one request through the origin's pool and reads the whole answer.
 * Throws ProviderError on transport failure (before or while reading the body).
 */
export function fetchBuffered(req: UpstreamRequest, scope: CallScope, timeouts: Timeouts | undefined): Promise<BufferedResponse> {
  return dispatchUpstream<BufferedResponse>(req, scope, timeouts, (resolve, reject) => new BufferingHandler(scope, resolve, reject));
}
