/**
 * The data plane's own HTTP front door: every `/v1/...` request is answered
 * straight from Node's http server, before Fastify and Nest see it. Those two
 * cost the hot path a request and a reply object with their hook chains (Nest
 * adds eight onRequest hooks), a router, a content-type parser and the reply's
 * serialisation pipeline; on a gateway whose whole job is to add as little as
 * possible to a call, that was most of what it added. The control plane
 * (`/admin`, `/health`, `/docs`, `/metrics`) still goes through Fastify and Nest.
 *
 * What Fastify did for these routes is done here, the same way: request ids
 * (`x-request-id` honoured or made), a 20 MB body limit, JSON bodies parsed with
 * prototype-poisoning protection, `Connection: close` and 503 once the server is
 * shutting down, one "request completed" log line at info level.
 */
import { type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { GatewayError } from '@conduit/contracts';
import type { Logger } from 'pino';
import sjson from 'secure-json-parse';
import { genRequestId } from '../common/request-id.js';
import { LazyRequestLogger } from '../infra/logger.js';

export type HeaderValue = string | number | readonly string[];

/** One data-plane request: what the handlers read (a subset of Fastify's request, by the same names). */
export class DataPlaneRequest {
  /** the parsed JSON body (undefined when there was none) */
  body: unknown = undefined;
  private parsedQuery: Record<string, string> | undefined;

  constructor(
    readonly raw: IncomingMessage,
    readonly id: string,
    /** path and query string, as sent */
    readonly url: string,
    /** `:name` segments of the route, and `*` for the rest of a wildcard route */
    readonly params: Readonly<Record<string, string>>,
    readonly log: Logger,
  ) {}

  get method(): string {
    return this.raw.method ?? 'GET';
  }

  get headers(): IncomingHttpHeaders {
    return this.raw.headers;
  }

  /** The query string's parameters (the last value of a repeated one). */
  get query(): Readonly<Record<string, string | undefined>> {
    if (this.parsedQuery === undefined) {
      const i = this.url.indexOf('?');
      this.parsedQuery = i < 0 ? {} : Object.fromEntries(new URLSearchParams(this.url.slice(i + 1)));
    }
    return this.parsedQuery;
  }
}

/**
 * One data-plane answer. Headers gather in a plain object and go out with the body
 * in a single write; `raw` is the Node response for streams (after `hijack()`).
 */
export class DataPlaneReply {
  statusCode = 200;
  private committed = false;
  private readonly out: Record<string, HeaderValue> = {};

  constructor(
    readonly raw: ServerResponse,
    readonly request: DataPlaneRequest,
  ) {}

  get log(): Logger {
    return this.request.log;
  }

  /** Whether the answer is committed: sent, or taken over by the handler (`hijack`). */
  get sent(): boolean {
    return this.committed;
  }

  header(name: string, value: HeaderValue): this {
    this.out[name.toLowerCase()] = value;
    return this;
  }

  headers(values: Readonly<Record<string, HeaderValue>>): this {
    for (const name of Object.keys(values)) this.out[name.toLowerCase()] = values[name]!;
    return this;
  }

  getHeader(name: string): HeaderValue | undefined {
    return this.out[name.toLowerCase()];
  }

  getHeaders(): Record<string, HeaderValue> {
    return { ...this.out };
  }

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  /** The handler writes `raw` itself from now on (event streams). */
  hijack(): this {
    this.committed = true;
    return this;
  }

  /** Sends the answer: an object as JSON, a string or bytes as they are, nothing for undefined. */
  send(payload?: unknown): this {
    if (this.committed) {
      this.request.log.warn({ statusCode: this.statusCode }, 'a data-plane answer was sent twice; the second one was dropped');
      return this;
    }
    this.committed = true;
    const res = this.raw;
    if (res.destroyed || res.headersSent) return this;
    const out = this.out;
    let body: string | Uint8Array | undefined;
    if (payload === undefined || payload === null) body = undefined;
    else if (typeof payload === 'string') {
      body = payload;
      out['content-type'] ??= 'text/plain; charset=utf-8';
    } else if (payload instanceof Uint8Array) {
      body = payload;
      out['content-type'] ??= 'application/octet-stream';
    } else {
      body = JSON.stringify(payload);
      out['content-type'] ??= 'application/json; charset=utf-8';
    }
    const status = this.statusCode;
    if (status === 204 || status === 304) body = undefined;
    else out['content-length'] = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    res.writeHead(status, out as Record<string, string | number | string[]>);
    res.end(body);
    return this;
  }
}

export type DataPlaneHandler = (req: DataPlaneRequest, reply: DataPlaneReply) => unknown;
/** Answers what went wrong before or inside the handler, in the route's error shape. */
export type DataPlaneErrorHandler = (err: unknown, req: DataPlaneRequest, reply: DataPlaneReply) => void;

interface Route {
  handler: DataPlaneHandler;
  onError: DataPlaneErrorHandler;
  /** whether the handler wants the JSON body (the fallback does not read it) */
  readsBody: boolean;
}

interface PatternRoute {
  methods: ReadonlySet<string>;
  re: RegExp;
  names: string[];
  route: Route;
}

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});
const kFrontDoor = Symbol('conduit.frontDoor');
const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** JSON, or plain text (what fetch sends for a string body when no type is set), read as JSON. */
function isJson(contentType: string): boolean {
  if (contentType === 'application/json') return true;
  const media = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return media === 'application/json' || media === 'text/plain' || (media.startsWith('application/') && media.endsWith('+json'));
}

export interface FrontDoorOptions {
  /** requests under this path prefix are the data plane's */
  prefix: string;
  /** largest request body accepted, in bytes */
  bodyLimit: number;
  logger: Logger;
}

/** The data plane's routes and the server listener that serves them ahead of Fastify. */
export class FrontDoor {
  /** set once the server starts closing: requests still arriving get 503 and `Connection: close` */
  closing = false;
  private readonly exact = new Map<string, Map<string, Route>>();
  private readonly patterns: PatternRoute[] = [];
  private fallback: Route | undefined;
  private readonly logRequests: boolean;

  constructor(private readonly options: FrontDoorOptions) {
    this.logRequests = options.logger.isLevelEnabled('info');
  }

  /** The front door a server was created with (by `serverFactory`). */
  static of(server: Server): FrontDoor {
    const door = (server as unknown as { [kFrontDoor]?: FrontDoor })[kFrontDoor];
    if (door === undefined) throw new Error('this HTTP server has no data-plane front door (create it with FrontDoor.serverFactory)');
    return door;
  }

  /**
   * A Fastify `serverFactory`: an HTTP server whose requests under the prefix are
   * answered here and every other one by Fastify, with Fastify's server settings.
   */
  serverFactory(createServer: (listener: RequestListener) => Server) {
    return (fastifyHandler: RequestListener, opts: { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number; maxRequestsPerSocket?: number }) => {
      const prefix = this.options.prefix;
      const server = createServer((req, res) => {
        if (req.url?.startsWith(prefix) !== true || !this.handle(req, res)) fastifyHandler(req, res);
      });
      // what Fastify sets on a server it creates itself
      server.keepAliveTimeout = opts.keepAliveTimeout ?? 72_000;
      server.requestTimeout = opts.requestTimeout ?? 0;
      server.setTimeout(opts.connectionTimeout ?? 0);
      if (opts.maxRequestsPerSocket) server.maxRequestsPerSocket = opts.maxRequestsPerSocket;
      (server as unknown as { [kFrontDoor]?: FrontDoor })[kFrontDoor] = this;
      return server;
    };
  }

  /**
   * Registers a route. `path` may hold `:name` segments and end in `/*` (the rest
   * of the path, in `params['*']`); HEAD is served by GET routes.
   */
  route(methods: string[], path: string, handler: DataPlaneHandler, onError: DataPlaneErrorHandler): this {
    const route = { handler, onError, readsBody: true };
    if (!path.includes(':') && !path.endsWith('*')) {
      for (const m of methods) {
        let byPath = this.exact.get(m);
        if (!byPath) this.exact.set(m, (byPath = new Map()));
        byPath.set(path, route);
      }
      return this;
    }
    const names: string[] = [];
    const source = path
      .split('/')
      .map((seg) => {
        if (seg === '*') {
          names.push('*');
          return '(.*)';
        }
        if (seg.startsWith(':')) {
          names.push(seg.slice(1));
          return '([^/]+)';
        }
        return seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.patterns.push({ methods: new Set(methods), re: new RegExp(`^${source}$`), names, route });
    return this;
  }

  /** Answers every request under the prefix that no route takes (an unknown endpoint, a preflight). */
  otherwise(handler: DataPlaneHandler, onError: DataPlaneErrorHandler): this {
    this.fallback = { handler, onError, readsBody: false };
    return this;
  }

  /** Serves a request under the prefix; false when nothing here takes it (no route and no fallback). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url!;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    let params = NO_PARAMS;
    let route = this.exact.get(method)?.get(path);
    if (route === undefined) {
      for (const p of this.patterns) {
        if (!p.methods.has(method)) continue;
        const m = p.re.exec(path);
        if (m === null) continue;
        const found: Record<string, string> = {};
        p.names.forEach((name, i) => (found[name] = m[i + 1]!));
        params = found;
        route = p.route;
        break;
      }
    }
    route ??= this.fallback;
    if (route === undefined) return false;

    const id = genRequestId(req);
    const request = new DataPlaneRequest(req, id, url, params, new LazyRequestLogger(this.options.logger, { reqId: id }, {}) as unknown as Logger);
    const reply = new DataPlaneReply(res, request);
    reply.header('x-request-id', id);
    if (this.logRequests) this.logCompletion(request, reply, performance.now());
    // a client that resets mid-body makes the request emit 'error': not ours to crash on
    req.on('error', noop);

    if (this.closing) {
      reply.header('connection', 'close');
      this.fail(route, new GatewayError('service_unavailable', 'This gateway is shutting down; retry the request (another replica answers it).', { headers: { 'retry-after': '1' } }), request, reply);
      return true;
    }
    if (!route.readsBody || BODYLESS.has(method)) this.run(route, request, reply);
    else this.readBody(route, request, reply);
    return true;
  }

  private readBody(route: Route, request: DataPlaneRequest, reply: DataPlaneReply) {
    const req = request.raw;
    const limit = this.options.bodyLimit;
    const tooLarge = () => {
      reply.header('connection', 'close'); // do not read the rest of it
      this.fail(route, new GatewayError('request_too_large', `The request body is larger than the gateway accepts (${limit} bytes).`), request, reply);
    };
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) return tooLarge();
    const type = req.headers['content-type'];
    if (type !== undefined && !isJson(type)) {
      return this.fail(route, new GatewayError('unsupported_media_type', `Send the request body as JSON with \`Content-Type: application/json\` (this request said \`${type}\`).`), request, reply);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    // a body whose length was declared is complete with its last byte: no need to wait
    // for the stream's 'end', which takes two more ticks of Node's stream machinery
    const expected = declared === undefined ? -1 : Number(declared);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData).off('end', onEnd);
        tooLarge();
      } else {
        chunks.push(chunk);
        if (size === expected) {
          req.off('data', onData).off('end', onEnd);
          onEnd();
        }
      }
    };
    const onEnd = () => {
      if (size > 0) {
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
        try {
          request.body = sjson.parse(text); // refuses __proto__ and constructor.prototype keys
        } catch (err) {
          this.fail(route, new GatewayError('invalid_json', `The request body is not valid JSON (${(err as Error).message}). Send a JSON object with \`Content-Type: application/json\`.`), request, reply);
          return;
        }
      }
      this.run(route, request, reply);
    };
    req.on('data', onData).on('end', onEnd);
  }

  private run(route: Route, request: DataPlaneRequest, reply: DataPlaneReply) {
    let out: unknown;
    try {
      out = route.handler(request, reply);
    } catch (err) {
      this.fail(route, err, request, reply);
      return;
    }
    if (out instanceof Promise) {
      out.then(
        () => {
          // every handler answers or hands the response over; one that did neither is a bug, not a hang
          if (!reply.sent && !reply.raw.writableEnded) this.fail(route, new Error(`the handler of ${request.method} ${request.url.split('?')[0]} returned without answering`), request, reply);
        },
        (err: unknown) => this.fail(route, err, request, reply),
      );
    }
  }

  private fail(route: Route, err: unknown, request: DataPlaneRequest, reply: DataPlaneReply) {
    try {
      route.onError(err, request, reply);
    } catch (inner) {
      request.log.error({ err: inner }, 'data-plane error handler failed');
      const res = reply.raw;
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': request.id });
        res.end('{"error":{"message":"Something went wrong inside the gateway. The error was logged with the request id.","type":"server_error","param":null,"code":"internal_error"}}');
      } else res.destroy();
    }
  }

  /** One info line per request, as Fastify writes for the control plane. */
  private logCompletion(request: DataPlaneRequest, reply: DataPlaneReply, startedAt: number) {
    reply.raw.once('close', () => {
      const res = reply.raw;
      request.log.info(
        { req: { method: request.method, url: request.url }, res: { statusCode: res.statusCode }, responseTime: Math.round((performance.now() - startedAt) * 100) / 100, completed: res.writableFinished },
        'request completed',
      );
    });
  }
}

function noop() {}
