// Shared by `npm start` and `npm test`: bring pnpm, install dependencies, find or
// start PostgreSQL and Redis, and keep local secrets. Plain Node (no dependencies),
// because it runs before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const STATE = path.join(ROOT, '.conduit');
const PNPM_VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).packageManager.split('@')[1];

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (s) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);
export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);

export function step(msg) {
  console.log(`${cyan('▸')} ${msg}`);
}

export class Fatal extends Error {}

export function fail(msg) {
  throw new Fatal(msg);
}

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    fail(`Node.js ${process.versions.node} is too old: Conduit needs Node.js 20.19 or newer (https://nodejs.org).`);
  }
}

/** Runs a command, streaming its output; throws with the command line on failure. */
export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: opts.env ?? process.env, ...opts });
  if (res.error) fail(`${cmd} could not run: ${res.error.message}`);
  if (res.status !== 0) fail(`\`${[path.basename(cmd), ...args].join(' ')}\` failed (exit ${res.status})`);
}

export function capture(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: opts.env ?? process.env, ...opts });
  return { ok: res.status === 0 && !res.error, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
}

/**
 * pnpm, as [command, ...prefixArgs]. Uses the pnpm that launched us (`pnpm start`),
 * or a pnpm 10 on PATH, or installs the pinned pnpm under .conduit/tools with npm
 * (no root, no corepack: Node 20's corepack rejects pnpm 10's signatures).
 */
export function ensurePnpm() {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(path.basename(execPath))) {
    return execPath.endsWith('.cjs') || execPath.endsWith('.js') ? [process.execPath, execPath] : [execPath];
  }
  const onPath = capture('pnpm', ['--version']);
  if (onPath.ok && onPath.stdout.trim().startsWith('10.')) return ['pnpm'];
  const tools = path.join(STATE, 'tools');
  const bin = path.join(tools, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
  if (!existsSync(bin) || JSON.parse(readFileSync(path.join(tools, 'node_modules', 'pnpm', 'package.json'), 'utf8')).version !== PNPM_VERSION) {
    step(`installing pnpm ${PNPM_VERSION} (into .conduit/tools)`);
    mkdirSync(tools, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    run(npm, ['install', '--prefix', tools, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${PNPM_VERSION}`]);
  }
  // Nested `pnpm …` calls (package scripts, turbo tasks) find it through a shim on PATH.
  const shimDir = path.join(tools, 'bin');
  mkdirSync(shimDir, { recursive: true });
  writeFileSync(path.join(shimDir, 'pnpm'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`, { mode: 0o755 });
  process.env.PATH = `${shimDir}${path.delimiter}${process.env.PATH ?? ''}`;
  return [process.execPath, bin];
}

export function pnpm(pnpmCmd, args, opts) {
  run(pnpmCmd[0], [...pnpmCmd.slice(1), ...args], opts);
}

/** Installs dependencies when the lockfile or manifests changed since the last install. */
export function installDependencies(pnpmCmd) {
  const h = createHash('sha256');
  for (const f of ['pnpm-lock.yaml', 'package.json', 'pnpm-workspace.yaml']) h.update(readFileSync(path.join(ROOT, f)));
  for (const dir of ['apps', 'packages']) {
    for (const name of readdirSync(path.join(ROOT, dir))) {
      const p = path.join(ROOT, dir, name, 'package.json');
      if (existsSync(p)) h.update(readFileSync(p));
    }
  }
  const stamp = path.join(STATE, 'install.stamp');
  const digest = h.digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest && existsSync(path.join(ROOT, 'node_modules', '.modules.yaml'))) {
    step('dependencies are up to date');
    return;
  }
  step('installing dependencies (pnpm install)');
  pnpm(pnpmCmd, ['install', '--frozen-lockfile', '--prefer-offline'], { env: { ...process.env, CI: process.env.CI ?? 'true' } });
  mkdirSync(STATE, { recursive: true });
  writeFileSync(stamp, digest);
}

/** Reads KEY=VALUE lines (a .env file); returns {} when the file is missing. */
export function readEnvFile(file) {
  if (!existsSync(file)) return {};
  const out = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!m) continue;
    let v = m[2];
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[m[1]] = v;
  }
  return out;
}

/**
 * The environment of the platform: the caller's variables win, then `.env` at the
 * root, then secrets generated once and kept in .conduit/secrets.env (so a second
 * start reuses them and encrypted credentials stay readable).
 */
export function platformEnv() {
  mkdirSync(STATE, { recursive: true });
  const secretsFile = path.join(STATE, 'secrets.env');
  const secrets = readEnvFile(secretsFile);
  let changed = false;
  if (!secrets.CONDUIT_JWT_SECRET) {
    secrets.CONDUIT_JWT_SECRET = randomBytes(48).toString('base64url');
    changed = true;
  }
  if (!secrets.CONDUIT_ENCRYPTION_KEYS) {
    secrets.CONDUIT_ENCRYPTION_KEYS = `k1:${randomBytes(32).toString('base64')}`;
    changed = true;
  }
  if (changed) {
    writeFileSync(
      secretsFile,
      '# Generated by `npm start` on first run. Keep it: provider credentials are encrypted with CONDUIT_ENCRYPTION_KEYS.\n' +
        Object.entries(secrets).map(([k, v]) => `${k}=${v}`).join('\n') + '\n',
      { mode: 0o600 },
    );
  }
  const env = { ...secrets, ...readEnvFile(path.join(ROOT, '.env')), ...process.env };
  env.DATABASE_URL ||= 'postgresql://postgres@127.0.0.1:5432/conduit';
  env.REDIS_URL ||= 'redis://127.0.0.1:6379';
  env.PORT ||= '8080';
  env.DASHBOARD_PORT ||= '3000';
  return env;
}

export function reachable(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port: Number(port) });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

async function waitReachable(host, port, what, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await reachable(host, port, 500)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  fail(`${what} was started but does not accept connections on ${host}:${port} after ${timeoutMs / 1000}s.`);
}

const isLocal = (host) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host);

function which(cmd) {
  const r = capture(process.platform === 'win32' ? 'where' : 'sh', process.platform === 'win32' ? [cmd] : ['-c', `command -v ${cmd}`]);
  return r.ok ? r.stdout.trim().split('\n')[0] : null;
}

function findPostgresBin(name) {
  const onPath = which(name);
  if (onPath) return onPath;
  for (const base of ['/usr/lib/postgresql', '/usr/local/opt', '/opt/homebrew/opt']) {
    if (!existsSync(base)) continue;
    for (const v of readdirSync(base).sort().reverse()) {
      for (const candidate of [path.join(base, v, 'bin', name)]) if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

function dockerEngineRunning() {
  return which('docker') && capture('docker', ['info', '--format', '{{.ServerVersion}}']).ok;
}

/**
 * Makes sure PostgreSQL and Redis answer at DATABASE_URL / REDIS_URL. When a local
 * one is down: Docker Compose if a Docker engine runs, otherwise the machine's own
 * postgres / redis-server with their data under .conduit/. Returns a function that
 * stops what this call started.
 */
export async function ensureServices(env) {
  const db = new URL(env.DATABASE_URL);
  const redis = new URL(env.REDIS_URL);
  const pg = { host: db.hostname || '127.0.0.1', port: Number(db.port || 5432) };
  const rd = { host: redis.hostname || '127.0.0.1', port: Number(redis.port || 6379) };
  const stops = [];
  const pgUp = await reachable(pg.host, pg.port);
  const redisUp = await reachable(rd.host, rd.port);
  if (pgUp && redisUp) {
    step(`PostgreSQL at ${pg.host}:${pg.port} and Redis at ${rd.host}:${rd.port} are reachable`);
    return async () => {};
  }
  for (const [up, what, where, varName] of [
    [pgUp, 'PostgreSQL', pg, 'DATABASE_URL'],
    [redisUp, 'Redis', rd, 'REDIS_URL'],
  ]) {
    if (!up && !isLocal(where.host)) fail(`${what} is not reachable at ${where.host}:${where.port} (${varName}). Start it, or fix ${varName}.`);
  }

  if (dockerEngineRunning()) {
    const services = [!pgUp && 'postgres', !redisUp && 'redis'].filter(Boolean);
    step(`starting ${services.join(' and ')} with Docker Compose`);
    run('docker', ['compose', 'up', '-d', '--wait', ...services], { env });
    if (!pgUp) await waitReachable(pg.host, pg.port, 'PostgreSQL');
    if (!redisUp) await waitReachable(rd.host, rd.port, 'Redis');
    stops.push(() => capture('docker', ['compose', 'stop', ...services], { env }));
    return async () => stops.forEach((s) => s());
  }

  if (!pgUp) stops.push(await startLocalPostgres(pg.port));
  if (!redisUp) stops.push(await startLocalRedis(rd.port));
  return async () => {
    for (const s of stops.reverse()) await s();
  };
}

async function startLocalPostgres(port) {
  // A system cluster installed from Debian/Ubuntu packages: start it as the system would.
  if (which('pg_ctlcluster') && existsSync('/etc/postgresql')) {
    const versions = readdirSync('/etc/postgresql').sort((a, b) => Number(a) - Number(b));
    const conf = versions.length ? path.join('/etc/postgresql', versions.at(-1), 'main', 'postgresql.conf') : '';
    const clusterPort = existsSync(conf) ? Number(/^\s*port\s*=\s*(\d+)/m.exec(readFileSync(conf, 'utf8'))?.[1] ?? 5432) : 5432;
    if (versions.length && process.getuid?.() === 0 && clusterPort === port) {
      step(`starting the system PostgreSQL cluster (${versions.at(-1)}/main)`);
      const r = capture('pg_ctlcluster', ['--skip-systemctl-redirect', versions.at(-1), 'main', 'start']);
      if (r.ok || /already running/.test(r.stderr)) {
        await waitReachable('127.0.0.1', port, 'PostgreSQL');
        return async () => {}; // a system service: leave it running
      }
    }
  }
  const initdb = findPostgresBin('initdb');
  const pgCtl = findPostgresBin('pg_ctl');
  if (!initdb || !pgCtl) {
    fail(
      `PostgreSQL is not reachable at 127.0.0.1:${port} and could not be started.\n` +
        '  Install PostgreSQL 14 or newer (Debian/Ubuntu: `sudo apt-get install postgresql`; macOS: `brew install postgresql@16`),\n' +
        '  or run Docker, or set DATABASE_URL to a reachable server.',
    );
  }
  const dataDir = path.join(STATE, 'postgres');
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: run it as the `postgres` system user then.
  const wrap = (cmd, args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  if (asRoot && !capture('id', ['-u', 'postgres']).ok) {
    fail('PostgreSQL cannot run as root and there is no `postgres` user: run `npm start` as a normal user, or start PostgreSQL yourself.');
  }
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    step(`initialising a PostgreSQL cluster in .conduit/postgres`);
    mkdirSync(dataDir, { recursive: true });
    if (asRoot) run('chown', ['-R', 'postgres', dataDir]);
    run(...wrap(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8']));
  }
  step(`starting PostgreSQL on 127.0.0.1:${port} (data in .conduit/postgres)`);
  run(...wrap(pgCtl, ['-D', dataDir, '-l', path.join(dataDir, 'server.log'), '-w', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${os.tmpdir()}`, 'start']));
  await waitReachable('127.0.0.1', port, 'PostgreSQL');
  return async () => {
    step('stopping PostgreSQL');
    capture(...wrap(pgCtl, ['-D', dataDir, '-m', 'fast', 'stop']));
  };
}

async function startLocalRedis(port) {
  const server = which('redis-server');
  if (!server) {
    fail(
      `Redis is not reachable at 127.0.0.1:${port} and could not be started.\n` +
        '  Install Redis 6.2 or newer (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`),\n' +
        '  or run Docker, or set REDIS_URL to a reachable server.',
    );
  }
  const dir = path.join(STATE, 'redis');
  mkdirSync(dir, { recursive: true });
  step(`starting Redis on 127.0.0.1:${port} (data in .conduit/redis)`);
  const child = spawn(server, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--logfile', path.join(dir, 'redis.log')], {
    stdio: 'ignore',
    detached: false,
  });
  child.on('error', () => undefined);
  await waitReachable('127.0.0.1', port, 'Redis');
  return async () => {
    step('stopping Redis');
    child.kill('SIGTERM');
  };
}

export async function main(fn) {
  try {
    await fn();
  } catch (e) {
    if (e instanceof Fatal) {
      console.error(`\n${red('✖')} ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}

