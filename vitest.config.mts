import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Workspace packages resolve to their TypeScript sources in tests, so `npm test`
// never depends on a prior build of the packages.
const alias = [
  { find: /^@conduit\/(contracts|providers|db)$/, replacement: src('./packages/') + '$1/src/index.ts' },
  { find: /^@conduit\/(contracts|providers|db)\/(.+)$/, replacement: src('./packages/') + '$1/src/$2' },
];

// NestJS needs decorator metadata, which esbuild does not emit: SWC compiles the apps.
const swcPlugin = () =>
  swc.vite({
    module: { type: 'es6' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
  });

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: 'contracts', include: ['packages/contracts/src/**/*.test.ts'] },
      },
      {
        resolve: { alias },
        test: {
          name: 'providers',
          include: ['packages/providers/src/**/*.test.ts', 'packages/providers/test/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'db',
          include: ['packages/db/src/**/*.test.ts', 'packages/db/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        plugins: [swcPlugin()],
        test: {
          name: 'gateway',
          include: ['apps/gateway/test/**/*.test.ts', 'apps/gateway/src/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'worker',
          include: ['apps/worker/test/**/*.test.ts', 'apps/worker/src/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'dashboard',
          include: ['apps/dashboard/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
