/**
 * What a provider folder exports: a `ProviderDefinition` — capabilities plus
 * pure translators (build upstream request, parse response, per-request stream
 * state, map errors). The shared runtime (`adapter.ts`) does the HTTP.
 */
import type { ProviderError } from './errors';
import type { SseEvent } from '../http/sse';
import type { EventStreamMessage } from '../http/eventstream';
import type { ResponseHeaders, Timeouts, UpstreamRequest } from '../http/client';
import type {
  ChatChunk,
  ChatRequest,
  ChatResponse,
  CompletionRequest,
  CompletionResponse,
  EmbeddingRequest,
  EmbeddingResponse,
} from './types';

export interface Capabilities {
  /** Streaming chat. */
  stream: boolean;
  /** Function tools and tool_choice. */
  tools: boolean;
  /** Tool-call arguments arrive in fragments (vs whole per chunk). Informational. */
  streamedToolArguments: boolean;
  /** Image parts in user messages. */
  vision: boolean;
  /** `response_format: json_object`. */
  jsonMode: boolean;
  /** `response_format: json_schema`. */
  jsonSchema: boolean;
  embeddings: boolean;
  /**
   * The upstream itself answers `encoding_format: base64` (OpenAI, Azure). Otherwise the
   * runtime asks it for floats and encodes them, so callers get the encoding they asked for
   * from every provider (the official OpenAI SDK asks for base64 unless told otherwise).
   */
  embeddingsBase64?: boolean;
  /** `native`: a completions endpoint; `chat`: legacy completions are mapped onto chat. */
  completions: 'native' | 'chat';
  /** Reports usage in streams (otherwise counted with the tokenizer). */
  streamUsage: boolean;
  /** `n > 1` choices. */
  multipleChoices: boolean;
  seed: boolean;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** What the gateway stores per deployment and passes to `createProvider`. */
export interface ProviderConfig<TType extends string = string> {
  type: TType;
  /** Upstream base URL; defaults to the provider's public endpoint. */
  baseUrl?: string;
  apiKey?: string;
  /** AWS credentials (Bedrock). */
  credentials?: AwsCredentials;
  /** AWS region (Bedrock). */
  region?: string;
  /** Azure `api-version`, Anthropic `anthropic-version`. */
  apiVersion?: string;
  /** Azure deployment name (defaults to the request's model). */
  deployment?: string;
  /** Extra headers sent upstream on every call (e.g. OpenAI-Organization). */
  headers?: Record<string, string>;
  /** Default timeouts for this deployment; per-call timeouts override. */
  timeouts?: Timeouts;
}

/** Config after defaults and validation. */
export interface ResolvedConfig extends ProviderConfig {
  baseUrl: string;
}

/** Fixed per adapter instance; never allocated per request. */
export interface ProviderContext {
  readonly provider: string;
  readonly config: ResolvedConfig;
}

export interface FrameTypes {
  sse: SseEvent;
  ndjson: string;
  eventstream: EventStreamMessage;
}
export type Framing = keyof FrameTypes;

/** Per-request stream state: upstream events in, unified chunks out. */
export interface StreamState<E, T> {
  /** Handles one upstream event, pushing 0..n unified chunks to `out`. Throws ProviderError on error events / malformed data. */
  event(e: E, out: T[]): void;
  /** Upstream closed. Emits what remains; throws `stream_truncated` if the upstream never finished. */
  end(out: T[]): void;
}

export type StreamSpec<TReq, T> = {
  [F in Framing]: { framing: F; create(ctx: ProviderContext, req: TReq): StreamState<FrameTypes[F], T> };
}[Framing];

export interface ChatSpec {
  build(req: ChatRequest, ctx: ProviderContext, stream: boolean): UpstreamRequest;
  parse(body: unknown, req: ChatRequest, ctx: ProviderContext): ChatResponse;
  stream: StreamSpec<ChatRequest, ChatChunk>;
}

export interface EmbeddingSpec {
  /** One or more upstream calls (providers that embed one input per call). */
  build(req: EmbeddingRequest, ctx: ProviderContext): UpstreamRequest[];
  parse(bodies: unknown[], req: EmbeddingRequest, ctx: ProviderContext): EmbeddingResponse;
}

export interface CompletionSpec {
  build(req: CompletionRequest, ctx: ProviderContext, stream: boolean): UpstreamRequest;
  parse(body: unknown, req: CompletionRequest, ctx: ProviderContext): CompletionResponse;
  stream: StreamSpec<CompletionRequest, CompletionResponse>;
}

export interface UpstreamErrorResponse {
  status: number;
  headers: ResponseHeaders;
  /** Parsed JSON when the body was JSON, else the raw text. */
  body: unknown;
}

export interface ProviderDefinition<TId extends string = string> {
  readonly id: TId;
  readonly displayName: string;
  readonly capabilities: Capabilities;
  /** Validates config and fills defaults. Throws ProviderError (bad_request) on a missing field. */
  resolveConfig(config: ProviderConfig): ResolvedConfig;
  readonly chat: ChatSpec;
  readonly embeddings?: EmbeddingSpec;
  /** Native legacy completions; absent → mapped onto chat. */
  readonly completions?: CompletionSpec;
  /** Maps an upstream HTTP error to a typed error. */
  parseError(res: UpstreamErrorResponse, ctx: ProviderContext): ProviderError;
  /** Async request signing (Bedrock SigV4), after headers are final. */
  sign?(req: UpstreamRequest, ctx: ProviderContext): Promise<UpstreamRequest>;
}

/** Identity helper that keeps the literal id type. */
export function defineProvider<const TId extends string>(def: ProviderDefinition<TId>): ProviderDefinition<TId> {
  return def;
}
