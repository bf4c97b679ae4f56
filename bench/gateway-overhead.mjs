#!/usr/bin/env node
// Gateway overhead: what sitting between an app and its LLM provider costs.
//
//   pnpm bench:gateway            (= node bench/gateway-overhead.mjs)
//   options: --seconds 8 --latency-seconds 10 --rate 300 --ttft-rate 40 --tps 50 --rounds 1
//            --targets direct,bare,conduit,portkey --phases throughput,latency,ttft
//            --no-build --profile --gateway-node-args="--max-semi-space-size=32" (flags for the gateway process)
//            --serve   start the targets, print their URLs, pids and a loadgen spec, measure nothing,
//                      and keep them up until Ctrl-C (for probing one target by hand)
//
// One run measures, against the same upstream (an OpenAI-wire simulator from
// @conduit/providers, in a process of its own):
//   direct   the simulator itself (the baseline)
//   bare     a bare Node pass-through proxy (bench/lib/bare-proxy.mjs): the floor
//   conduit  the built gateway (`node apps/gateway/dist/main.js`) with a throwaway
//            database (a demo tenant, key, provider + encrypted credential, model),
//            its own Redis prefix: auth, access checks, routing and usage events
//            (batched to BullMQ) all on, limits and budgets on (set far above the
//            load, so each request is admitted by the Redis script, none refused),
//            exactly as production runs it
//   portkey  the open-source Portkey gateway (@portkey-ai/gateway, Node server),
//            OpenAI provider with `x-portkey-custom-host` pointing at the simulator
// For each: req/s at concurrency 32 and 128 (closed loop, autocannon), latency
// p50/p99 at a steady 300 req/s (open loop) and the latency added vs direct, the
// gateway process's CPU µs per request (/proc/<pid>/stat), peak RSS (VmHWM), and
// streaming time to first token (simulator streaming at --tps tokens/s) added vs
// direct. The load generator (bench/lib/loadgen.mjs) runs in its own process.
// Prints a markdown table and writes it to bench/results/gateway-overhead.md.
// --profile runs Conduit under `node --cpu-prof` (profile in bench/results/profiles/).
// Needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL, as for npm test).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPrismaClient, hashApiKey, SecretBox } from '@conduit/db';
import { createTestDatabase, testRedisPrefix } from '@conduit/db/testing';
import { Redis } from 'ioredis';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    'latency-seconds': { type: 'string', default: '10' },
    rate: { type: 'string', default: '300' },
    'ttft-rate': { type: 'string', default: '40' },
    'ttft-seconds': { type: 'string', default: '5' },
    tps: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '1' },
    targets: { type: 'string', default: 'direct,bare,conduit,portkey' },
    phases: { type: 'string', default: 'throughput,latency,ttft' },
    'no-build': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'gateway-node-args': { type: 'string', default: '' },
    serve: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(BENCH, 'results', 'gateway-overhead.md') },
  },
});
const SECONDS = Number(args.seconds);
const LAT_SECONDS = Number(args['latency-seconds']);
const RATE = Number(args.rate);
const TTFT_RATE = Number(args['ttft-rate']);
const TTFT_SECONDS = Number(args['ttft-seconds']);
const TPS = Number(args.tps);
const ROUNDS = Math.max(1, Number(args.rounds));
const PHASES = new Set(args.phases.split(',').map((s) => s.trim()));
const TARGETS = args.targets.split(',').map((s) => s.trim()).filter(Boolean);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DEMO_KEY = 'cdt_bench_gateway_overhead_0123456789abcdef';
const UPSTREAM_KEY = 'sk-bench-upstream-0123456789';
const MODEL = 'gpt-4o-mini';
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const log = (...a) => console.log(...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// ───────────────────────────── processes ─────────────────────────────

const children = [];
function start(name, cmd, argv, opts = {}) {
  const child = spawn(cmd, argv, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  child.output = () => out;
  child.name = name;
  child.on('exit', (code, signal) => {
    if (!child.stopping) log(`  ! ${name} exited (${code ?? signal})\n${out.slice(-3000)}`);
  });
  return child;
}

/** First JSON line a child prints on stdout (the sim and bare proxy announce their port). */
function announced(child) {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const line = buf.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
    });
    child.on('exit', (code) => reject(new Error(`${child.name} exited with ${code}: ${child.output()}`)));
  });
}

async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.stopping = true;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

async function waitHttp(url, init, ok = (r) => r.ok, ms = 60_000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url, init);
      const text = await r.text();
      if (ok(r, text)) return text;
      last = `${r.status} ${text.slice(0, 300)}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer in time (${last})`);
}

const freePort = () =>
  new Promise((resolve) => {
    import('node:net').then(({ createServer }) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address();
        s.close(() => resolve(port));
      });
    });
  });

/** utime + stime of a process, in µs. */
function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1e6) / CLK_TCK;
}
const peakRssMb = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** Runs the load generator; `pids` are sampled for CPU around its measured window. */
function loadgen(spec, pids = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(BENCH, 'lib', 'loadgen.mjs'), JSON.stringify(spec)], {
      cwd: BENCH,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let before = null;
    let result = null;
    child.on('message', (m) => {
      if (m.phase === 'measure') before = pids.map((p) => cpuMicros(p));
      if (m.result) {
        result = m.result;
        result.cpuMicros = before ? pids.map((p, i) => cpuMicros(p) - before[i]) : [];
      }
      if (m.error) reject(new Error(m.error));
    });
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`load generator exited with ${code}`))));
  });
}

// ───────────────────────────── setup ─────────────────────────────

if (!args['no-build']) {
  log('building the gateway (turbo run build --filter=@conduit/gateway...)');
  const r = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@conduit/gateway...', '--output-logs=errors-only'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const machine = {
  cpu: os.cpus()[0]?.model?.trim() ?? 'unknown CPU',
  cores: os.cpus().length,
  memGb: (os.totalmem() / 2 ** 30).toFixed(1),
  node: process.version,
  kernel: os.release(),
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  loadBefore: loadavg(),
};
log(`machine: ${machine.cores} × ${machine.cpu}, node ${machine.node}; load average ${machine.loadBefore}`);

let db;
let prisma;
let redis;
let prefix;
const results = {};
try {
  // upstream: the simulator, in a process of its own
  const sim = start('simulator', process.execPath, [path.join(BENCH, 'lib', 'sim-server.mjs'), '0'], { cwd: BENCH });
  const { port: simPort, baseUrl: simBaseUrl } = await announced(sim);
  log(`simulator on ${simBaseUrl}`);

  const targets = {};
  const chatBody = JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Say hello to the gateway benchmark.' }], max_tokens: 32 });
  const streamBody = JSON.stringify({
    model: MODEL,
    stream: true,
    messages: [{ role: 'user', content: `[[sim:tps=${TPS}]] Count to five for the gateway benchmark please.` }],
    max_tokens: 32,
  });
  const upstreamHeaders = { authorization: `Bearer ${UPSTREAM_KEY}`, 'content-type': 'application/json' };

  if (TARGETS.includes('direct')) targets.direct = { label: 'upstream direct', url: `http://127.0.0.1:${simPort}`, headers: upstreamHeaders, pid: null };

  if (TARGETS.includes('bare')) {
    const bare = start('bare proxy', process.execPath, [path.join(BENCH, 'lib', 'bare-proxy.mjs'), '0', `http://127.0.0.1:${simPort}`], { cwd: BENCH });
    const { port } = await announced(bare);
    targets.bare = { label: 'bare Node proxy', url: `http://127.0.0.1:${port}`, headers: upstreamHeaders, pid: bare.pid };
  }

  if (TARGETS.includes('conduit')) {
    db = await createTestDatabase('bench_gw');
    prefix = testRedisPrefix('bench-gw');
    prisma = createPrismaClient({ url: db.url, max: 2 });
    const encryptionKeys = `k1:${randomBytes(32).toString('base64')}`;
    const box = new SecretBox(encryptionKeys);
    // Limits and budgets on, set far above what the bench sends: every request still
    // goes through the admission script (rpm/tpm/concurrency per key, tenant and
    // tenant × model, request and cost quotas), none is refused.
    const HUGE = { rpm: 100_000_000, tpm: 100_000_000_000, concurrency: 100_000 };
    const tenant = await prisma.tenant.create({
      data: { slug: 'bench', name: 'Bench tenant', plan: 'pro', limits: { ...HUGE, models: { [MODEL]: { rpm: HUGE.rpm, tpm: HUGE.tpm } } } },
    });
    const key = await prisma.apiKey.create({ data: { tenantId: tenant.id, name: 'bench', keyHash: hashApiKey(DEMO_KEY), prefix: DEMO_KEY.slice(0, 12), limits: HUGE } });
    await prisma.quota.create({ data: { tenantId: tenant.id, scope: 'tenant', metric: 'cost', period: 'month', limit: 1_000_000_000 } });
    await prisma.quota.create({ data: { tenantId: tenant.id, scope: 'key', apiKeyId: key.id, metric: 'requests', period: 'day', limit: 1_000_000_000 } });
    const provider = await prisma.provider.create({ data: { slug: 'bench-sim', name: 'Bench simulator (OpenAI wire)', type: 'openai', baseUrl: simBaseUrl, source: 'env' } });
    const sealed = box.seal(UPSTREAM_KEY, provider.id);
    await prisma.providerCredential.create({
      data: { providerId: provider.id, name: 'bench', ciphertext: Buffer.from(sealed.ciphertext), iv: Buffer.from(sealed.iv), authTag: Buffer.from(sealed.authTag), keyId: sealed.keyId, hint: UPSTREAM_KEY.slice(-4) },
    });
    const model = await prisma.model.create({ data: { name: MODEL, displayName: 'GPT-4o mini (bench)', kind: 'chat', contextWindow: 128000 } });
    await prisma.modelDeployment.create({ data: { modelId: model.id, providerId: provider.id, upstreamModel: MODEL, priority: 0, weight: 1 } });
    await prisma.modelPrice.create({ data: { modelId: model.id, inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6, cachedInputPerMTokUsd: 0.075, effectiveFrom: new Date('2025-01-01T00:00:00Z') } });

    const port = await freePort();
    const nodeArgs = args['gateway-node-args'].split(' ').filter(Boolean);
    if (args.profile) {
      const dir = path.join(BENCH, 'results', 'profiles');
      mkdirSync(dir, { recursive: true });
      nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
    }
    const gw = start('conduit gateway', process.execPath, [...nodeArgs, path.join(ROOT, 'apps/gateway/dist/main.js')], {
      env: {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: db.url,
        REDIS_URL,
        REDIS_PREFIX: prefix,
        LOG_LEVEL: 'warn',
        CONDUIT_JWT_SECRET: randomBytes(48).toString('base64'),
        CONDUIT_ENCRYPTION_KEYS: encryptionKeys,
        USAGE_SPILL_DIR: path.join(os.tmpdir(), `conduit-bench-spill-${process.pid}`),
      },
    });
    targets.conduit = { label: 'Conduit', url: `http://127.0.0.1:${port}`, headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json' }, pid: gw.pid, child: gw };
    await waitHttp(`${targets.conduit.url}/ready`);
  }

  if (TARGETS.includes('portkey')) {
    const port = await freePort();
    const entry = path.join(BENCH, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');
    const pk = start('portkey', process.execPath, ['--import', './lib/portkey-pin-hono.mjs', entry, `--port=${port}`, '--headless'], {
      cwd: BENCH,
      env: { NODE_ENV: 'production' },
    });
    targets.portkey = {
      label: 'Portkey gateway',
      url: `http://127.0.0.1:${port}`,
      headers: { ...upstreamHeaders, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': simBaseUrl },
      pid: pk.pid,
    };
    await waitHttp(`${targets.portkey.url}/`);
  }

  // every target must answer both shapes before anything is measured
  for (const [id, t] of Object.entries(targets)) {
    for (const body of [chatBody, streamBody]) {
      await waitHttp(`${t.url}/v1/chat/completions`, { method: 'POST', headers: t.headers, body }, (r, text) => r.status === 200 && /"content":"[^"]/.test(text), 10_000).catch((e) => {
        throw new Error(`${id} does not answer a chat completion: ${e.message}`);
      });
    }
  }
  let redisPid = null;
  try {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    await redis.connect();
    redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]) || null;
    if (redisPid) readFileSync(`/proc/${redisPid}/stat`); // same machine?
  } catch {
    redisPid = null;
  }

  if (args.serve) {
    for (const [id, t] of Object.entries(targets)) log(`${id}: ${t.url} pid ${t.pid ?? '–'}`);
    const spec = { mode: 'open', url: `${Object.values(targets)[0].url}/v1/chat/completions`, headers: Object.values(targets)[0].headers, body: chatBody, rate: RATE, seconds: LAT_SECONDS };
    log(`stream body: ${streamBody}`);
    log(`load: node bench/lib/loadgen.mjs '${JSON.stringify(spec)}' (modes closed/open/ttft; prints JSON)`);
    log('serving until Ctrl-C');
    await new Promise((resolve) => process.once('SIGINT', resolve));
  }

  // ───────────────────────────── measure ─────────────────────────────
  // Phase by phase, every target back to back (round after round with --rounds), so
  // that other load on the machine drifting over time hits all targets alike; each
  // figure is the median over the rounds.
  const runs = {};
  const ctxOf = (id) => {
    const t = targets[id];
    return {
      t,
      url: `${t.url}/v1/chat/completions`,
      pids: [t.pid, id === 'conduit' ? redisPid : null].filter(Boolean),
      cpu: (m) => (t.pid ? m.cpuMicros[0] / m.ok : null),
      redisCpu: (m) => (id === 'conduit' && redisPid ? m.cpuMicros[1] / m.ok : null),
    };
  };
  const record = (id, phase, value) => ((runs[id] ??= {})[phase] ??= []).push(value);
  for (let round = 1; round <= (args.serve ? 0 : ROUNDS); round++) {
    if (ROUNDS > 1) log(`\nround ${round}/${ROUNDS}`);
    for (const c of PHASES.has('throughput') ? [32, 128] : []) {
      log(`\nthroughput, concurrency ${c} (closed loop, ${SECONDS} s)`);
      for (const id of Object.keys(targets)) {
        const x = ctxOf(id);
        const m = await loadgen({ mode: 'closed', url: x.url, headers: x.t.headers, body: chatBody, connections: c, seconds: SECONDS, warmupSeconds: c === 32 ? 3 : 1 }, x.pids);
        record(id, `c${c}`, { rps: m.rps, failed: m.failed, cpu: x.cpu(m), redisCpu: x.redisCpu(m) });
        log(`  ${x.t.label}: ${m.rps.toFixed(0)} req/s${m.failed ? ` (${m.failed} failed)` : ''}${x.t.pid ? `, ${x.cpu(m).toFixed(0)} µs CPU/req` : ''}`);
      }
    }
    if (PHASES.has('latency')) {
      log(`\nlatency at a constant ${RATE} req/s (open loop, ${LAT_SECONDS} s)`);
      for (const id of Object.keys(targets)) {
        const x = ctxOf(id);
        const m = await loadgen({ mode: 'open', url: x.url, headers: x.t.headers, body: chatBody, rate: RATE, seconds: LAT_SECONDS, warmupSeconds: 2 }, x.pids);
        record(id, 'lat', { ...m.latencyMs, failed: m.failed, lag: m.maxSchedulerLagMs, cpu: x.cpu(m), redisCpu: x.redisCpu(m) });
        log(`  ${x.t.label}: p50 ${m.latencyMs.p50.toFixed(2)} ms, p99 ${m.latencyMs.p99.toFixed(2)} ms${m.failed ? ` (${m.failed} failed)` : ''}${x.t.pid ? `, ${x.cpu(m).toFixed(0)} µs CPU/req` : ''} (load generator lag ≤ ${m.maxSchedulerLagMs.toFixed(1)} ms)`);
      }
    }
    if (PHASES.has('ttft')) {
      log(`\nstreaming time to first token (${TTFT_RATE} streams/s, upstream ${TPS} tokens/s, ${TTFT_SECONDS} s)`);
      for (const id of Object.keys(targets)) {
        const x = ctxOf(id);
        const m = await loadgen({ mode: 'ttft', url: x.url, headers: x.t.headers, body: streamBody, rate: TTFT_RATE, seconds: TTFT_SECONDS, warmupSeconds: 1 }, x.pids);
        record(id, 'ttft', { ...m.latencyMs, failed: m.failed });
        log(`  ${x.t.label}: p50 ${m.latencyMs.p50.toFixed(2)} ms, p99 ${m.latencyMs.p99.toFixed(2)} ms${m.failed ? ` (${m.failed} failed)` : ''}`);
      }
    }
  }
  const median = (xs) => {
    const s = xs.filter((v) => typeof v === 'number' && !Number.isNaN(v)).sort((p, q) => p - q);
    return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
  };
  for (const [id, t] of Object.entries(targets)) {
    const r = (results[id] = { label: t.label, c32: {}, c128: {}, lat: {}, ttft: {} });
    for (const [phase, list] of Object.entries(runs[id] ?? {})) {
      for (const k of Object.keys(list[0])) r[phase][k] = k === 'failed' ? list.reduce((n, v) => n + v.failed, 0) : k === 'lag' ? Math.max(...list.map((v) => v.lag)) : median(list.map((v) => v[k]));
    }
    r.rssMb = t.pid ? peakRssMb(t.pid) : null;
  }
  machine.loadAfter = loadavg();

  // ───────────────────────────── report ─────────────────────────────
  if (!args.serve) {
    const md = report(results, machine);
    log('\n' + md);
    mkdirSync(path.dirname(args.out), { recursive: true });
    writeFileSync(args.out, md);
    log(`written to ${path.relative(ROOT, args.out)}`);
  }
} finally {
  for (const c of children.reverse()) await stop(c);
  if (redis && prefix) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  }
  redis?.disconnect();
  await prisma?.$disconnect();
  await db?.drop();
}

function report(res, m) {
  const f = (v, d = 0) => (v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(d));
  const plus = (v, d = 2) => (v === null || v === undefined || Number.isNaN(v) ? '–' : `${v >= 0 ? '+' : ''}${v.toFixed(d)}`);
  const d = res.direct;
  const lines = [];
  lines.push('# Gateway overhead benchmark', '');
  lines.push(`Machine: ${m.cores} × ${m.cpu}, ${m.memGb} GB RAM, Linux ${m.kernel}, Node ${m.node}; ${m.date}.`);
  lines.push(`Load average (1/5/15 min) before: ${m.loadBefore}; after: ${m.loadAfter}.`);
  const busy = Math.max(...[m.loadBefore, m.loadAfter].map((l) => Number(l.split(' ')[0]))) > m.cores * 0.5;
  if (busy) lines.push(`**The machine was busy with other work while this ran (load above ${m.cores * 0.5} on ${m.cores} cores): figures are noisy; re-run on a quiet machine.**`);
  lines.push('');
  lines.push(
    `Upstream: OpenAI-wire simulator (own process). Load generator in its own process. Phases run target after target${ROUNDS > 1 ? `; median of ${ROUNDS} rounds` : ''}. Non-streaming chat completion (small prompt); throughput closed-loop (autocannon) ${SECONDS} s per concurrency; latency open-loop at a constant ${RATE} req/s for ${LAT_SECONDS} s; TTFT open-loop ${TTFT_RATE} streams/s for ${TTFT_SECONDS} s, simulator streaming ${TPS} tokens/s. "added" = target − upstream direct. CPU = the gateway process's user+system time ÷ requests; Conduit's Redis CPU is shown separately.`,
    '',
  );
  lines.push('| target | req/s c=32 | req/s c=128 | p50 @300/s (ms) | p99 @300/s (ms) | added p50 | added p99 | CPU µs/req @300/s | CPU µs/req c=128 | peak RSS (MB) | TTFT p50 (ms) | added TTFT p50 | added TTFT p99 |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [id, r] of Object.entries(res)) {
    const isDirect = id === 'direct';
    lines.push(
      `| ${r.label} | ${f(r.c32.rps)} | ${f(r.c128.rps)} | ${f(r.lat.p50, 2)} | ${f(r.lat.p99, 2)} | ${isDirect || !d ? '–' : plus(r.lat.p50 - d.lat.p50)} | ${isDirect || !d ? '–' : plus(r.lat.p99 - d.lat.p99)} | ${f(r.lat.cpu)} | ${f(r.c128.cpu)} | ${f(r.rssMb)} | ${f(r.ttft.p50, 2)} | ${isDirect || !d ? '–' : plus(r.ttft.p50 - d.ttft.p50)} | ${isDirect || !d ? '–' : plus(r.ttft.p99 - d.ttft.p99)} |`,
    );
  }
  const failures = Object.values(res).flatMap((r) => [['c=32', r.c32.failed], ['c=128', r.c128.failed], ['300/s', r.lat.failed], ['TTFT', r.ttft.failed]].filter(([, n]) => n).map(([w, n]) => `${r.label} ${w}: ${n}`));
  lines.push('');
  if (failures.length) lines.push(`Failed requests: ${failures.join('; ')}.`, '');
  const c = res.conduit;
  if (c?.lat.redisCpu != null) lines.push(`Conduit's Redis (usage events via BullMQ): ${f(c.lat.redisCpu)} µs CPU/req at 300/s, ${f(c.c128.redisCpu)} at c=128.`, '');
  const lag = Math.max(...Object.values(res).map((r) => r.lat.lag ?? 0));
  if (lag > 0) lines.push(`Largest open-loop send delay of the load generator (its own scheduling lag; high values mean CPU contention): ${lag.toFixed(1)} ms.`, '');

  if (c) {
    const p = res.portkey;
    const b = res.bare;
    const check = (ok) => (ok ? 'met' : '**missed**');
    lines.push('Targets (Conduit):', '');
    const target = (what, value, ok, unit = '') => {
      if (Number.isFinite(value)) lines.push(`- ${what}: ${value >= 0 && unit ? '+' : ''}${value.toFixed(2)}${unit || '×'} — ${check(ok(value))}`);
    };
    for (const k of ['c32', 'c128']) {
      if (p) target(`throughput ≥ 7× Portkey at ${k.replace('c', 'c=')}`, c[k].rps / p[k].rps, (v) => v >= 7);
      if (b) target(`throughput ≥ ½ the bare proxy at ${k.replace('c', 'c=')}`, c[k].rps / b[k].rps, (v) => v >= 0.5);
    }
    if (p && b) {
      lines.push(`- (for scale: the bare proxy itself reaches ${(b.c32.rps / p.c32.rps).toFixed(2)}× / ${(b.c128.rps / p.c128.rps).toFixed(2)}× Portkey's throughput at c=32 / c=128, and adds ${(b.lat.p50 - (d?.lat.p50 ?? 0)).toFixed(2)} ms at p50)`);
    }
    if (d) {
      target(`added p50 ≤ 0.5 ms at ${RATE} req/s`, c.lat.p50 - d.lat.p50, (v) => v <= 0.5, ' ms');
      target(`added p99 ≤ 3 ms at ${RATE} req/s`, c.lat.p99 - d.lat.p99, (v) => v <= 3, ' ms');
      target('added time to first token ≤ 1 ms (p50)', c.ttft.p50 - d.ttft.p50, (v) => v <= 1, ' ms');
    }
    lines.push('');
  }
  lines.push('Reproduce: `pnpm bench:gateway` (see bench/gateway-overhead.mjs for options).', '');
  return lines.join('\n');
}
