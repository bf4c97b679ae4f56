/**
 * A lean HTTP/1.1 client for upstream calls: one keep-alive pool of sockets per
 * origin (plain TCP or TLS), one request at a time per socket, the request written
 * in one go when it is dispatched, the answer parsed as it arrives and handed to a
 * handler (status and headers, body pieces with backpressure, end or error).
 *
 * Why not undici: on the gateway's hot path a request costs its CPU on a cold core
 * (a few hundred calls a second leave the caches cold between two), so the length of
 * the code a call runs is what the client adds to latency. undici's dispatch (request
 * object, header validation, handler wrappers, its queue) ran about 130 µs there
 * before the request's first byte left; this client writes the request from
 * `dispatch` itself.
 *
 * What it does: content-length, chunked (extensions and trailers skipped) and
 * read-until-close bodies; 1xx answers skipped; 204/304 without a body; keep-alive
 * per HTTP/1.0 and 1.1 rules with the server's `Keep-Alive: timeout` hint; connect,
 * first-byte (headers) and idle (between body pieces) timeouts; abort at any point
 * (the socket is closed, never reused); header names and values checked so a value
 * cannot inject a header or a request. Errors carry a stable `code`: the system's
 * (ECONNREFUSED, ECONNRESET, ENOTFOUND…) or one of H1_ERRORS.
 */
import net from 'node:net';
import tls from 'node:tls';

export const H1_ERRORS = {
  connectTimeout: 'H1_CONNECT_TIMEOUT',
  headersTimeout: 'H1_HEADERS_TIMEOUT',
  bodyTimeout: 'H1_BODY_TIMEOUT',
  /** the upstream closed the connection before the answer was complete */
  closed: 'H1_SOCKET_CLOSED',
  /** the upstream's bytes are not an HTTP/1.x answer */
  invalidResponse: 'H1_INVALID_RESPONSE',
  /** a header name or value the client refuses to send */
  invalidRequest: 'H1_INVALID_REQUEST',
  /** the pool was closed while the request waited or ran */
  poolClosed: 'H1_POOL_CLOSED',
} as const;

export class H1Error extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'H1Error';
  }
}

/** What a dispatched request reports to. Every request ends with exactly one of onComplete / onError. */
export interface H1Handler {
  /** Called at dispatch with the request's abort (closes its socket; onError follows with `err`). */
  onConnect(abort: (err?: Error) => void): void;
  /** The final status line and headers (`[name, value, name, value…]`, names as sent). */
  onHeaders(status: number, rawHeaders: string[], resume: () => void): boolean;
  /** A piece of the body; false pauses reading until `resume` (from onHeaders) is called. */
  onData(chunk: Buffer): boolean;
  onComplete(): void;
  onError(err: Error): void;
}

export interface H1Request {
  method: string;
  /** path and query, starting with / */
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
  /** from the request's last byte to the end of the answer's headers */
  headersTimeout: number;
  /** longest gap between two pieces of the body */
  bodyTimeout: number;
}

export interface H1PoolOptions {
  /** most sockets open (or opening) at once; further requests wait for one */
  connections: number;
  /** how long an idle socket is kept, unless the server's Keep-Alive hint is shorter */
  keepAliveTimeout: number;
  /** upper bound on a server's Keep-Alive hint */
  keepAliveMaxTimeout: number;
  connectTimeout: number;
  /** extra certificate authorities trusted for https origins (the system's are trusted anyway) */
  ca?: string | Buffer;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\r\n\0]/;
/** headers the client writes itself */
const OWN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);
const MAX_HEAD = 64 * 1024;
const CRLF_CRLF = Buffer.from('\r\n\r\n');
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: |$)/;

function requestHead(req: H1Request, host: string, bodyLength: number): string {
  let head = `${req.method} ${req.path} HTTP/1.1\r\nhost: ${host}\r\nconnection: keep-alive\r\n`;
  for (const name in req.headers) {
    const value = req.headers[name]!;
    if (!TOKEN.test(name) || BAD_VALUE.test(value)) throw new H1Error(H1_ERRORS.invalidRequest, `refusing to send header ${JSON.stringify(name)}: its name or value holds characters HTTP does not allow`);
    if (OWN_HEADERS.has(name.toLowerCase())) continue;
    head += `${name}: ${value}\r\n`;
  }
  if (bodyLength > 0 || req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') head += `content-length: ${bodyLength}\r\n`;
  return head + '\r\n';
}

const enum Body {
  None,
  Length,
  Chunked,
  UntilClose,
}

const enum Chunk {
  Size,
  Data,
  DataEnd,
  Trailers,
}

/** One request on a connection: its handler, timers' settings and the answer's parse state. */
interface Exchange {
  req: H1Request;
  handler: H1Handler;
  done: boolean;
  /** whether the answer's status line has been read (errors before it are transport errors) */
  answered: boolean;
}

/** One socket of a pool, carrying one exchange at a time. */
class Connection {
  readonly socket: net.Socket;
  private exchange: Exchange | undefined;
  private head: Buffer | undefined;
  private body = Body.None;
  private remaining = 0;
  private chunkState = Chunk.Size;
  private line = '';
  private reusable = true;
  private paused = false;
  private stash: Buffer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerCode = '';
  /** ms an idle socket may be kept (the server's hint, bounded) */
  keepAliveMs: number;
  idleSince = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private connected = false;

  constructor(
    private readonly pool: H1Pool,
    socket: net.Socket,
  ) {
    this.socket = socket;
    this.keepAliveMs = pool.options.keepAliveTimeout;
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (err: Error) => this.finish(err));
    socket.on('end', () => this.onEnd());
    socket.on('close', () => this.onClose());
  }

  /** Calls back once connected (TCP, or the TLS handshake done), or with why not. */
  whenConnected(ready: (err?: Error) => void, secure: boolean): void {
    const timer = setTimeout(() => {
      this.socket.destroy(new H1Error(H1_ERRORS.connectTimeout, `connecting to ${this.pool.origin} timed out after ${this.pool.options.connectTimeout} ms`));
    }, this.pool.options.connectTimeout);
    const done = (err?: Error) => {
      clearTimeout(timer);
      this.socket.off(secure ? 'secureConnect' : 'connect', onConnect);
      this.socket.off('close', onClose);
      this.connected = err === undefined;
      ready(err);
    };
    let lastError: Error | undefined;
    const onConnect = () => done();
    const onClose = () => done(lastError ?? new H1Error(H1_ERRORS.closed, `the connection to ${this.pool.origin} closed while opening`));
    this.socket.once(secure ? 'secureConnect' : 'connect', onConnect);
    this.socket.once('error', (err: Error) => (lastError = err));
    this.socket.once('close', onClose);
  }

  get alive(): boolean {
    return this.connected && !this.closed && !this.socket.destroyed && this.socket.writable;
  }

  /** Writes the request and starts reading its answer. */
  send(ex: Exchange): void {
    this.exchange = ex;
    this.reusable = true;
    this.head = undefined;
    this.body = Body.None;
    this.paused = false;
    this.stash = undefined;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.socket.ref();
    const { req } = ex;
    const body = req.body;
    let head: string;
    try {
      head = requestHead(req, this.pool.host, body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    } catch (err) {
      this.exchange = undefined;
      this.pool.release(this); // nothing was written: the socket is as good as before
      ex.done = true;
      ex.handler.onError(err as Error);
      return;
    }
    if (body === null) this.socket.write(head, 'latin1');
    else if (typeof body === 'string') this.socket.write(head + body);
    else {
      this.socket.cork();
      this.socket.write(head, 'latin1');
      this.socket.write(body);
      this.socket.uncork();
    }
    this.arm(req.headersTimeout, H1_ERRORS.headersTimeout);
    if (this.socket.isPaused()) this.socket.resume();
  }

  abort(ex: Exchange, err: Error): void {
    if (this.exchange !== ex || ex.done) return;
    this.finish(err);
  }

  private arm(ms: number, code: string): void {
    this.timerCode = code;
    this.disarm();
    if (ms > 0) this.timer = setTimeout(() => this.onTimeout(ms), ms);
  }

  private onTimeout(ms: number): void {
    this.timer = undefined;
    if (this.exchange === undefined) return;
    const what = this.timerCode === H1_ERRORS.headersTimeout ? 'sent no response headers' : 'sent nothing more of the body';
    this.finish(new H1Error(this.timerCode, `${this.pool.origin} ${what} for ${ms} ms`));
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private onData(data: Buffer): void {
    if (this.exchange === undefined) {
      // bytes nobody asked for: the connection's framing can no longer be trusted
      this.socket.destroy();
      return;
    }
    if (this.paused) {
      this.stash = this.stash === undefined ? data : Buffer.concat([this.stash, data]);
      return;
    }
    this.parse(data);
  }

  private parse(data: Buffer): void {
    let buf = data;
    while (buf.length > 0 && this.exchange !== undefined) {
      if (this.paused) {
        this.stash = buf;
        return;
      }
      if (this.head !== undefined || this.body === Body.None) {
        const rest = this.parseHead(buf);
        if (rest === null) return;
        buf = rest;
        continue;
      }
      buf = this.parseBody(buf);
    }
  }

  /** Reads the status line and headers; returns what follows them, or null when more is needed (or it failed). */
  private parseHead(data: Buffer): Buffer | null {
    const buf = this.head === undefined ? data : Buffer.concat([this.head, data]);
    const end = buf.indexOf(CRLF_CRLF, this.head === undefined ? 0 : Math.max(0, this.head.length - 3));
    if (end < 0) {
      if (buf.length > MAX_HEAD) this.finish(new H1Error(H1_ERRORS.invalidResponse, `${this.pool.origin} sent response headers larger than ${MAX_HEAD} bytes`));
      else this.head = buf;
      return null;
    }
    this.head = undefined;
    const lines = buf.toString('latin1', 0, end).split('\r\n');
    const status = STATUS_LINE.exec(lines[0]!);
    if (status === null) {
      this.finish(new H1Error(H1_ERRORS.invalidResponse, `${this.pool.origin} did not answer in HTTP/1.x (it sent ${JSON.stringify(lines[0]!.slice(0, 40))})`));
      return null;
    }
    const code = Number(status[2]);
    const http10 = status[1] === '0';
    const raw: string[] = [];
    let length = -1;
    let chunked = false;
    let connection = '';
    let keepAlive = '';
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) {
        // obsolete line folding: part of the previous value
        if (raw.length > 0) raw[raw.length - 1] += ' ' + line.trim();
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) {
        this.finish(new H1Error(H1_ERRORS.invalidResponse, `${this.pool.origin} sent a malformed header line`));
        return null;
      }
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      raw.push(name, value);
      switch (name.length) {
        case 10:
          if (name.toLowerCase() === 'connection') connection += value.toLowerCase();
          else if (name.toLowerCase() === 'keep-alive') keepAlive = value.toLowerCase();
          break;
        case 14:
          if (name.toLowerCase() === 'content-length') {
            const n = /^\d+$/.test(value) ? Number(value) : NaN;
            if (Number.isNaN(n) || (length >= 0 && length !== n)) {
              this.finish(new H1Error(H1_ERRORS.invalidResponse, `${this.pool.origin} sent an invalid Content-Length`));
              return null;
            }
            length = n;
          }
          break;
        case 17:
          if (name.toLowerCase() === 'transfer-encoding') chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
          break;
      }
    }
    const rest = buf.subarray(end + 4);
    if (code < 200) {
      if (code === 101) {
        this.finish(new H1Error(H1_ERRORS.invalidResponse, `${this.pool.origin} tried to switch protocols`));
        return null;
      }
      return rest.length > 0 ? rest : null; // informational: the real answer follows
    }
    this.reusable = http10 ? connection.includes('keep-alive') : !connection.includes('close');
    const hint = /(?:^|,)\s*timeout=(\d+)/.exec(keepAlive);
    if (hint !== null) this.keepAliveMs = Math.min(this.pool.options.keepAliveMaxTimeout, Math.max(0, Number(hint[1]) * 1000 - 1000));
    const ex = this.exchange!;
    ex.answered = true;
    if (code === 204 || code === 304 || ex.req.method === 'HEAD') this.body = Body.None;
    else if (chunked) {
      this.body = Body.Chunked;
      this.chunkState = Chunk.Size;
      this.line = '';
      if (length >= 0) this.reusable = false; // both framings sent: do not trust the connection afterwards
    } else if (length >= 0) {
      this.body = Body.Length;
      this.remaining = length;
    } else {
      this.body = Body.UntilClose;
      this.reusable = false;
    }
    this.disarm();
    ex.handler.onHeaders(code, raw, this.resumeFn);
    if (this.exchange !== ex) return null; // aborted from onHeaders
    if (this.body === Body.None || (this.body === Body.Length && this.remaining === 0)) {
      this.complete(rest);
      return null;
    }
    this.arm(ex.req.bodyTimeout, H1_ERRORS.bodyTimeout);
    return rest;
  }

  /** Consumes body bytes from `buf`; returns what is left of it to parse. */
  private parseBody(buf: Buffer): Buffer {
    switch (this.body) {
      case Body.Length: {
        const take = Math.min(this.remaining, buf.length);
        this.remaining -= take;
        const rest = buf.subarray(take);
        this.deliver(take === buf.length ? buf : buf.subarray(0, take));
        if (this.remaining === 0 && this.exchange !== undefined) this.complete(rest);
        return EMPTY;
      }
      case Body.UntilClose:
        this.deliver(buf);
        return EMPTY;
      case Body.Chunked:
        return this.parseChunked(buf);
      default:
        return EMPTY;
    }
  }

  private parseChunked(buf: Buffer): Buffer {
    let i = 0;
    while (i < buf.length && this.exchange !== undefined && !this.paused) {
      switch (this.chunkState) {
        case Chunk.Size:
        case Chunk.Trailers:
        case Chunk.DataEnd: {
          const nl = buf.indexOf(10, i);
          if (nl < 0) {
            this.line += buf.toString('latin1', i);
            if (this.line.length > 1024) this.finish(new H1Error(H1_ERRORS.invalidResponse, `${this.pool.origin} sent a malformed chunked body`));
            return EMPTY;
          }
          const line = (this.line + buf.toString('latin1', i, nl)).replace(/\r$/, '');
          this.line = '';
          i = nl + 1;
          if (this.chunkState === Chunk.DataEnd) {
            if (line !== '') return this.malformed();
            this.chunkState = Chunk.Size;
          } else if (this.chunkState === Chunk.Size) {
            const semi = line.indexOf(';');
            const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
            if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) return this.malformed();
            const size = parseInt(hex, 16);
            if (size === 0) this.chunkState = Chunk.Trailers;
            else {
              this.remaining = size;
              this.chunkState = Chunk.Data;
            }
          } else if (line === '') {
            this.complete(buf.subarray(i)); // the empty line after the (skipped) trailers
            return EMPTY;
          }
          break;
        }
        case Chunk.Data: {
          const take = Math.min(this.remaining, buf.length - i);
          const piece = buf.subarray(i, i + take);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.chunkState = Chunk.DataEnd;
          this.deliver(piece);
          break;
        }
      }
    }
    return i < buf.length && this.exchange !== undefined ? buf.subarray(i) : EMPTY;
  }

  private malformed(): Buffer {
    this.finish(new H1Error(H1_ERRORS.invalidResponse, `${this.pool.origin} sent a malformed chunked body`));
    return EMPTY;
  }

  private deliver(piece: Buffer): void {
    if (piece.length === 0) return;
    const ex = this.exchange!;
    if (this.timer !== undefined) this.timer.refresh();
    if (ex.handler.onData(piece) === false && this.exchange === ex && !ex.done) {
      this.paused = true;
      this.disarm(); // a paused body is the reader's wait, not the upstream's stall
      this.socket.pause();
    }
  }

  private readonly resumeFn = (): void => {
    if (!this.paused || this.exchange === undefined) return;
    this.paused = false;
    this.arm(this.exchange.req.bodyTimeout, H1_ERRORS.bodyTimeout);
    const stash = this.stash;
    this.stash = undefined;
    if (stash !== undefined) this.parse(stash);
    if (!this.paused) this.socket.resume();
  };

  /** The answer is complete: the handler hears it, the socket goes back to the pool (or is closed). */
  private complete(rest: Buffer): void {
    const ex = this.exchange!;
    this.exchange = undefined;
    ex.done = true;
    this.disarm();
    if (!this.reusable || rest.length > 0) this.close();
    else this.pool.release(this);
    ex.handler.onComplete();
  }

  /** Ends the exchange with an error and closes the socket (its framing is unknown from here). */
  private finish(err: Error): void {
    const ex = this.exchange;
    this.exchange = undefined;
    this.disarm();
    this.close();
    if (ex !== undefined && !ex.done) {
      ex.done = true;
      ex.handler.onError(err);
    }
  }

  private onEnd(): void {
    if (this.exchange !== undefined && this.body === Body.UntilClose && this.head === undefined && this.exchange.answered) {
      this.complete(EMPTY);
      return;
    }
    this.finish(new H1Error(H1_ERRORS.closed, `${this.pool.origin} closed the connection ${this.exchange?.answered ? 'mid-response' : 'before answering'}`));
  }

  private onClose(): void {
    this.finish(new H1Error(H1_ERRORS.closed, `the connection to ${this.pool.origin} closed ${this.exchange?.answered ? 'mid-response' : 'before an answer'}`));
  }

  /** Parks the socket as idle: closed after its keep-alive time. */
  park(): void {
    this.idleSince = Date.now();
    if (this.keepAliveMs <= 0) {
      this.close();
      return;
    }
    this.idleTimer = setTimeout(() => this.close(), this.keepAliveMs);
    this.idleTimer.unref();
    this.socket.unref(); // an idle socket does not keep the process alive
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.socket.destroy();
    if (this.connected) this.pool.forget(this); // one that never connected is the opener's to account for
  }
}

const EMPTY = Buffer.alloc(0);

interface Waiting {
  ex: Exchange;
  /** tells the request which connection took it (for its abort) */
  bind: (conn: Connection) => void;
}

/** Keep-alive sockets to one origin. */
export class H1Pool {
  readonly host: string;
  private readonly hostname: string;
  private readonly port: number;
  private readonly secure: boolean;
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private opening = 0;
  private readonly waiting: Waiting[] = [];
  private closedPool = false;

  constructor(
    readonly origin: string,
    readonly options: H1PoolOptions,
  ) {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new H1Error(H1_ERRORS.invalidRequest, `unsupported protocol ${url.protocol} (http: or https: only)`);
    this.secure = url.protocol === 'https:';
    this.host = url.host;
    this.hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.port = Number(url.port || (this.secure ? 443 : 80));
  }

  /** Sockets open or opening (for tests and metrics). */
  get size(): number {
    return this.all.size + this.opening;
  }

  dispatch(req: H1Request, handler: H1Handler): void {
    const ex: Exchange = { req, handler, done: false, answered: false };
    let conn: Connection | undefined;
    const waiting: Waiting = { ex, bind: (c) => (conn = c) };
    handler.onConnect((err) => {
      if (ex.done) return;
      const reason = err ?? new Error('aborted');
      if (conn !== undefined) conn.abort(ex, reason);
      else {
        const i = this.waiting.indexOf(waiting);
        if (i >= 0) this.waiting.splice(i, 1);
        this.fail(ex, reason);
      }
    });
    if (ex.done) return;
    if (this.closedPool) return this.fail(ex, new H1Error(H1_ERRORS.poolClosed, 'the upstream pool is closed'));
    conn = this.takeIdle();
    if (conn !== undefined) return conn.send(ex);
    // handed to a connection as one frees up or opens
    this.waiting.push(waiting);
    if (this.all.size + this.opening < this.options.connections) this.open();
  }

  private takeIdle(): Connection | undefined {
    const now = Date.now();
    while (this.idle.length > 0) {
      const conn = this.idle.pop()!;
      if (conn.alive && now - conn.idleSince < conn.keepAliveMs) return conn;
      conn.close();
    }
    return undefined;
  }

  private open(): void {
    this.opening++;
    const socket = this.secure
      ? tls.connect({ host: this.hostname, port: this.port, servername: net.isIP(this.hostname) ? undefined : this.hostname, ALPNProtocols: ['http/1.1'], ...(this.options.ca !== undefined ? { ca: [...tls.rootCertificates, this.options.ca.toString()] } : {}) })
      : net.connect({ host: this.hostname, port: this.port });
    const conn = new Connection(this, socket);
    conn.whenConnected((err) => {
      this.opening--;
      if (err !== undefined) {
        conn.close(); // never connected: not counted among the pool's sockets
        // a failed connect fails the request that asked for it (the others keep waiting for a socket)
        const w = this.waiting.shift();
        if (w !== undefined) this.fail(w.ex, err);
        if (this.waiting.length > 0 && this.all.size + this.opening < this.options.connections && !this.closedPool) this.open();
        return;
      }
      if (this.closedPool) {
        conn.close();
        return;
      }
      this.all.add(conn);
      socket.setKeepAlive(true, 60_000);
      this.release(conn);
    }, this.secure);
  }

  private fail(ex: Exchange, err: Error): void {
    if (ex.done) return;
    ex.done = true;
    ex.handler.onError(err);
  }

  /** A connection is free: it takes the next waiting request, or is parked. */
  release(conn: Connection): void {
    if (!conn.alive) {
      conn.close();
      return;
    }
    const w = this.waiting.shift();
    if (w !== undefined) {
      w.bind(conn);
      conn.send(w.ex);
      return;
    }
    conn.park();
    this.idle.push(conn);
  }

  forget(conn: Connection): void {
    this.all.delete(conn);
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    // a socket went away: a waiting request may now open one
    if (this.waiting.length > 0 && this.all.size + this.opening < this.options.connections && !this.closedPool) this.open();
  }

  /** Closes every socket; requests waiting or running fail with H1_POOL_CLOSED. */
  close(): void {
    this.closedPool = true;
    for (const w of this.waiting.splice(0)) this.fail(w.ex, new H1Error(H1_ERRORS.poolClosed, 'the upstream pool was closed'));
    for (const conn of [...this.all]) conn.close();
  }
}
