// Child process: the floor — a bare pass-through proxy (node:http in, an undici
// keep-alive Pool out, bodies streamed both ways, no parsing, no auth).
//   node bare-proxy.mjs <port> <upstream origin>
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';

const [port, upstream] = [Number(process.argv[2]), process.argv[3]];
const pool = new Pool(upstream, { connections: 256, keepAliveTimeout: 60_000 });
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

const server = http.createServer(async (req, res) => {
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k)) headers[k] = v;
  try {
    const up = await pool.request({ method: req.method, path: req.url, headers, body: req.method === 'GET' ? null : req });
    const out = {};
    for (const [k, v] of Object.entries(up.headers)) if (!HOP.has(k)) out[k] = v;
    res.writeHead(up.statusCode, out);
    if (typeof res.flushHeaders === 'function') res.flushHeaders();
    await pipeline(up.body, res);
  } catch (err) {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: String(err?.message ?? err) } }));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n'));
process.on('SIGTERM', () => {
  server.close();
  void pool.close().finally(() => process.exit(0));
});
