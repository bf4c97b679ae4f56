import 'server-only';
import { z } from 'zod';
import { getConfig } from '@/lib/config';
import { AdminApiContractError, AdminApiHttpError, GatewayUnreachableError } from './errors';

export * from './errors';

/** The admin API's error body: `{ error: { code, message }, requestId }`. */
const adminErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
  }),
  requestId: z.string().optional(),
});

export interface AdminRequest<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path on the gateway, starting with `/`, e.g. `/admin/auth/me`. */
  path: string;
  /** JSON body. */
  body?: unknown;
  /** Bearer token for authenticated calls. */
  accessToken?: string;
  /** Validates (and types) the 2xx response body. */
  schema: z.ZodType<T>;
}

/**
 * The one way the dashboard talks to the gateway. Server-side only: the
 * browser never sees the gateway URL or a token.
 */
export async function adminRequest<T>(request: AdminRequest<T>): Promise<T> {
  const { GATEWAY_URL, GATEWAY_TIMEOUT_MS } = getConfig();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.accessToken) headers.authorization = `Bearer ${request.accessToken}`;

  let response: Response;
  try {
    response = await fetch(`${GATEWAY_URL}${request.path}`, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
    });
  } catch (error) {
    throw new GatewayUnreachableError(GATEWAY_URL, describeNetworkError(error, GATEWAY_TIMEOUT_MS));
  }

  const payload = await readJson(response);

  if (!response.ok) {
    const parsed = adminErrorBody.safeParse(payload);
    if (parsed.success) {
      throw new AdminApiHttpError(
        response.status,
        parsed.data.error.code,
        parsed.data.error.message,
        parsed.data.requestId ?? response.headers.get('x-request-id') ?? undefined,
      );
    }
    throw new AdminApiHttpError(
      response.status,
      response.status >= 500 ? 'gateway_error' : 'unexpected_response',
      `The gateway answered HTTP ${response.status} ${response.statusText}`.trim() + '.',
      response.headers.get('x-request-id') ?? undefined,
    );
  }

  const parsed = request.schema.safeParse(payload);
  if (!parsed.success) {
    throw new AdminApiContractError(
      request.path,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '),
    );
  }
  return parsed.data;
}

/** A raw call for endpoints whose body is informational (health checks). */
export async function gatewayProbe(path: string): Promise<{ status: number; body: unknown; latencyMs: number }> {
  const { GATEWAY_URL, GATEWAY_TIMEOUT_MS } = getConfig();
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(`${GATEWAY_URL}${path}`, {
      headers: { accept: 'application/json' },
      cache: 'no-store',
      signal: AbortSignal.timeout(Math.min(GATEWAY_TIMEOUT_MS, 5_000)),
    });
  } catch (error) {
    throw new GatewayUnreachableError(GATEWAY_URL, describeNetworkError(error, Math.min(GATEWAY_TIMEOUT_MS, 5_000)));
  }
  const body = await readJson(response);
  return { status: response.status, body, latencyMs: Math.round(performance.now() - started) };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause && typeof cause === 'object') {
      const code = (cause as { code?: unknown }).code;
      if (typeof code === 'string') return code;
      const message = (cause as { message?: unknown }).message;
      if (typeof message === 'string' && message) return message;
    }
    return error.message;
  }
  return String(error);
}
