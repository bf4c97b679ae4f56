#!/usr/bin/env node
// Runs the Prisma CLI in offline, driver-adapter mode: every call gets
// PRISMA_QUERY_ENGINE_LIBRARY (Prisma otherwise tries to download a native engine it
// never loads in client-engine mode) and a DATABASE_URL default.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.join(here, '..');

export function prismaEnv(extra = {}) {
  const placeholder = path.join(pkgDir, 'node_modules', '.cache', 'prisma-engine-placeholder.node');
  if (!existsSync(placeholder)) {
    mkdirSync(path.dirname(placeholder), { recursive: true });
    writeFileSync(placeholder, 'not loaded: Prisma runs with engineType=client\n');
  }
  return {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/conduit',
    PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? placeholder,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
    ...extra,
  };
}

export function runPrisma(args, { env = {}, capture = false } = {}) {
  const require = createRequire(path.join(pkgDir, 'package.json'));
  const cli = require.resolve('prisma/build/index.js');
  const res = spawnSync(process.execPath, [cli, ...args], {
    cwd: pkgDir,
    env: prismaEnv(env),
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
  if (res.status !== 0) {
    const err = new Error(`prisma ${args.join(' ')} failed (exit ${res.status})`);
    err.exitCode = res.status ?? 1;
    throw err;
  }
  return res.stdout;
}

/** Creates the database named in DATABASE_URL when it does not exist yet. */
export async function ensureDatabase(url = prismaEnv().DATABASE_URL) {
  const require = createRequire(path.join(pkgDir, 'package.json'));
  const { Client } = require('pg');
  const target = new URL(url);
  const dbName = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`cannot reach PostgreSQL at ${target.host} (${e.message}); is it running? Set DATABASE_URL to point at it.`);
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (!rowCount) await client.query(`CREATE DATABASE "${dbName.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    const args = process.argv.slice(2);
    if (args[0] === 'migrate') await ensureDatabase();
    runPrisma(args);
  } catch (e) {
    console.error(e.message);
    process.exit(e.exitCode ?? 1);
  }
}
