/** Anthropic Messages API (`POST /v1/messages`). No embeddings; completions mapped onto chat. */
import { defineProvider } from '../core/definition';
import { configError, trimSlash } from '../openai-compatible/factory';
import { ANTHROPIC_ID, buildAnthropicBody } from './request';
import { parseAnthropicMessage } from './response';
import { AnthropicChatStream } from './stream';
import { parseAnthropicError } from './errors';

export const ANTHROPIC_DEFAULT_VERSION = '2023-06-01';

export const anthropic = defineProvider({
  id: ANTHROPIC_ID,
  displayName: 'Anthropic',
  capabilities: {
    stream: true,
    tools: true,
    streamedToolArguments: true,
    vision: true,
    jsonMode: true, // via system instruction
    jsonSchema: true, // via output_config.format
    embeddings: false,
    completions: 'chat',
    streamUsage: true,
    multipleChoices: false,
    seed: false,
  },
  resolveConfig(config) {
    if (config.apiKey === undefined || config.apiKey === '') throw configError(ANTHROPIC_ID, 'apiKey');
    return { ...config, baseUrl: trimSlash(config.baseUrl ?? 'https://api.anthropic.com'), apiVersion: config.apiVersion ?? ANTHROPIC_DEFAULT_VERSION };
  },
  chat: {
    build(req, ctx, stream) {
      return {
        method: 'POST',
        url: `${ctx.config.baseUrl}/v1/messages`,
        headers: {
          'content-type': 'application/json',
          accept: stream ? 'text/event-stream' : 'application/json',
          'x-api-key': ctx.config.apiKey ?? '',
          'anthropic-version': ctx.config.apiVersion ?? ANTHROPIC_DEFAULT_VERSION,
        },
        body: JSON.stringify(buildAnthropicBody(req, stream)),
      };
    },
    parse: (body, _req, ctx) => parseAnthropicMessage(ctx.provider, body),
    stream: { framing: 'sse', create: (ctx) => new AnthropicChatStream(ctx.provider) },
  },
  parseError: (res, ctx) => parseAnthropicError(ctx.provider, res),
});
