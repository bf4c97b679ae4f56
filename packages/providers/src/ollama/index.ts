/** Ollama native API (`/api/chat` with NDJSON streaming, `/api/embed`). Key optional (for proxies / Ollama cloud). */
import { defineProvider } from '../core/definition';
import type { ProviderContext } from '../core/definition';
import { trimSlash } from '../openai-compatible/factory';
import { OLLAMA_ID, buildOllamaBody, buildOllamaEmbedBody } from './request';
import { parseOllamaChat, parseOllamaEmbed } from './response';
import { OllamaChatStream } from './stream';
import { parseOllamaError } from './errors';

function headers(ctx: ProviderContext): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (ctx.config.apiKey !== undefined && ctx.config.apiKey !== '') h['authorization'] = `Bearer ${ctx.config.apiKey}`;
  return h;
}

export const ollama = defineProvider({
  id: OLLAMA_ID,
  displayName: 'Ollama',
  capabilities: {
    stream: true,
    tools: true,
    streamedToolArguments: false,
    vision: true,
    jsonMode: true,
    jsonSchema: true,
    embeddings: true,
    completions: 'chat',
    streamUsage: true,
    multipleChoices: false,
    seed: true,
  },
  resolveConfig(config) {
    return { ...config, baseUrl: trimSlash(config.baseUrl ?? 'http://localhost:11434') };
  },
  chat: {
    build(req, ctx, stream) {
      const h = headers(ctx);
      if (stream) h['accept'] = 'application/x-ndjson';
      return { method: 'POST', url: `${ctx.config.baseUrl}/api/chat`, headers: h, body: JSON.stringify(buildOllamaBody(req, stream)) };
    },
    parse: (body, req, ctx) => parseOllamaChat(ctx.provider, body, req.model),
    stream: { framing: 'ndjson', create: (ctx, req) => new OllamaChatStream(ctx.provider, req) },
  },
  embeddings: {
    build(req, ctx) {
      return [{ method: 'POST', url: `${ctx.config.baseUrl}/api/embed`, headers: headers(ctx), body: JSON.stringify(buildOllamaEmbedBody(req)) }];
    },
    parse: (bodies, req, ctx) => parseOllamaEmbed(ctx.provider, bodies[0], req.model),
  },
  parseError: (res, ctx) => parseOllamaError(ctx.provider, res),
});
