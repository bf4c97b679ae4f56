#!/usr/bin/env node
// `npm start` (or `pnpm start`): runs the whole platform on this machine.
// Brings pnpm, installs dependencies, finds or starts PostgreSQL and Redis,
// migrates, seeds, builds, then runs the gateway, the worker and the dashboard
// until Ctrl-C.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import {
  bold, checkNode, cyan, dim, ensurePnpm, ensureServices, fail, green, installDependencies, main, platformEnv, pnpm,
  reachable, red, ROOT, step, yellow,
} from './lib/common.mjs';
import { spawnSync } from 'node:child_process';

await main(async () => {
  checkNode();
  const pnpmCmd = ensurePnpm();
  installDependencies(pnpmCmd);
  const env = platformEnv();
  const stopServices = await ensureServices(env);

  for (const [port, name, variable] of [
    [env.PORT, 'gateway', 'PORT'],
    [env.DASHBOARD_PORT, 'dashboard', 'DASHBOARD_PORT'],
  ]) {
    if (await reachable('127.0.0.1', port, 300)) {
      await stopServices();
      fail(`port ${port} (${name}) is already in use: stop whatever listens there (an earlier \`npm start\`?) or set ${variable}.`);
    }
  }

  step('applying database migrations');
  pnpm(pnpmCmd, ['--silent', 'db:migrate'], { env });
  step('generating the Prisma client and building (turbo; cached after the first run)');
  pnpm(pnpmCmd, ['--silent', 'db:generate'], { env });
  pnpm(pnpmCmd, ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { env: { ...env, TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1' } });

  step('seeding (idempotent)');
  const seeded = spawnSync(process.execPath, ['packages/db/dist/seed/cli.js'], { cwd: ROOT, env, encoding: 'utf8' });
  if (seeded.status !== 0) {
    await stopServices();
    fail(`seeding failed:\n${seeded.stderr || seeded.stdout}`);
  }

  const children = new Map();
  let shuttingDown = false;
  const launch = (name, color, cmd, args, cwd) => {
    const child = spawn(cmd, args, { cwd: path.join(ROOT, cwd), env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => console.log(`${color(name.padEnd(9))} ${line}`));
    }
    child.on('exit', (code, signal) => {
      children.delete(name);
      if (!shuttingDown) {
        console.error(`${red('✖')} ${name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping the rest.`);
        void shutdown(1);
      }
    });
    children.set(name, child);
  };

  const shutdown = async (code = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`\n${cyan('▸')} stopping Conduit…`);
    const exits = [...children.values()].map((c) => new Promise((r) => c.once('exit', r)));
    for (const c of children.values()) c.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const c of children.values()) c.kill('SIGKILL');
    }, 15_000);
    await Promise.all(exits);
    clearTimeout(timer);
    await stopServices();
    console.log(`${green('✔')} stopped`);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  launch('gateway', cyan, process.execPath, ['dist/main.js'], 'apps/gateway');
  launch('worker', yellow, process.execPath, ['dist/main.js'], 'apps/worker');
  launch('dashboard', green, process.execPath, [path.join(ROOT, 'apps/dashboard/node_modules/next/dist/bin/next'), 'start', '-p', env.DASHBOARD_PORT], 'apps/dashboard');

  const gatewayUrl = `http://127.0.0.1:${env.PORT}`;
  const dashboardUrl = `http://127.0.0.1:${env.DASHBOARD_PORT}`;
  const ready = await waitFor(async () => (await fetch(`${gatewayUrl}/ready`)).ok, 90_000);
  await waitFor(async () => (await fetch(`${dashboardUrl}/sign-in`)).status < 500, 90_000);
  if (shuttingDown) return;
  if (!ready) console.error(`${yellow('!')} the gateway is up but not ready yet: see ${gatewayUrl}/ready`);

  console.log(
    [
      '',
      bold('Conduit is running'),
      `  Gateway API   ${gatewayUrl}   (OpenAI-compatible at ${gatewayUrl}/v1, API docs at ${gatewayUrl}/docs)`,
      `  Dashboard     ${dashboardUrl}`,
      `  Health        ${gatewayUrl}/health  ·  ${gatewayUrl}/ready`,
      '',
      seeded.stdout.trim().split('\n').map((l) => '  ' + l).join('\n'),
      env.CONDUIT_ADMIN_PASSWORD ? `  admin password: from CONDUIT_ADMIN_PASSWORD` : false,
      env.CONDUIT_DEMO_API_KEY ? `  demo key: from CONDUIT_DEMO_API_KEY` : false,
      dim('  Generated passwords and keys are shown only when created; set CONDUIT_ADMIN_PASSWORD / CONDUIT_DEMO_API_KEY to fix them.'),
      '',
      `  Press ${bold('Ctrl-C')} to stop.`,
      '',
    ]
      .filter((l) => l !== false)
      .join('\n'),
  );
});

async function waitFor(check, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if (await check()) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

