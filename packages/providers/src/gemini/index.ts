/** Google Gemini API (generateContent / streamGenerateContent / batchEmbedContents). */
import { defineProvider } from '../core/definition';
import { configError, trimSlash } from '../openai-compatible/factory';
import { GEMINI_ID, buildGeminiBody, buildGeminiEmbedBody, modelPath } from './request';
import { parseGeminiEmbeddings, parseGeminiResponse } from './response';
import { GeminiChatStream } from './stream';
import { parseGeminiError } from './errors';
import type { ProviderContext } from '../core/definition';

function headers(ctx: ProviderContext): Record<string, string> {
  return { 'content-type': 'application/json', 'x-goog-api-key': ctx.config.apiKey ?? '' };
}

/** `apiVersion` selects the API surface (`v1beta` by default, `v1` for stable-only features). */
function root(ctx: ProviderContext): string {
  return `${ctx.config.baseUrl}/${ctx.config.apiVersion ?? 'v1beta'}`;
}

export const gemini = defineProvider({
  id: GEMINI_ID,
  displayName: 'Google Gemini',
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
    multipleChoices: true,
    seed: true,
  },
  resolveConfig(config) {
    if (config.apiKey === undefined || config.apiKey === '') throw configError(GEMINI_ID, 'apiKey');
    return { ...config, baseUrl: trimSlash(config.baseUrl ?? 'https://generativelanguage.googleapis.com') };
  },
  chat: {
    build(req, ctx, stream) {
      const h = headers(ctx);
      const model = encodeURIComponent(modelPath(req.model));
      if (stream) h['accept'] = 'text/event-stream';
      return {
        method: 'POST',
        url: stream ? `${root(ctx)}/models/${model}:streamGenerateContent?alt=sse` : `${root(ctx)}/models/${model}:generateContent`,
        headers: h,
        body: JSON.stringify(buildGeminiBody(req)),
      };
    },
    parse: (body, req, ctx) => parseGeminiResponse(ctx.provider, body, req.model),
    stream: { framing: 'sse', create: (ctx, req) => new GeminiChatStream(ctx.provider, req) },
  },
  embeddings: {
    build(req, ctx) {
      return [
        {
          method: 'POST',
          url: `${root(ctx)}/models/${encodeURIComponent(modelPath(req.model))}:batchEmbedContents`,
          headers: headers(ctx),
          body: JSON.stringify(buildGeminiEmbedBody(req)),
        },
      ];
    },
    parse: (bodies, req, ctx) => parseGeminiEmbeddings(ctx.provider, bodies[0], req.model),
  },
  parseError: (res, ctx) => parseGeminiError(ctx.provider, res),
});
