import { createServer, request, type Server } from 'node:http';
import { GatewayError } from '@conduit/contracts';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DataPlaneReply, type DataPlaneRequest, FrontDoor } from './front-door.js';
import { renderError } from './openai-errors.js';

const LIMIT = 1024;
let server: Server;
let base: string;
let door: FrontDoor;
const seen: { method: string; url: string; params: Record<string, string>; query: Record<string, unknown>; body: unknown; id: string }[] = [];

function answerError(err: unknown, _req: DataPlaneRequest, reply: DataPlaneReply) {
  const r = renderError(err);
  reply.status(r.status).headers(r.headers).send(r.body);
}

beforeAll(async () => {
  door = new FrontDoor({ prefix: '/v1/', bodyLimit: LIMIT, logger: pino({ level: 'silent' }) });
  const record = (req: DataPlaneRequest) => seen.push({ method: req.method, url: req.url, params: { ...req.params }, query: { ...req.query }, body: req.body, id: req.id });
  door
    .route(['POST'], '/v1/echo', (req, reply) => {
      record(req);
      reply.header('X-Custom', 'yes').send({ got: req.body });
    }, answerError)
    .route(['GET'], '/v1/items/*', async (req, reply) => {
      record(req);
      reply.send({ item: req.params['*'] });
    }, answerError)
    .route(['POST'], '/v1/things/:slug/versions/:version/run', (req, reply) => {
      record(req);
      reply.status(201).send(`${req.params['slug']}@${req.params['version']}`);
    }, answerError)
    .route(['POST'], '/v1/throws', () => {
      throw new GatewayError('model_not_found', 'no such model', { param: 'model' });
    }, answerError)
    .route(['POST'], '/v1/rejects', async () => {
      throw new GatewayError('tenant_suspended', 'suspended');
    }, answerError)
    .route(['POST'], '/v1/forgets', async () => undefined, answerError)
    .route(['GET'], '/v1/stream', (_req, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
      reply.raw.end('data: [DONE]\n\n');
    }, answerError)
    .otherwise((req) => {
      throw new GatewayError('not_found', `Unknown endpoint ${req.method} ${req.url}`);
    }, answerError);
  const factory = door.serverFactory((listener) => createServer(listener));
  server = factory((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('from the next listener');
  }, { keepAliveTimeout: 5_000 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** an answer body, checked field by field */
const json = (res: Response): Promise<any> => res.json();
const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => fetch(base + path, { method: 'POST', headers, body });

describe('FrontDoor', () => {
  it('serves its routes with the parsed body, path params, query and a request id on every answer', async () => {
    const res = await post('/v1/echo?stream=true&x=1', JSON.stringify({ hello: ['world'] }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-custom')).toBe('yes');
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    expect(await json(res)).toEqual({ got: { hello: ['world'] } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/v1/echo?stream=true&x=1', query: { stream: 'true', x: '1' } });

    const named = await post('/v1/things/greeting/versions/3/run', '{}', { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'caller-id-1' });
    expect(named.status).toBe(201);
    expect(await named.text()).toBe('greeting@3');
    expect(named.headers.get('x-request-id')).toBe('caller-id-1');

    const item = await fetch(`${base}/v1/items/org/model%2Fname`);
    expect(await json(item)).toEqual({ item: 'org/model%2Fname' });
  });

  it('hands every request outside its prefix to the next listener (Fastify)', async () => {
    const res = await fetch(`${base}/health`);
    expect(await res.text()).toBe('from the next listener');
  });

  it('answers HEAD from the GET route, without a body', async () => {
    const res = await fetch(`${base}/v1/items/a`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('12');
    expect(await res.text()).toBe('');
  });

  it('refuses malformed JSON, poisoned JSON, other media types and oversized bodies with clear errors', async () => {
    const malformed = await post('/v1/echo', '{"model": ');
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error).toMatchObject({ code: 'invalid_json', type: 'invalid_request_error' });

    const poisoned = await post('/v1/echo', '{"a": 1, "__proto__": {"admin": true}}');
    expect(poisoned.status).toBe(400);
    expect((await json(poisoned)).error.code).toBe('invalid_json');

    const form = await post('/v1/echo', 'model=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect((await json(form)).error).toMatchObject({ code: 'unsupported_media_type', message: expect.stringContaining('application/json') });

    const big = await post('/v1/echo', JSON.stringify({ text: 'x'.repeat(LIMIT) }));
    expect(big.status).toBe(413);
    expect((await json(big)).error.code).toBe('request_too_large');

    // declared too large: refused before the body is read, and the connection is not kept
    const declared = await new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      const req = request(`${base}/v1/echo`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(50 * LIMIT) } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d)).on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      });
      req.on('error', reject);
      req.write('{"a":');
    });
    expect(declared.status).toBe(413);
    expect(declared.connection).toBe('close');
    expect(JSON.parse(declared.body).error.code).toBe('request_too_large');

    // plain text (fetch's default for a string) and no content type at all are read as JSON too
    const plain = await post('/v1/echo', '{"ok":true}', {});
    expect(await json(plain)).toEqual({ got: { ok: true } });
    const untyped = await new Promise<string>((resolve, reject) => {
      const req = request(`${base}/v1/echo`, { method: 'POST' }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d)).on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end('{"ok":1}');
    });
    expect(JSON.parse(untyped)).toEqual({ got: { ok: 1 } });
    // a chunked body (no declared length), sent in pieces, is read to its end
    const chunked = await new Promise<string>((resolve, reject) => {
      const req = request(`${base}/v1/echo`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d)).on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.write('{"parts":');
      setTimeout(() => req.end('[1,2]}'), 20);
    });
    expect(JSON.parse(chunked)).toEqual({ got: { parts: [1, 2] } });
    // no body: the handler sees undefined
    const empty = await post('/v1/echo', '', {});
    expect(await json(empty)).toEqual({});
  });

  it('answers what a handler throws or rejects with, and a handler that forgot to answer, in the route’s error shape', async () => {
    const thrown = await post('/v1/throws', '{}');
    expect(thrown.status).toBe(404);
    expect(await json(thrown)).toEqual({ error: { message: 'no such model', type: 'invalid_request_error', param: 'model', code: 'model_not_found' } });

    const rejected = await post('/v1/rejects', '{}');
    expect(rejected.status).toBe(403);
    expect((await json(rejected)).error.code).toBe('tenant_suspended');

    const forgot = await post('/v1/forgets', '{}');
    expect(forgot.status).toBe(500);
    expect((await json(forgot)).error.code).toBe('internal_error');

    const unknown = await fetch(`${base}/v1/nothing/here?x=1`, { method: 'DELETE' });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe('not_found');
  });

  it('lets a handler take the response over (event streams)', async () => {
    const res = await fetch(`${base}/v1/stream`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(await res.text()).toBe('data: [DONE]\n\n');
  });

  it('refuses new requests with 503 and Connection: close once the server is closing', async () => {
    door.closing = true;
    try {
      const res = await post('/v1/echo', '{}');
      expect(res.status).toBe(503);
      expect(res.headers.get('connection')).toBe('close');
      expect(res.headers.get('retry-after')).toBe('1');
      expect((await json(res)).error.code).toBe('service_unavailable');
    } finally {
      door.closing = false;
    }
  });

  it('is found again from the server it made', () => {
    expect(FrontDoor.of(server)).toBe(door);
    expect(() => FrontDoor.of(createServer())).toThrow(/no data-plane front door/);
  });
});
