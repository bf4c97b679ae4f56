#!/usr/bin/env node
// `pnpm db:migration <name>`: turns the change in prisma/schema.prisma into a new
// migration, offline. It diffs the schema against the one the existing migrations
// produce (recorded in prisma/migrations/schema.snapshot.prisma), writes
// prisma/migrations/<timestamp>_<name>/migration.sql, and updates the snapshot.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDatabase, runPrisma } from './prisma.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const schema = path.join(root, 'prisma', 'schema.prisma');
const migrations = path.join(root, 'prisma', 'migrations');
const snapshot = path.join(migrations, 'schema.snapshot.prisma');

const name = (process.argv[2] ?? '').trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: pnpm db:migration <name>   (name: lower-case letters, digits and _; e.g. add_key_labels)');
  process.exit(2);
}

await ensureDatabase();
const from = existsSync(snapshot) ? ['--from-schema-datamodel', snapshot] : ['--from-empty'];
const sql = runPrisma(['migrate', 'diff', ...from, '--to-schema-datamodel', schema, '--script'], { capture: true });
if (!sql.trim() || /^-- This is an empty migration\.?\s*$/m.test(sql.trim())) {
  console.log('No schema changes: no migration written.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const dir = path.join(migrations, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'migration.sql'), sql);
if (!existsSync(path.join(migrations, 'migration_lock.toml'))) {
  writeFileSync(path.join(migrations, 'migration_lock.toml'), 'provider = "postgresql"\n');
}
copyFileSync(schema, snapshot);
console.log(`Wrote ${path.relative(root, dir)}/migration.sql. Apply it with: pnpm db:migrate`);
