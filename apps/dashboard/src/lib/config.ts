import 'server-only';
import { z } from 'zod';

/**
 * The dashboard's runtime configuration. This is the only module that reads
 * `process.env` (next.config.ts aside, which runs at build time). It is parsed
 * lazily on first use, at request time, so `next build` never bakes the
 * gateway URL into the output: the same build runs against any gateway.
 */
const configSchema = z.object({
  GATEWAY_URL: z
    .url({ message: 'GATEWAY_URL must be an absolute http(s) URL, e.g. http://127.0.0.1:8080' })
    .default('http://127.0.0.1:8080')
    .transform((value) => value.replace(/\/+$/, '')),
  /**
   * The gateway's address as your applications reach it (shown in the portal's
   * quickstart snippets); defaults to GATEWAY_URL.
   */
  GATEWAY_PUBLIC_URL: z
    .url({ message: 'GATEWAY_PUBLIC_URL must be an absolute http(s) URL' })
    .optional()
    .transform((value) => value?.replace(/\/+$/, '')),
  /** How long a call to the gateway may take before the dashboard gives up. */
  GATEWAY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * Whether auth cookies carry the Secure attribute. `auto` sets it when the
   * request reached the dashboard over https (directly or per X-Forwarded-Proto).
   */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
});

export type DashboardConfig = z.infer<typeof configSchema>;

let cached: DashboardConfig | undefined;

export function getConfig(): DashboardConfig {
  if (cached) return cached;
  const parsed = configSchema.safeParse({
    GATEWAY_URL: process.env.GATEWAY_URL || undefined,
    GATEWAY_PUBLIC_URL: process.env.GATEWAY_PUBLIC_URL || undefined,
    GATEWAY_TIMEOUT_MS: process.env.GATEWAY_TIMEOUT_MS || undefined,
    COOKIE_SECURE: process.env.COOKIE_SECURE || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid dashboard configuration: ${problems}`);
  }
  cached = parsed.data;
  return cached;
}
