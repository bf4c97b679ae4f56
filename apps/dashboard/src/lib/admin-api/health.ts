import 'server-only';
import { gatewayProbe } from './client';
import { GatewayUnreachableError } from './errors';

export type GatewayHealth =
  | {
      state: 'ready' | 'not_ready';
      httpStatus: number;
      latencyMs: number;
      /** Per-dependency results when the gateway reports them, e.g. `{ postgres: "up" }`. */
      checks: Array<{ name: string; status: string; ok: boolean }>;
      summary: string | undefined;
    }
  | { state: 'unreachable'; gatewayUrl: string; reason: string };

/** `GET /ready`: whether the gateway can serve traffic, fetched server-side. */
export async function fetchGatewayHealth(): Promise<GatewayHealth> {
  try {
    const { status, body, latencyMs } = await gatewayProbe('/ready');
    const { checks, summary } = describeReadyBody(body);
    return {
      state: status >= 200 && status < 300 ? 'ready' : 'not_ready',
      httpStatus: status,
      latencyMs,
      checks,
      summary,
    };
  } catch (error) {
    if (error instanceof GatewayUnreachableError) {
      return { state: 'unreachable', gatewayUrl: error.gatewayUrl, reason: error.reason };
    }
    throw error;
  }
}

const OK_WORDS = new Set(['ok', 'up', 'ready', 'healthy', 'pass', 'true']);

/**
 * The readiness body is informational and its exact shape belongs to the
 * gateway; read the common forms (`{status, checks|info|details: {name: status | {status}}}`)
 * and ignore the rest rather than failing the page.
 */
function describeReadyBody(body: unknown): { checks: Array<{ name: string; status: string; ok: boolean }>; summary: string | undefined } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { checks: [], summary: typeof body === 'string' && body.length < 200 ? body : undefined };
  }
  const record = body as Record<string, unknown>;
  const summary = typeof record.status === 'string' ? record.status : undefined;
  const source = [record.checks, record.details, record.info, record.dependencies].find(
    (value): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value),
  );
  const checks = source
    ? Object.entries(source).map(([name, value]) => {
        const status =
          typeof value === 'string'
            ? value
            : typeof value === 'boolean'
              ? String(value)
              : value && typeof value === 'object' && typeof (value as { status?: unknown }).status === 'string'
                ? (value as { status: string }).status
                : 'unknown';
        return { name, status, ok: OK_WORDS.has(status.toLowerCase()) };
      })
    : [];
  return { checks, summary };
}
