/**
 * The simulator HTTP server core: routing, body parsing, scenario selection
 * (script queue → `x-sim-scenario` header → `[[sim:…]]` in the prompt →
 * default), latency, hangs, resets, and frame-by-frame streaming with pacing,
 * cuts, malformed frames and in-stream errors. Each provider's wire format is
 * a `SimProtocol`.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { Duplex } from 'node:stream';
import type { AddressInfo, Socket } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';

/** The request/response surface shared by node:http and node:http2's compatibility API. */
type SimReq = http.IncomingMessage | http2.Http2ServerRequest;
type SimRes = http.ServerResponse | http2.Http2ServerResponse;
import { parseScenario, scenarioFromText } from './scenario';
import type { SimErrorKind, SimScenario } from './scenario';

export type Frame = string | Uint8Array;

export interface SimContext {
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  /** Path parameters captured by the route (model, deployment, …). */
  readonly params: Record<string, string>;
  /** The simulator's own request id for this call. */
  readonly requestId: string;
}

export type SimResult =
  | { kind: 'json'; status?: number; headers?: Record<string, string>; body: unknown }
  | { kind: 'stream'; contentType: string; headers?: Record<string, string>; frames: Frame[] };

export interface SimErrorResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON body, or raw text when `contentType` is given. */
  body: unknown;
  contentType?: string;
}

export interface ParsedOperation {
  /** Prompt text scanned for `[[sim:…]]`. */
  promptText: string;
  /** Produces the answer for the chosen scenario. */
  run(scenario: SimScenario): SimResult;
}

export interface SimRoute {
  op: string;
  params: Record<string, string>;
}

export interface SimProtocol {
  readonly name: string;
  route(method: string, path: string): SimRoute | undefined;
  /** False → the protocol's auth error. */
  authorized(ctx: SimContext): boolean;
  /** Full (async) authentication, e.g. SigV4 verification: returns the error to answer, if any. */
  authenticate?(ctx: SimContext, rawBody: Buffer): Promise<SimErrorResponse | undefined>;
  /** Parses the request body for a route. Throw `SimBadRequest` for an invalid body. */
  parse(route: SimRoute, body: unknown, ctx: SimContext): ParsedOperation;
  /** The provider's error response; `retryAfter` (seconds) is reported the provider's way (header, RetryInfo, …). */
  error(kind: SimErrorKind, message: string, ctx: SimContext, status?: number, retryAfter?: number): SimErrorResponse;
  /** The provider's in-stream error event. */
  streamError(kind: SimErrorKind, ctx: SimContext): Frame;
  /** A frame the provider's parsers must reject. */
  malformedFrame(): Frame;
  /** Accepts bodies that are not JSON (none do today). */
  readonly rawBody?: boolean;
}

export class SimBadRequest extends Error {
  constructor(message: string, readonly kind: SimErrorKind = 'bad_request') {
    super(message);
  }
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  scenario: SimScenario | undefined;
  /** Client's TCP port: equal ports across requests = a reused keep-alive connection. */
  remotePort: number | undefined;
  /** Set when the client closed the connection before the answer was complete (abort propagated). */
  clientClosedEarly: boolean;
}

export interface SimulatorHandle {
  /** Origin, e.g. `http://127.0.0.1:53211`. */
  readonly url: string;
  /** The `baseUrl` to configure an adapter (or SDK) with for this provider. */
  readonly baseUrl: string;
  readonly port: number;
  readonly provider: string;
  /** Queues scenarios for the next requests, one each, in order. */
  script(...scenarios: SimScenario[]): void;
  /** Scenario for every request the queue does not cover. */
  setDefault(scenario: SimScenario | undefined): void;
  /** Requests received so far (newest last, at most 200). */
  readonly requests: RecordedRequest[];
  /** Clears the queue, default scenario and request log. */
  reset(): void;
  close(): Promise<void>;
}

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Path prefix of the adapter base URL for this protocol (e.g. `/v1`). */
  basePath?: string;
}

let requestCounter = 0;

export async function serve(protocol: SimProtocol, options: ServeOptions = {}): Promise<SimulatorHandle> {
  const queue: SimScenario[] = [];
  let defaultScenario: SimScenario | undefined;
  const requests: RecordedRequest[] = [];
  const pendingTimers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        pendingTimers.delete(t);
        resolve();
      }, ms);
      pendingTimers.add(t);
    });

  const listener = (req: SimReq, res: SimRes): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks)).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `simulator failure: ${String(err)}` } }));
        } else res.socket?.destroy();
      });
    });
  };
  // HTTP/1.1 and cleartext HTTP/2 (prior knowledge, as the AWS SDK's h2 handler speaks) on one port:
  // the first bytes of a connection tell which one it is.
  const h1 = http.createServer(listener);
  h1.keepAliveTimeout = 60_000;
  const h2 = http2.createServer(listener);
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', (first: Buffer) => {
      const isH2 = first.length >= 3 && first[0] === 0x50 && first[1] === 0x52 && first[2] === 0x49; // "PRI"
      if (!isH2) {
        socket.pause();
        socket.unshift(first);
        h1.emit('connection', socket);
        socket.resume();
        return;
      }
      // http2 reads the native handle directly, so bytes already read must be replayed through a JS stream.
      const replay = new Duplex({
        read() {
          socket.resume();
        },
        write(chunk: Buffer, _enc, cb) {
          socket.write(chunk, cb);
        },
        final(cb) {
          socket.end();
          cb();
        },
        destroy(err, cb) {
          socket.destroy(err ?? undefined);
          cb(err);
        },
      });
      replay.push(first);
      socket.on('data', (d: Buffer) => {
        if (!replay.push(d)) socket.pause();
      });
      socket.on('end', () => replay.push(null));
      socket.on('close', () => replay.destroy());
      h2.emit('connection', replay);
    });
  });

  async function handle(req: SimReq, res: SimRes, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    requestCounter = (requestCounter + 1) % 0x7fffffff;
    const ctxBase = { url, headers: req.headers, requestId: `req_sim${requestCounter.toString(36)}` };
    const route = protocol.route(method, url.pathname);
    if (route === undefined) {
      const ctx: SimContext = { ...ctxBase, params: {} };
      const e = protocol.error('not_found', `no route for ${method} ${url.pathname}`, ctx);
      return sendJson(res, e.status, e.body, { ...e.headers, ...idHeaders(ctx) });
    }
    const ctx: SimContext = { ...ctxBase, params: route.params };

    let body: unknown = undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        const e = protocol.error('bad_request', 'request body is not valid JSON', ctx);
        return sendJson(res, e.status, e.body, { ...e.headers, ...idHeaders(ctx) });
      }
    }

    let op: ParsedOperation | undefined;
    let parseError: SimBadRequest | undefined;
    try {
      op = protocol.parse(route, body, ctx);
    } catch (err) {
      if (err instanceof SimBadRequest) parseError = err;
      else throw err;
    }

    const headerScenario = req.headers['x-sim-scenario'];
    const scenario: SimScenario | undefined =
      queue.shift() ??
      (typeof headerScenario === 'string' ? parseScenario(headerScenario) : undefined) ??
      (op !== undefined ? scenarioFromText(op.promptText) : undefined) ??
      defaultScenario;

    const record: RecordedRequest = {
      method,
      path: url.pathname + url.search,
      headers: req.headers,
      body,
      scenario,
      remotePort: req.socket?.remotePort,
      clientClosedEarly: false,
    };
    requests.push(record);
    if (requests.length > 200) requests.shift();
    res.on('close', () => {
      if (!res.writableFinished) record.clientClosedEarly = true;
    });

    const s: SimScenario = scenario ?? {};
    if (s.latencyMs !== undefined && s.latencyMs > 0) await sleep(s.latencyMs);
    if (s.reset === true) {
      req.socket.destroy();
      return;
    }
    if (s.hang === true) return; // never answered; close() destroys the socket
    const authError = protocol.authenticate !== undefined ? await protocol.authenticate(ctx, raw) : undefined;
    if (authError !== undefined) return sendJson(res, authError.status, authError.body, { ...authError.headers, ...idHeaders(ctx) }, authError.contentType);
    if (!protocol.authorized(ctx)) {
      const e = protocol.error('auth', 'missing or invalid credentials', ctx);
      return sendJson(res, e.status, e.body, { ...e.headers, ...idHeaders(ctx) });
    }
    // With streamErrorAt, `error` names the in-stream error instead of an HTTP one.
    if (s.error !== undefined && s.streamErrorAt === undefined) {
      const e = protocol.error(s.error, simulatedMessage(s.error), ctx, s.status, s.retryAfter);
      return sendJson(res, e.status, e.body, { ...e.headers, ...idHeaders(ctx) }, e.contentType);
    }
    if (parseError !== undefined || op === undefined) {
      const e = protocol.error(parseError?.kind ?? 'bad_request', parseError?.message ?? 'bad request', ctx);
      return sendJson(res, e.status, e.body, { ...e.headers, ...idHeaders(ctx) });
    }

    const result = op.run(s);
    if (result.kind === 'json') {
      return sendJson(res, result.status ?? 200, result.body, { ...result.headers, ...idHeaders(ctx) });
    }

    res.writeHead(200, {
      'content-type': result.contentType,
      'cache-control': 'no-cache',
      ...result.headers,
      ...idHeaders(ctx),
    });
    (res as http.ServerResponse).flushHeaders?.();
    const frames = result.frames;
    const delay = s.tokensPerSecond !== undefined && s.tokensPerSecond > 0 ? 1000 / s.tokensPerSecond : 0;
    const cutAt = s.cutAfter === undefined ? -1 : Math.min(s.cutAfter, Math.max(0, frames.length - 1));
    if (s.firstFrameDelayMs !== undefined && s.firstFrameDelayMs > 0) await sleep(s.firstFrameDelayMs);
    for (let i = 0; i < frames.length; i++) {
      if (i === cutAt) {
        res.socket?.destroy();
        return;
      }
      if (res.socket === null || res.socket.destroyed) return;
      let frame = frames[i]!;
      if (i === s.malformedAt) frame = protocol.malformedFrame();
      if (i === s.streamErrorAt) {
        (res as http.ServerResponse).write(protocol.streamError(s.error ?? 'overloaded', ctx));
        res.end();
        return;
      }
      (res as http.ServerResponse).write(frame);
      if (delay > 0 && i < frames.length - 1) await sleep(delay);
    }
    res.end();
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;

  return {
    url,
    baseUrl: url + (options.basePath ?? ''),
    port,
    provider: protocol.name,
    requests,
    script(...scenarios) {
      queue.push(...scenarios);
    },
    setDefault(scenario) {
      defaultScenario = scenario;
    },
    reset() {
      queue.length = 0;
      defaultScenario = undefined;
      requests.length = 0;
    },
    close() {
      for (const t of pendingTimers) clearTimeout(t);
      pendingTimers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
    },
  };
}

function idHeaders(ctx: SimContext): Record<string, string> {
  const h: Record<string, string> = { 'x-request-id': ctx.requestId };
  const client = ctx.headers['x-request-id'];
  if (typeof client === 'string') h['x-client-request-id'] = client;
  return h;
}

function sendJson(res: SimRes, status: number, body: unknown, headers: Record<string, string>, contentType?: string): void {
  const payload: string | Uint8Array =
    contentType !== undefined && (typeof body === 'string' || body instanceof Uint8Array) ? body : JSON.stringify(body);
  const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  res.writeHead(status, { 'content-type': contentType ?? 'application/json', 'content-length': length, ...headers });
  (res as http.ServerResponse).end(payload);
}

function simulatedMessage(kind: SimErrorKind): string {
  switch (kind) {
    case 'rate_limit':
      return 'Rate limit reached (simulated).';
    case 'server_error':
      return 'The server had an error while processing your request (simulated).';
    case 'overloaded':
      return 'The service is temporarily overloaded (simulated).';
    case 'auth':
      return 'Incorrect API key provided (simulated).';
    case 'bad_request':
      return 'Invalid request (simulated).';
    case 'not_found':
      return 'The model does not exist (simulated).';
    case 'content_filter':
      return 'The request was rejected by the content filter (simulated).';
    case 'timeout':
      return 'The request timed out (simulated).';
  }
}
