/**
 * The real running stack for browser tests: a fresh database (migrated, seeded),
 * the built gateway and the built dashboard as child processes, and headless
 * Chromium driven by playwright-core (which gives each launch a fresh profile). `npm test` builds everything first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createPrismaClient } from '@conduit/db';
import { seed } from '@conduit/db/seed';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '@conduit/db/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export const chromiumPath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export const STACK_ADMIN = { email: 'admin@e2e.local', password: 'e2e-admin-password' };
export const STACK_DEVELOPER = { email: 'dev@e2e.local', password: 'e2e-developer-password' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${output()}`);
}

function launch(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => out };
}

export interface Stack {
  gatewayUrl: string;
  dashboardUrl: string;
  browser: Browser;
  db: TestDatabase;
  stop(): Promise<void>;
}

export async function startStack(options: { worker?: boolean } = {}): Promise<Stack> {
  const withWorker = options.worker ?? false;
  const required = ['apps/gateway/dist/main.js', 'apps/dashboard/.next/BUILD_ID', ...(withWorker ? ['apps/worker/dist/main.js'] : [])];
  for (const built of required) {
    if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: build first (npm test does)`);
  }
  const db = await createTestDatabase('e2e');
  const encryption = 'k1:' + Buffer.alloc(32, 5).toString('base64');
  const prisma = createPrismaClient({ url: db.url, max: 2 });
  try {
    await seed(prisma, {
      CONDUIT_ENCRYPTION_KEYS: encryption,
      CONDUIT_ADMIN_EMAIL: STACK_ADMIN.email,
      CONDUIT_ADMIN_PASSWORD: STACK_ADMIN.password,
      CONDUIT_DEVELOPER_EMAIL: STACK_DEVELOPER.email,
      CONDUIT_DEVELOPER_PASSWORD: STACK_DEVELOPER.password,
    });
  } finally {
    await prisma.$disconnect();
  }

  const [gatewayPort, dashboardPort] = [await freePort(), await freePort()];
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
  const redisPrefix = testRedisPrefix('e2e');
  const gateway = launch(process.execPath, ['dist/main.js'], path.join(ROOT, 'apps/gateway'), {
    PORT: String(gatewayPort),
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    REDIS_PREFIX: redisPrefix,
    CONDUIT_JWT_SECRET: 'e2e-jwt-secret-long-enough-for-hs256-0123456789',
    CONDUIT_ENCRYPTION_KEYS: encryption,
    // tests register fake upstreams on 127.0.0.1 (provider connection tests)
    CONDUIT_ALLOW_PRIVATE_UPSTREAMS: 'true',
    LOG_LEVEL: 'warn',
  });
  // The usage worker turns the gateway's usage events into rollups (charts, request logs).
  const worker = withWorker
    ? launch(process.execPath, ['dist/main.js'], path.join(ROOT, 'apps/worker'), {
        DATABASE_URL: db.url,
        REDIS_PREFIX: redisPrefix,
        LOG_LEVEL: 'warn',
        SHUTDOWN_GRACE_MS: '2000',
      })
    : undefined;
  const nextBin = path.join(ROOT, 'apps/dashboard/node_modules/next/dist/bin/next');
  const dashboard = launch(process.execPath, [nextBin, 'start', '-p', String(dashboardPort), '-H', '127.0.0.1'], path.join(ROOT, 'apps/dashboard'), {
    GATEWAY_URL: gatewayUrl,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
  });
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    const children = [dashboard.child, gateway.child, ...(worker ? [worker.child] : [])];
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    await db.drop();
  };
  try {
    await waitForHttp(`${gatewayUrl}/ready`, gateway.child, gateway.output);
    await waitForHttp(`${dashboardUrl}/sign-in`, dashboard.child, dashboard.output);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync',
      ],
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { gatewayUrl, dashboardUrl, browser, db, stop };
}

/** Signs someone in through the sign-in page, in a fresh browser context (clipboard allowed). */
export async function signIn(browser: Browser, url: string, who: { email: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  const page = await context.newPage();
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  return { context, page };
}
