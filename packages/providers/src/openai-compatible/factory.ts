/**
 * One factory for every server that speaks OpenAI's wire format (OpenAI
 * itself, Azure, Mistral, vLLM, Together, Groq, DeepSeek, LM Studio, …).
 * A dialect only states what differs: endpoint paths, auth header, field
 * rows that are renamed / dropped / unsupported, and capabilities.
 */
import { defineMapping } from '../core/mapping';
import type { FieldRules } from '../core/mapping';
import { ProviderError, unsupported } from '../core/errors';
import { defineProvider } from '../core/definition';
import type { Capabilities, ProviderConfig, ProviderContext, ProviderDefinition, ResolvedConfig } from '../core/definition';
import type { ChatRequest, CompletionRequest, EmbeddingRequest } from '../core/types';
import type { UpstreamRequest } from '../http/client';
import { developerAsSystem, openaiChatFields, openaiCompletionFields, openaiEmbeddingFields } from '../openai/request';
import { parseOpenAIChat, parseOpenAICompletion, parseOpenAIEmbeddings } from '../openai/response';
import { OpenAIChatStream, OpenAICompletionStream } from '../openai/stream';
import { parseOpenAIError } from '../openai/errors';

export type Endpoint = 'chat' | 'embeddings' | 'completions';

export interface OpenAICompatibleOptions<TId extends string> {
  id: TId;
  displayName: string;
  /** Public endpoint; omit when every deployment must give `baseUrl` (vLLM, LM Studio). */
  defaultBaseUrl?: string;
  /** How the key is sent. `optional-bearer`: only when configured (local servers). */
  auth?: 'bearer' | 'optional-bearer' | 'api-key';
  /** Builds the upstream URL. Default: `${baseUrl}/chat/completions` etc. */
  url?: (endpoint: Endpoint, ctx: ProviderContext, model: string) => string;
  /** Rows that differ from OpenAI's field table (rename, drop, unsupported). */
  fields?: FieldRules<ChatRequest>;
  /** Send `developer` turns as `system` (most compatible servers). Default true. */
  developerAsSystem?: boolean;
  /** Ask for usage in streams with `stream_options.include_usage`. Default true. */
  streamOptions?: boolean;
  capabilities?: Partial<Capabilities>;
  /** Extra config validation/defaults (Azure: deployment, api-version). */
  resolveConfig?: (config: ProviderConfig, resolved: ResolvedConfig) => ResolvedConfig;
}

const BASE_CAPABILITIES: Capabilities = {
  stream: true,
  tools: true,
  streamedToolArguments: true,
  vision: true,
  jsonMode: true,
  jsonSchema: true,
  embeddings: true,
  completions: 'native',
  streamUsage: true,
  multipleChoices: true,
  seed: true,
};

export function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

export function configError(provider: string, field: string): ProviderError {
  return new ProviderError({
    category: 'bad_request',
    provider,
    code: 'invalid_provider_config',
    param: field,
    message: `provider ${provider} needs \`${field}\` in its configuration`,
  });
}

export function createOpenAICompatible<const TId extends string>(opts: OpenAICompatibleOptions<TId>): ProviderDefinition<TId> {
  const id = opts.id;
  const caps: Capabilities = { ...BASE_CAPABILITIES, ...opts.capabilities };
  const chatMapping = defineMapping<ChatRequest>(id, { ...openaiChatFields, ...opts.fields });
  const completionMapping = defineMapping<CompletionRequest>(id, openaiCompletionFields);
  const embeddingMapping = defineMapping<EmbeddingRequest>(id, openaiEmbeddingFields);
  const auth = opts.auth ?? 'bearer';
  const devAsSystem = opts.developerAsSystem ?? true;
  const streamOptions = opts.streamOptions ?? true;
  const url =
    opts.url ??
    ((endpoint: Endpoint, ctx: ProviderContext) =>
      `${ctx.config.baseUrl}/${endpoint === 'chat' ? 'chat/completions' : endpoint}`);

  function headers(ctx: ProviderContext): Record<string, string> {
    const h: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    const key = ctx.config.apiKey;
    if (key !== undefined && key !== '') {
      if (auth === 'api-key') h['api-key'] = key;
      else h['authorization'] = `Bearer ${key}`;
    }
    return h;
  }

  function post(ctx: ProviderContext, endpoint: Endpoint, model: string, body: unknown, stream: boolean): UpstreamRequest {
    const h = headers(ctx);
    if (stream) h['accept'] = 'text/event-stream';
    return { method: 'POST', url: url(endpoint, ctx, model), headers: h, body: JSON.stringify(body) };
  }

  function checkChat(req: ChatRequest): void {
    if (!caps.tools && req.tools !== undefined && req.tools.length > 0) throw unsupported(id, 'tools');
    const rf = req.response_format?.type;
    if (rf === 'json_object' && !caps.jsonMode) throw unsupported(id, 'response_format json_object');
    if (rf === 'json_schema' && !caps.jsonSchema) throw unsupported(id, 'response_format json_schema');
    if (!caps.multipleChoices && req.n != null && req.n > 1) throw unsupported(id, 'n > 1');
    if (!caps.vision) {
      for (const m of req.messages) {
        if (m.role === 'user' && Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url')) throw unsupported(id, 'image input');
      }
    }
  }

  return defineProvider<TId>({
    id,
    displayName: opts.displayName,
    capabilities: caps,
    resolveConfig(config) {
      const baseUrl = config.baseUrl ?? opts.defaultBaseUrl;
      if (baseUrl === undefined || baseUrl === '') throw configError(id, 'baseUrl');
      if (auth !== 'optional-bearer' && (config.apiKey === undefined || config.apiKey === '')) throw configError(id, 'apiKey');
      const resolved: ResolvedConfig = { ...config, baseUrl: trimSlash(baseUrl) };
      return opts.resolveConfig ? opts.resolveConfig(config, resolved) : resolved;
    },
    chat: {
      build(req, ctx, stream) {
        checkChat(req);
        const body: Record<string, unknown> = {
          model: req.model,
          messages: devAsSystem ? developerAsSystem(req.messages) : req.messages,
        };
        chatMapping.apply(req, body);
        if (stream) {
          body['stream'] = true;
          if (streamOptions) body['stream_options'] = { include_usage: true };
        }
        return post(ctx, 'chat', req.model, body, stream);
      },
      parse: (body) => parseOpenAIChat(id, body),
      stream: { framing: 'sse', create: (ctx) => new OpenAIChatStream(ctx.provider) },
    },
    embeddings: caps.embeddings
      ? {
          build(req, ctx) {
            const body: Record<string, unknown> = { model: req.model };
            embeddingMapping.apply(req, body);
            return [post(ctx, 'embeddings', req.model, body, false)];
          },
          parse: (bodies, req) => parseOpenAIEmbeddings(id, bodies[0], req.model),
        }
      : undefined,
    completions:
      caps.completions === 'native'
        ? {
            build(req, ctx, stream) {
              const body: Record<string, unknown> = { model: req.model };
              completionMapping.apply(req, body);
              if (stream) {
                body['stream'] = true;
                if (streamOptions) body['stream_options'] = { include_usage: true };
              }
              return post(ctx, 'completions', req.model, body, stream);
            },
            parse: (body) => parseOpenAICompletion(id, body),
            stream: { framing: 'sse', create: (ctx) => new OpenAICompletionStream(ctx.provider) },
          }
        : undefined,
    parseError: (res, ctx) => parseOpenAIError(ctx.provider, res),
  });
}
