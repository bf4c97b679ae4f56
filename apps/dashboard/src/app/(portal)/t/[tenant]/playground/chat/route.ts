import { z } from 'zod';
import { getConfig } from '@/lib/config';
import { getSession } from '@/lib/session';

/**
 * The playground's way to the gateway: the browser posts the key it was given
 * (kept in page memory only) and the chat; this handler forwards it to
 * `{GATEWAY_URL}/v1/chat/completions` and streams the answer back unchanged.
 * Only signed-in members of the tenant may use it, so it is no open relay.
 */
const body = z.object({
  apiKey: z.string().min(8).max(500),
  model: z.string().min(1).max(200),
  stream: z.boolean(),
  maxTokens: z.number().int().min(1).max(8192).optional(),
  temperature: z.number().min(0).max(2).optional(),
  messages: z
    .array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().max(100_000) }))
    .min(1)
    .max(100),
});

const PASS_HEADERS = [
  'content-type',
  'x-request-id',
  'x-conduit-provider',
  'x-conduit-deployment',
  'x-conduit-attempts',
  'x-conduit-fallbacks',
  'x-conduit-cost-usd',
  'x-conduit-cache',
  'retry-after',
];

function problem(status: number, message: string) {
  return Response.json({ error: { message } }, { status });
}

export async function POST(request: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const session = await getSession();
  if (session.status !== 'signed_in') return problem(502, `${session.title}. ${session.detail}`);
  const slug = decodeURIComponent((await params).tenant);
  if (!session.user.memberships.some((m) => m.tenantSlug === slug)) return problem(403, `You are not a member of “${slug}”.`);

  const parsed = body.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) return problem(400, `The playground sent an invalid request: ${parsed.error.issues[0]?.message ?? 'unknown'}.`);
  const input = parsed.data;

  const { GATEWAY_URL } = getConfig();
  let upstream: Response;
  try {
    upstream = await fetch(`${GATEWAY_URL}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${input.apiKey}` },
      body: JSON.stringify({
        model: input.model,
        messages: input.messages,
        stream: input.stream,
        ...(input.stream ? { stream_options: { include_usage: true } } : {}),
        ...(input.maxTokens ? { max_tokens: input.maxTokens } : {}),
        ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
      }),
      signal: request.signal,
      cache: 'no-store',
    });
  } catch (error) {
    return problem(502, `The gateway could not be reached at ${GATEWAY_URL} (${error instanceof Error ? error.message : String(error)}).`);
  }
  const headers = new Headers({ 'cache-control': 'no-store' });
  for (const name of PASS_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers });
}
