#!/usr/bin/env node
// `npm test` (or `pnpm test`): every test, against the real PostgreSQL and Redis.
// Brings pnpm and dependencies, finds or starts the services, generates the Prisma
// client, typechecks and builds every package, then runs all vitest projects
// (unit, integration, end-to-end, browser). Each test file creates its own
// database and Redis prefix.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  checkNode, ensurePnpm, ensureServices, installDependencies, main, platformEnv, pnpm, ROOT, step, yellow,
} from './lib/common.mjs';
import { spawnSync } from 'node:child_process';

await main(async () => {
  checkNode();
  const pnpmCmd = ensurePnpm();
  installDependencies(pnpmCmd);
  const env = { ...platformEnv(), NODE_ENV: 'test', TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1' };
  const stopServices = await ensureServices(env);
  try {
    if (!env.CHROMIUM_PATH) {
      const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
      if (found) env.CHROMIUM_PATH = found;
      else console.log(yellow('! no Chromium found (set CHROMIUM_PATH): the dashboard browser tests will be skipped'));
    }
    step('generating the Prisma client');
    pnpm(pnpmCmd, ['--silent', 'db:generate'], { env });
    step('typechecking and building every package (turbo)');
    pnpm(pnpmCmd, ['exec', 'turbo', 'run', 'typecheck', 'build', '--output-logs=errors-only'], { env });

    step('running the tests (vitest)');
    const results = path.join(ROOT, '.conduit', 'test-results.json');
    rmSync(results, { force: true });
    const args = ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...process.argv.slice(2)];
    const res = spawnSync(pnpmCmd[0], [...pnpmCmd.slice(1), ...args], { cwd: ROOT, env, stdio: 'inherit' });
    if (existsSync(results)) {
      const r = JSON.parse(readFileSync(results, 'utf8'));
      const skipped = r.numPendingTests + r.numTodoTests;
      console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
      if (r.numTotalTests === 0) {
        console.error('no test ran');
        process.exitCode = 1;
      }
    }
    if (res.status !== 0) process.exitCode = res.status ?? 1;
  } finally {
    await stopServices();
  }
});
