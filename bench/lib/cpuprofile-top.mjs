// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function (file:line,
// mapped back to TypeScript through the build's source maps when there is one)
// and by package / source area.
//   node bench/lib/cpuprofile-top.mjs <file.cpuprofile> [top=30] [fromSeconds=0]
// `fromSeconds` skips the start of the profile (boot, module loading).
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [file, topArg = '30', fromArg = '0'] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const TOP = Number(topArg);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
let t = prof.startTime;
const from = prof.startTime + Number(fromArg) * 1e6;
let total = 0;
for (let i = 0; i < prof.samples.length; i++) {
  t += prof.timeDeltas[i] ?? 0;
  if (t < from) continue;
  const dt = prof.timeDeltas[i + 1] ?? 0;
  self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + dt);
  total += dt;
}

const maps = new Map();
function original(url, line, col) {
  if (!url.startsWith('file://')) return null;
  const p = fileURLToPath(url);
  if (!maps.has(p)) {
    let sm = null;
    try {
      if (existsSync(p + '.map')) sm = new SourceMap(JSON.parse(readFileSync(p + '.map', 'utf8')));
    } catch {
      sm = null;
    }
    maps.set(p, sm);
  }
  const sm = maps.get(p);
  const e = sm?.findEntry(line, col);
  if (!e || !e.originalSource) return null;
  const src = e.originalSource.startsWith('file://') ? fileURLToPath(e.originalSource) : path.resolve(path.dirname(p), e.originalSource);
  return `${path.relative(ROOT, src)}:${e.originalLine + 1}`;
}

function where(cf) {
  if (!cf.url) return `(${cf.functionName || 'native'})`;
  const mapped = original(cf.url, cf.lineNumber, cf.columnNumber);
  if (mapped) return mapped;
  const p = cf.url.startsWith('file://') ? fileURLToPath(cf.url) : cf.url;
  return `${p.startsWith(ROOT) ? path.relative(ROOT, p) : p}:${cf.lineNumber + 1}`;
}

function area(cf) {
  const u = cf.url || '';
  if (!u) return cf.functionName === '(garbage collector)' ? '(gc)' : cf.functionName === '(idle)' ? '(idle)' : '(native / V8)';
  if (u.startsWith('node:')) return `node:${u.slice(5).split('/')[0]}`;
  const m = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(u);
  if (m) return m[1];
  const rel = path.relative(ROOT, u.startsWith('file://') ? fileURLToPath(u) : u);
  return rel.split(path.sep).slice(0, 4).join('/');
}

const byFn = new Map();
const byArea = new Map();
for (const [id, us] of self) {
  const cf = nodes.get(id).callFrame;
  const k = `${cf.functionName || '(anonymous)'}  ${where(cf)}`;
  byFn.set(k, (byFn.get(k) ?? 0) + us);
  const a = area(cf);
  byArea.set(a, (byArea.get(a) ?? 0) + us);
}
const busy = total - (byArea.get('(idle)') ?? 0);
const pctOf = (us) => `${((100 * us) / busy).toFixed(1)}%`.padStart(6);
console.log(`profile: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s on CPU (percentages are of on-CPU time)\n`);
console.log('self time by package / area');
for (const [a, us] of [...byArea].filter(([a]) => a !== '(idle)').sort((x, y) => y[1] - x[1]).slice(0, 20)) console.log(`${pctOf(us)}  ${a}`);
console.log('\nself time by function');
for (const [k, us] of [...byFn].filter(([k]) => !k.startsWith('(idle)')).sort((x, y) => y[1] - x[1]).slice(0, TOP)) console.log(`${pctOf(us)}  ${k}`);
