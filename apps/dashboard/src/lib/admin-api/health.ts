import 'server-only';
import { gatewayProbe } from './client';
import { GatewayUnreachableError } from './errors';

export type GatewayHealth =
  | {
      state: 'ready' | 'not_ready';
      httpStatus: number;
      latencyMs: number;
      /** Per-dependency results when the gateway reports them, e.g. `{ postgres: "up" }`. */
      checks: DependencyCheck[];
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

export interface DependencyCheck {
  name: string;
  ok: boolean;
  /** e.g. `3 ms`, `up`, or the error the gateway reported. */
  detail: string;
}

/**
 * The readiness body is informational and its shape belongs to the gateway.
 * Conduit's gateway answers `{ status, message?, checks: { postgres: { ok, latencyMs, error? }, … } }`;
 * other common forms (`name: "up"`, `name: { status }`) are read too, and
 * anything else is ignored rather than failing the page.
 */
function describeReadyBody(body: unknown): { checks: DependencyCheck[]; summary: string | undefined } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { checks: [], summary: typeof body === 'string' && body.length < 200 ? body : undefined };
  }
  const record = body as Record<string, unknown>;
  const summary =
    [record.message, record.status].find((value): value is string => typeof value === 'string' && value.length < 200);
  const source = [record.checks, record.details, record.info, record.dependencies].find(
    (value): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value),
  );
  const checks = source ? Object.entries(source).map(([name, value]) => describeCheck(name, value)) : [];
  return { checks, summary };
}

function describeCheck(name: string, value: unknown): DependencyCheck {
  if (typeof value === 'string') return { name, ok: OK_WORDS.has(value.toLowerCase()), detail: value };
  if (typeof value === 'boolean') return { name, ok: value, detail: value ? 'up' : 'down' };
  if (value && typeof value === 'object') {
    const check = value as { ok?: unknown; status?: unknown; latencyMs?: unknown; error?: unknown };
    const ok =
      typeof check.ok === 'boolean'
        ? check.ok
        : typeof check.status === 'string' && OK_WORDS.has(check.status.toLowerCase());
    const detail =
      typeof check.error === 'string' && check.error
        ? check.error
        : typeof check.latencyMs === 'number'
          ? `${check.latencyMs} ms`
          : typeof check.status === 'string'
            ? check.status
            : ok
              ? 'up'
              : 'down';
    return { name, ok, detail };
  }
  return { name, ok: false, detail: 'unknown' };
}
