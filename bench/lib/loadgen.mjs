// Child process: the load generator, kept out of the process under test.
//   node loadgen.mjs '<json spec>'   (started with an IPC channel by gateway-overhead.mjs)
// It sends {phase:'measure'} right before the measured window (after its own
// warm-up) and {result} right after it, so the parent can read the target's
// /proc CPU counters around exactly the measured requests.
//
// modes
//   closed  fixed concurrency (autocannon, HTTP/1.1 keep-alive): req/s
//   open    constant arrival rate, open loop (undici Pool; a request is sent when
//           it is due whether or not earlier ones answered): latency percentiles
//   ttft    open loop of streamed requests: time to the first content token
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Pool } from 'undici';

const spec = JSON.parse(process.argv[2]);
// run by hand (no IPC channel), it prints its messages as JSON lines instead
const send = (msg) => (process.send ? new Promise((resolve) => process.send(msg, resolve)) : Promise.resolve(void console.log(JSON.stringify(msg))));

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
const summary = (values) => {
  const s = Float64Array.from(values).sort();
  return { n: s.length, p50: pct(s, 50), p90: pct(s, 90), p99: pct(s, 99), max: s.length ? s[s.length - 1] : NaN };
};

function runAutocannon(seconds) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: spec.url,
        method: 'POST',
        headers: spec.headers,
        body: spec.body,
        connections: spec.connections,
        duration: seconds,
        timeout: 30,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
}

async function closed() {
  if (spec.warmupSeconds) await runAutocannon(spec.warmupSeconds);
  await send({ phase: 'measure' });
  const r = await runAutocannon(spec.seconds);
  const ok = r['2xx'];
  return {
    ok,
    failed: r.non2xx + r.errors + r.timeouts,
    seconds: r.duration,
    rps: ok / r.duration,
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99 },
  };
}

/** Sends `count` requests at `rate`/s; `onResponse` consumes each answer and returns its measure(s). */
async function openLoop(pool, rate, seconds, request) {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const samples = [];
  let failed = 0;
  let maxLagMs = 0;
  let sent = 0;
  let pending = 0;
  let resolveDone;
  const done = new Promise((r) => (resolveDone = r));
  const start = performance.now();
  const fire = (intended) => {
    const t0 = performance.now();
    maxLagMs = Math.max(maxLagMs, t0 - intended);
    pending++;
    request(pool, t0)
      .then((m) => (m === null ? failed++ : samples.push(m)))
      .catch(() => failed++)
      .finally(() => {
        if (--pending === 0 && sent === total) resolveDone();
      });
  };
  const tick = () => {
    const now = performance.now();
    while (sent < total && start + sent * interval <= now) fire(start + sent++ * interval);
    if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    else if (pending === 0) resolveDone();
  };
  tick();
  await done;
  return { samples, failed, seconds: (performance.now() - start) / 1000, maxLagMs };
}

const requestOpts = () => ({
  method: 'POST',
  path: new URL(spec.url).pathname,
  headers: { ...spec.headers, 'content-length': String(Buffer.byteLength(spec.body)) },
  body: spec.body,
});

async function latencyRequest(pool, t0) {
  const res = await pool.request(requestOpts());
  await res.body.arrayBuffer();
  return res.statusCode === 200 ? performance.now() - t0 : null;
}

const FIRST_TOKEN = /"content":"[^"]/;
async function ttftRequest(pool, t0) {
  const res = await pool.request(requestOpts());
  if (res.statusCode !== 200) {
    await res.body.dump();
    return null;
  }
  let ttft = null;
  let text = '';
  for await (const chunk of res.body) {
    if (ttft === null) {
      text += chunk.toString('utf8');
      if (FIRST_TOKEN.test(text)) ttft = performance.now() - t0;
    }
  }
  return ttft;
}

async function open(request) {
  const origin = new URL(spec.url).origin;
  const pool = new Pool(origin, { connections: spec.connections ?? 256, pipelining: 1, keepAliveTimeout: 60_000 });
  try {
    if (spec.warmupSeconds) await openLoop(pool, spec.rate, spec.warmupSeconds, request);
    await send({ phase: 'measure' });
    const r = await openLoop(pool, spec.rate, spec.seconds, request);
    return { ok: r.samples.length, failed: r.failed, seconds: r.seconds, rps: r.samples.length / r.seconds, maxSchedulerLagMs: r.maxLagMs, latencyMs: summary(r.samples) };
  } finally {
    await pool.close();
  }
}

const modes = { closed, open: () => open(latencyRequest), ttft: () => open(ttftRequest) };
try {
  const result = await modes[spec.mode]();
  await send({ result });
  process.exit(0);
} catch (err) {
  await send({ error: String(err?.stack ?? err) });
  process.exit(1);
}
