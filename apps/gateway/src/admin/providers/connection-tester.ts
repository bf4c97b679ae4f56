import type { ProviderType, TestConnectionOutput } from '@conduit/contracts';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup } from '../common/upstream-guard.js';

interface Probe {
  url: string;
  headers: Record<string, string>;
}

/** The cheapest authenticated call each provider type answers: its model listing. */
export function modelsProbe(type: ProviderType, baseUrl: string, secret: string | null, config: Record<string, unknown>): Probe | string {
  const base = baseUrl.replace(/\/+$/, '');
  const bearer: Record<string, string> = secret ? { authorization: `Bearer ${secret}` } : {};
  switch (type) {
    case 'openai':
    case 'openai_compatible':
    case 'mistral':
    case 'simulator':
      return { url: `${base}/models`, headers: bearer };
    case 'azure_openai': {
      const version = typeof config.apiVersion === 'string' ? config.apiVersion : '2024-10-21';
      return { url: `${base}/openai/models?api-version=${encodeURIComponent(version)}`, headers: secret ? { 'api-key': secret } : {} };
    }
    case 'anthropic':
      return { url: `${base.replace(/\/v1$/, '')}/v1/models`, headers: { 'anthropic-version': '2023-06-01', ...(secret ? { 'x-api-key': secret } : {}) } };
    case 'gemini':
      return { url: `${base.replace(/\/v1(beta)?$/, '')}/v1beta/models`, headers: secret ? { 'x-goog-api-key': secret } : {} };
    case 'ollama':
      return { url: `${base.replace(/\/v1$/, '')}/api/tags`, headers: bearer };
    case 'bedrock':
      return 'Bedrock needs AWS SigV4-signed calls; test-connection does not sign requests yet. Send a request through the gateway instead.';
  }
}

function modelNames(body: unknown): string[] {
  const b = body as { data?: { id?: string; name?: string; model?: string }[]; models?: { id?: string; name?: string; model?: string }[] } | null;
  const list = b?.data ?? b?.models ?? [];
  if (!Array.isArray(list)) return [];
  return list.map((m) => m?.id ?? m?.name ?? m?.model).filter((x): x is string => typeof x === 'string').slice(0, 50);
}

function upstreamMessage(body: unknown, text: string): string {
  const e = (body as { error?: { message?: string } | string; message?: string } | null) ?? null;
  const m = typeof e?.error === 'string' ? e.error : (e?.error?.message ?? e?.message);
  return (m ?? text).slice(0, 500);
}

/**
 * Calls the provider with a timeout and reports what it said. The socket only
 * connects to addresses the SSRF guard accepts at call time (DNS rebinding).
 */
export async function testConnection(
  probe: Probe,
  opts: { timeoutMs: number; allowPrivate: boolean; credentialId: string | null },
): Promise<TestConnectionOutput> {
  const started = performance.now();
  const url = new URL(probe.url);
  const shown = `${url.origin}${url.pathname}`;
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const done = (r: Omit<TestConnectionOutput, 'latencyMs' | 'url' | 'credentialId'>) =>
      resolve({ ...r, latencyMs: elapsed(), url: shown, credentialId: opts.credentialId });
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      { method: 'GET', headers: { accept: 'application/json', ...probe.headers }, lookup: guardedLookup(opts.allowPrivate) as never, timeout: opts.timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= 1_000_000) chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = null;
          try {
            body = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          done({ ok, status, models: ok ? modelNames(body) : [], message: ok ? 'connected' : upstreamMessage(body, text) || `HTTP ${status}` });
        });
        res.on('error', (e) => done({ ok: false, status, models: [], message: e.message }));
        const status = res.statusCode ?? null;
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, status: null, models: [], message: e.code === 'EPRIVATEUPSTREAM' ? e.message : `${e.code ?? 'error'}: ${e.message}` }));
    req.end();
  });
}
