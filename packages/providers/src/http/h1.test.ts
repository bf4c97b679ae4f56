import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { H1_ERRORS, H1Pool, type H1Handler, type H1PoolOptions, type H1Request } from './h1';

/** A TCP server scripted per request: `answer` gets each request's raw bytes and the socket. */
interface Raw {
  origin: string;
  /** every connection accepted so far */
  sockets: net.Socket[];
  /** raw requests received, in order */
  requests: string[];
  close(): Promise<void>;
}

const servers: { close(): Promise<void> }[] = [];
const pools: H1Pool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) p.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function rawServer(answer: (request: string, socket: net.Socket, index: number) => void, createServer: (l: (s: net.Socket) => void) => net.Server = net.createServer): Promise<Raw> {
  const sockets: net.Socket[] = [];
  const requests: string[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.setNoDelay(true);
    let buf = '';
    socket.on('error', () => {});
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const request = buf.slice(0, end + 4 + length);
        buf = buf.slice(end + 4 + length);
        requests.push(request);
        answer(request, socket, requests.length - 1);
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      const raw: Raw = {
        origin: `${createServer === net.createServer ? 'http' : 'https'}://127.0.0.1:${port}`,
        sockets,
        requests,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      };
      servers.push(raw);
      resolve(raw);
    });
  });
}

function pool(origin: string, options: Partial<H1PoolOptions> = {}): H1Pool {
  const p = new H1Pool(origin, { connections: 8, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connectTimeout: 2_000, ...options });
  pools.push(p);
  return p;
}

interface Outcome {
  status: number;
  headers: string[];
  body: string;
  pieces: number;
  error?: Error & { code?: string };
}

const request = (over: Partial<H1Request> = {}): H1Request => ({ method: 'POST', path: '/v1/x', headers: { 'content-type': 'application/json' }, body: '{}', headersTimeout: 2_000, bodyTimeout: 2_000, ...over });

/** Dispatches and collects the answer; `hooks` can steer the handler (abort, backpressure). */
function call(p: H1Pool, req: H1Request = request(), hooks: { onConnect?: (abort: (err?: Error) => void) => void; onData?: (chunk: Buffer, resume: () => void) => boolean } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const out: Outcome = { status: 0, headers: [], body: '', pieces: 0 };
    let resume = () => {};
    let ended = 0;
    const end = () => {
      ended++;
      expect(ended).toBe(1); // exactly one of onComplete / onError
      resolve(out);
    };
    const handler: H1Handler = {
      onConnect: (abort) => hooks.onConnect?.(abort),
      onHeaders: (status, headers, r) => {
        out.status = status;
        out.headers = headers;
        resume = r;
        return true;
      },
      onData: (chunk) => {
        out.body += chunk.toString('utf8');
        out.pieces++;
        return hooks.onData ? hooks.onData(chunk, resume) : true;
      },
      onComplete: end,
      onError: (err) => {
        out.error = err;
        end();
      },
    };
    p.dispatch(req, handler);
  });
}

const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('h1 client', () => {
  it('writes the request once, with its own host and byte length, and reuses the connection', async () => {
    const srv = await rawServer((_, s) => s.write(ok('hello')));
    const p = pool(srv.origin);
    const a = await call(p, request({ path: '/v1/chat?x=1', headers: { 'x-request-id': 'r1', host: 'evil.example', 'content-length': '1' }, body: '{"q":"héllo"}' }));
    expect(a).toMatchObject({ status: 200, body: 'hello' });
    expect(a.headers).toEqual(['content-type', 'text/plain', 'content-length', '5']);
    const b = await call(p, request({ method: 'GET', body: null }));
    expect(b.body).toBe('hello');
    expect(srv.sockets).toHaveLength(1);
    const [first, second] = srv.requests;
    expect(first).toBe(`POST /v1/chat?x=1 HTTP/1.1\r\nhost: ${new URL(srv.origin).host}\r\nconnection: keep-alive\r\nx-request-id: r1\r\ncontent-length: 14\r\n\r\n{"q":"héllo"}`.replace('héllo', Buffer.from('héllo').toString('latin1')));
    expect(second).not.toMatch(/content-length/);
  });

  it('parses content-length and chunked bodies however the bytes are split', async () => {
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n0006\r\nworld!\r\n0\r\ntrailer: yes\r\n\r\n';
    const sized = ok('hello world!');
    for (const wire of [chunked, sized]) {
      let split = 0;
      const srv = await rawServer((_, s) => {
        // the answer in two writes, cut at `split`, the second one a moment later
        s.write(wire.slice(0, split));
        setTimeout(() => s.write(wire.slice(split)), 1);
      });
      const p = pool(srv.origin);
      for (split = 1; split < wire.length; split++) {
        const r = await call(p);
        expect(r.error, `split at ${split}`).toBeUndefined();
        expect(r.body, `split at ${split}`).toBe(wire === chunked ? 'hello world!' : 'hello world!');
      }
      expect(srv.sockets).toHaveLength(1); // every answer was framed exactly: the socket stayed usable
    }
  });

  it('skips informational answers, reads 204 without a body, and reads to the close when no length is given', async () => {
    const srv = await rawServer((_, s, i) => {
      if (i === 0) s.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n' + ok('after'));
      else if (i === 1) s.write('HTTP/1.1 204 No Content\r\n\r\n');
      else s.end('HTTP/1.1 200 OK\r\n\r\nuntil the end'); // the 3rd and 4th
    });
    const p = pool(srv.origin);
    expect(await call(p)).toMatchObject({ status: 200, body: 'after' });
    expect(await call(p)).toMatchObject({ status: 204, body: '', pieces: 0 });
    expect(await call(p)).toMatchObject({ status: 200, body: 'until the end' });
    expect(srv.sockets).toHaveLength(1);
    // read-to-close cannot be reused: the next call opens a new socket
    await sleep(20);
    expect((await call(p)).body).toBe('until the end');
    expect(srv.sockets).toHaveLength(2);
  });

  it('follows Connection: close, HTTP/1.0 and a Keep-Alive timeout hint', async () => {
    const answers = [ok('a', 'connection: close\r\n'), 'HTTP/1.0 200 OK\r\ncontent-length: 1\r\n\r\nb', ok('c', 'keep-alive: timeout=1\r\n'), ok('d', 'keep-alive: timeout=5\r\n'), ok('e')];
    const srv = await rawServer((_, s, i) => s.write(answers[i]!));
    const p = pool(srv.origin);
    for (const want of ['a', 'b', 'c', 'd', 'e']) expect((await call(p)).body).toBe(want);
    // a, b and c each closed their socket (c: a 1 s hint leaves no safe idle time); d's was reused for e
    expect(srv.sockets).toHaveLength(4);
  });

  it('a socket the server closed while idle is dropped, not reused', async () => {
    const srv = await rawServer((_, s) => s.write(ok('fine')));
    const p = pool(srv.origin);
    await call(p);
    srv.sockets[0]!.end();
    await sleep(30);
    expect(p.size).toBe(0);
    expect(await call(p)).toMatchObject({ status: 200, body: 'fine' });
    expect(srv.sockets).toHaveLength(2);
  });

  it('times out waiting for headers, and a body that stalls', async () => {
    const srv = await rawServer((_, s, i) => {
      if (i === 1) s.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc');
    });
    const p = pool(srv.origin);
    const silent = await call(p, request({ headersTimeout: 50 }));
    expect(silent.error?.code).toBe(H1_ERRORS.headersTimeout);
    const stalled = await call(p, request({ bodyTimeout: 50 }));
    expect(stalled.status).toBe(200);
    expect(stalled.body).toBe('abc');
    expect(stalled.error?.code).toBe(H1_ERRORS.bodyTimeout);
    await sleep(20);
    expect(p.size).toBe(0); // neither socket is reused: their framing is unknown
  });

  it('pauses on backpressure without timing out, and resumes where it stopped', async () => {
    const srv = await rawServer((_, s) => {
      s.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\none\r\n');
      setTimeout(() => s.write('3\r\ntwo\r\n5\r\nthree\r\n0\r\n\r\n'), 10);
    });
    const p = pool(srv.origin);
    let pausedAt = 0;
    const r = await call(p, request({ bodyTimeout: 40 }), {
      onData: (chunk, resume) => {
        if (chunk.toString() !== 'one') return true;
        pausedAt = Date.now();
        setTimeout(resume, 150); // longer than the body timeout: a paused reader is not a stalled upstream
        return false;
      },
    });
    expect(r.error).toBeUndefined();
    expect(r.body).toBe('onetwothree');
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(140);
  });

  it('aborts a request waiting for a socket, and one mid-body, closing its socket', async () => {
    const srv = await rawServer((req, s) => {
      if (req.includes('slow')) {
        s.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npart');
        return;
      }
      s.write(ok('quick'));
    });
    const p = pool(srv.origin, { connections: 1 });
    let abortSlow: (err?: Error) => void = () => {};
    const slow = call(p, request({ path: '/slow' }), { onConnect: (a) => (abortSlow = a), onData: () => true });
    let abortWaiting: (err?: Error) => void = () => {};
    const waiting = call(p, request(), { onConnect: (a) => (abortWaiting = a) });
    const third = call(p);
    await sleep(30);
    abortWaiting(new Error('caller left'));
    expect((await waiting).error?.message).toBe('caller left');
    expect(srv.requests).toHaveLength(1); // the waiting one was never sent
    abortSlow(new Error('stop'));
    const s = await slow;
    expect(s.body).toBe('part');
    expect(s.error?.message).toBe('stop');
    await sleep(20);
    expect(srv.sockets[0]!.destroyed).toBe(true);
    // the pool goes on: the third request gets a new socket
    expect(await third).toMatchObject({ status: 200, body: 'quick' });
  });

  it('reports refused connections, connect timeouts, closed sockets and malformed answers with stable codes', async () => {
    const closed = await rawServer(() => {});
    const port = new URL(closed.origin).port;
    await closed.close();
    expect((await call(pool(`http://127.0.0.1:${port}`))).error?.code).toBe('ECONNREFUSED');

    // a TLS handshake that never completes counts against the connect timeout
    const mute = await rawServer(() => {});
    const slowTls = await call(pool(mute.origin.replace('http:', 'https:'), { connectTimeout: 60 }));
    expect(slowTls.error?.code).toBe(H1_ERRORS.connectTimeout);

    const srv = await rawServer((_, s, i) => {
      if (i === 0) s.end('HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\ncut short');
      else if (i === 1) s.write('SMTP ready\r\n\r\n');
      else if (i === 2) s.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n');
      else if (i === 3) s.write('HTTP/1.1 200 OK\r\ncontent-length: 1x\r\n\r\n');
      else s.write(ok('fine') + 'HTTP/1.1 200 OK\r\n'); // bytes nobody asked for
    });
    const p = pool(srv.origin);
    const cut = await call(p);
    expect(cut.body).toBe('cut short');
    expect(cut.error?.code).toBe(H1_ERRORS.closed);
    expect((await call(p)).error?.code).toBe(H1_ERRORS.invalidResponse);
    expect((await call(p)).error?.code).toBe(H1_ERRORS.invalidResponse);
    expect((await call(p)).error?.code).toBe(H1_ERRORS.invalidResponse);
    expect((await call(p)).body).toBe('fine');
    await sleep(20);
    expect(p.size).toBe(0); // a socket with stray bytes is closed
  });

  it('refuses header names and values that would inject headers, sending nothing', async () => {
    const srv = await rawServer((_, s) => s.write(ok('x')));
    const p = pool(srv.origin);
    const bad = await call(p, request({ headers: { 'x-id': 'a\r\nx-admin: 1' } }));
    expect(bad.error?.code).toBe(H1_ERRORS.invalidRequest);
    expect((await call(p, request({ headers: { 'bad name': 'v' } }))).error?.code).toBe(H1_ERRORS.invalidRequest);
    expect((await call(p)).body).toBe('x');
    expect(srv.requests).toHaveLength(1);
  });

  it('closing the pool fails waiting and running requests', async () => {
    const srv = await rawServer(() => {});
    const p = pool(srv.origin, { connections: 1 });
    const running = call(p);
    const waiting = call(p);
    await sleep(20);
    p.close();
    expect((await waiting).error?.code).toBe(H1_ERRORS.poolClosed);
    expect((await running).error).toBeDefined();
    expect((await call(p)).error?.code).toBe(H1_ERRORS.poolClosed);
  });

  it('speaks HTTPS, verifying the certificate', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'h1-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
      const key = readFileSync(path.join(dir, 'key.pem'));
      const cert = readFileSync(path.join(dir, 'cert.pem'));
      const srv = await rawServer((_, s) => s.write(ok('secret')), (l) => tls.createServer({ key, cert }, l));
      const origin = srv.origin.replace('127.0.0.1', 'localhost');
      expect(await call(pool(origin, { ca: cert }))).toMatchObject({ status: 200, body: 'secret' });
      // not trusted: the handshake fails, nothing is sent
      const untrusted = await call(pool(origin));
      expect(untrusted.error?.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
      expect(srv.requests).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
