/**
 * Test helpers: every test file gets its own PostgreSQL database (a fast copy of a
 * migrated template) and its own Redis key prefix, so parallel runs and leftovers
 * never collide.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', '..', 'prisma', 'migrations');

export function baseDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = '/' + db;
  return u.toString();
}

function migrationFiles(): { name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8') }));
}

async function adminClient(): Promise<Client> {
  const client = new Client({ connectionString: withDatabase(baseDatabaseUrl(), 'postgres') });
  await client.connect();
  return client;
}

/** Name of the migrated template for the current set of migrations (created once, reused). */
async function ensureTemplate(admin: Client): Promise<string> {
  const files = migrationFiles();
  const digest = createHash('sha256');
  for (const f of files) digest.update(f.name).update(f.sql);
  const template = `conduit_tpl_${digest.digest('hex').slice(0, 16)}`;
  await admin.query('SELECT pg_advisory_lock(727274)');
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!rowCount) {
      const building = `${template}_building`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
      await admin.query(`CREATE DATABASE "${building}"`);
      const c = new Client({ connectionString: withDatabase(baseDatabaseUrl(), building) });
      await c.connect();
      try {
        for (const f of files) await c.query(f.sql);
      } finally {
        await c.end();
      }
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(727274)');
  }
  return template;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, fully migrated database of its own. Call drop() in afterAll. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const admin = await adminClient();
  try {
    const template = await ensureTemplate(admin);
    const name = `conduit_${label.replace(/\W/g, '_').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
    // CREATE DATABASE … TEMPLATE needs the template to be idle: retry briefly if another copy is in progress.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (e) {
        if (attempt >= 50 || !/being accessed by other users/.test((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const url = withDatabase(baseDatabaseUrl(), name);
    return {
      name,
      url,
      async drop() {
        const c = await adminClient();
        try {
          await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await c.end();
        }
      },
    };
  } finally {
    await admin.end();
  }
}

/** A Redis key prefix of its own for one test file. */
export function testRedisPrefix(label = 'test'): string {
  return `conduit-test:${label}:${randomBytes(4).toString('hex')}`;
}
