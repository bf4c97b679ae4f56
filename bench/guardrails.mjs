#!/usr/bin/env node
// Guardrail pass alone, on a typical chat request: what the guardrails add to
// the data plane's time per request, in microseconds (p50 / p99).
//
//   node bench/guardrails.mjs            # options: --iterations 20000 --no-build
//
// It builds @conduit/contracts (turbo, cached) and loads the engine's TypeScript
// source through tsx. Measured per request, with the tenant's policy compiled
// once (as the data plane caches it with the tenant entry):
//   pre   start a session + check the prompt (size, injection score, custom
//         rules, PII in one pass, tokenized)
//   post  check the answer (secrets masked, custom rules) + restore tokens
//   total pre + post (whole answer), and the same with the answer streamed in
//         ~5-character chunks through the stream filter.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(args[i + 1]);
};
const ITER = opt('iterations', 20_000);

if (!process.env.CONDUIT_BENCH_CHILD) {
  if (!args.includes('--no-build')) {
    console.log('building @conduit/contracts (turbo run build --filter=@conduit/contracts)');
    const r = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@conduit/contracts', '--output-logs=errors-only'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], {
    cwd: path.join(ROOT, 'apps/gateway'),
    stdio: 'inherit',
    env: { ...process.env, CONDUIT_BENCH_CHILD: '1' },
  });
  process.exit(r.status ?? 1);
}

const { tenantSettingsSchema } = await import('@conduit/contracts');
const engine = await import(pathToFileURL(path.join(ROOT, 'apps/gateway/src/data-plane/guardrails/engine.ts')).href);

const tenant = {
  settings: tenantSettingsSchema.parse({
    guardrails: {
      enabled: true,
      pii: { action: 'tokenize' },
      injection: { action: 'block' },
      output: { action: 'mask', types: ['secret', 'card', 'iban'] },
      customRules: [
        { name: 'codename', pattern: String.raw`\bproject falcon\b`, action: 'block' },
        { name: 'employee-id', pattern: String.raw`\bEMP-\d{6}\b`, action: 'mask', appliesTo: 'both' },
      ],
      maxRequestChars: 100_000,
    },
  }),
};
const key = { limits: {} };

// A typical request: a system prompt, a short exchange, and a ~700-character user message with an email and a phone number.
const user =
  'Hi, I am writing about my order from last week. The parcel was supposed to arrive on Tuesday but the tracking page has not changed since Monday, ' +
  'and the courier hotline keeps me on hold. Could you check what happened and tell me whether I should expect it this week? If it is lost, I would ' +
  'like a replacement rather than a refund, shipped to the same address. You can reach me at maria.rossi@example.com or on +39 06 1234 5678 during ' +
  'office hours. I have attached the order confirmation. Also, please make sure the invoice shows my company name, since I will claim the expense. ' +
  'Thanks a lot for your help, and sorry for the long message.';
const request = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a helpful, concise customer-support assistant for an online shop. Answer in the language of the customer. Never invent order data.' },
    { role: 'user', content: 'Hello!' },
    { role: 'assistant', content: 'Hello! How can I help you today?' },
    { role: 'user', content: user },
  ],
};
const answerText =
  'I am sorry about the delay. I have checked the tracking for your order: the parcel left our warehouse on Monday and is held at the courier hub. ' +
  'I have asked the courier to deliver it by Thursday; if it does not arrive by Friday we will ship a replacement to the same address at no cost. ' +
  'I will send the confirmation to [EMAIL_1] and a text message to [PHONE_1]. The invoice will show your company name. Is there anything else I can do?';
const answer = () => ({
  id: 'x',
  object: 'chat.completion',
  created: 0,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: answerText, refusal: null }, finish_reason: 'stop', logprobs: null }],
});
const pieces = answerText.match(/.{1,5}/gs);

function pass() {
  const s = engine.startGuardrails(tenant, key);
  s.checkRequest(request);
  s.checkResponse(answer());
  return s;
}
function streamed() {
  const s = engine.startGuardrails(tenant, key);
  s.checkRequest(request);
  for (let i = 0; i < pieces.length; i++) {
    s.filterChunk({ choices: [{ index: 0, delta: { content: pieces[i] }, finish_reason: i === pieces.length - 1 ? 'stop' : null }] });
  }
}

// sanity: what the pass does
{
  const s = engine.startGuardrails(tenant, key);
  const up = s.checkRequest(request);
  const res = answer();
  s.checkResponse(res);
  if (!up.messages[3].content.includes('[EMAIL_1]') || !res.choices[0].message.content.includes('maria.rossi@example.com')) throw new Error('guardrails did not tokenize/restore');
}

function measure(fn) {
  for (let i = 0; i < 2_000; i++) fn(); // warm-up (JIT)
  const t = new Float64Array(ITER);
  for (let i = 0; i < ITER; i++) {
    const a = process.hrtime.bigint();
    fn();
    t[i] = Number(process.hrtime.bigint() - a) / 1000;
  }
  t.sort();
  const q = (p) => t[Math.min(t.length - 1, Math.floor(p * t.length))];
  return { p50: q(0.5), p99: q(0.99) };
}

const offTenant = { settings: tenantSettingsSchema.parse({}) };
const baseline = measure(() => answer()); // the cost of building the fake answer, subtracted
const rows = [
  ['pre (prompt checks + tokenize)', measure(() => engine.startGuardrails(tenant, key).checkRequest(request))],
  ['pre + post (whole answer)', measure(pass)],
  ['pre + post (streamed, ~100 chunks)', measure(streamed)],
  ['guardrails off (policy lookup)', measure(() => engine.startGuardrails(offTenant, key))],
];
console.log(`guardrail pass on a typical request (${request.messages.reduce((n, m) => n + m.content.length, 0)} prompt chars, ${answerText.length} answer chars), ${ITER} iterations, Node ${process.version}`);
for (const [name, r] of rows) {
  const adj = name.startsWith('pre + post (whole') ? baseline.p50 : 0;
  console.log(`  ${name.padEnd(38)} p50 ${(r.p50 - adj).toFixed(1).padStart(6)} µs   p99 ${r.p99.toFixed(1).padStart(6)} µs`);
}
