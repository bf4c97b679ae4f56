import path from 'node:path';
import type { NextConfig } from 'next';

/**
 * `next start` (used by the root `npm start`) serves the regular `.next` build.
 * The Docker image uses the much smaller standalone server instead: its build
 * stage sets NEXT_OUTPUT=standalone. Standalone tracing must start at the
 * monorepo root so pnpm's symlinked dependencies are copied.
 */
const standalone = process.env.NEXT_OUTPUT === 'standalone';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  ...(standalone
    ? {
        output: 'standalone' as const,
        outputFileTracingRoot: path.join(__dirname, '../..'),
      }
    : {}),
  turbopack: {
    root: path.join(__dirname, '../..'),
  },
};

export default nextConfig;
