/**
 * Runs the real worker (src/main.ts) as a separate OS process, so a test can kill
 * it with SIGKILL. The worker and the workspace packages are bundled from their
 * current sources with esbuild (npm packages stay external), so the child runs
 * exactly the code under test without a prior `turbo build`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export async function bundleWorker(): Promise<{ file: string; cleanup(): void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'conduit-worker-'));
  const file = path.join(dir, 'worker.cjs');
  await build({
    entryPoints: [path.join(ROOT, 'apps/worker/src/main.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
    plugins: [
      {
        name: 'workspace-sources',
        setup(b) {
          b.onResolve({ filter: /^@conduit\/(contracts|db)(\/.*)?$/ }, (args) => {
            const [, pkg, sub] = /^@conduit\/(contracts|db)(?:\/(.*))?$/.exec(args.path)!;
            return { path: path.join(ROOT, 'packages', pkg!, 'src', (sub ?? 'index') + '.ts') };
          });
          // relative ESM specifiers name .js files that are .ts sources
          b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')) }));
          // npm packages: required from where the importing source would find them
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith('node:') || !args.importer) return { external: true };
            return { path: createRequire(args.importer).resolve(args.path), external: true };
          });
        },
      },
    ],
  });
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface WorkerProcess {
  child: ChildProcess;
  /** every log line so far */
  lines: string[];
  /** resolves when a log line matches */
  waitForLine(re: RegExp, timeoutMs?: number, after?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runWorker(file: string, env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [file], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { re: RegExp; after: number; resolve(line: string): void }[] = [];
  const onData = (buf: Buffer) => {
    for (const line of buf.toString().split('\n').filter(Boolean)) {
      lines.push(line);
      for (const w of [...waiters]) {
        if (lines.length - 1 >= w.after && w.re.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    exited,
    waitForLine(re, timeoutMs = 30_000, after = 0) {
      const seen = lines.slice(after).find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no log line matching ${re} in ${timeoutMs} ms; last lines:\n${lines.slice(-10).join('\n')}`)), timeoutMs);
        waiters.push({
          re,
          after,
          resolve: (l) => {
            clearTimeout(t);
            resolve(l);
          },
        });
      });
    },
  };
}
