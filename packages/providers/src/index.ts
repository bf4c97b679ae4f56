/**
 * @conduit/providers — provider adapters for the Conduit gateway.
 *
 *   const adapter = createProvider({ type: 'openai', apiKey, baseUrl? });
 *   const res = await adapter.chat(req, { signal, timeouts, requestId });
 *   for await (const chunk of adapter.chatStream(req, opts)) …   // last chunk: choices [] + usage
 *   await adapter.embed(req, opts); await adapter.complete(req, opts);
 *
 * Errors are thrown as `ProviderError` (category, retryable, retryAfterMs).
 */
export * from './core/types';
export {
  ProviderError,
  PROVIDER_ERROR_CATEGORIES,
  CATEGORY_HTTP_STATUS,
  isProviderError,
  parseRetryAfter,
} from './core/errors';
export type { ProviderErrorCategory, ProviderErrorInit } from './core/errors';
export { ProviderAdapter } from './core/adapter';
export type { CallOptions } from './core/adapter';
export { defineProvider } from './core/definition';
export type {
  Capabilities,
  ProviderConfig,
  ProviderDefinition,
  ResolvedConfig,
  AwsCredentials,
  StreamState,
  StreamSpec,
} from './core/definition';
export { defineMapping } from './core/mapping';
export type { FieldRule, FieldRules, Mapping } from './core/mapping';
export { providers, providerIds, isProviderId, createProvider } from './registry';
export type { ProviderId } from './registry';
export { createOpenAICompatible } from './openai-compatible/factory';
export type { OpenAICompatibleOptions } from './openai-compatible/factory';
export { closePools, configurePools, poolCount, DEFAULT_TIMEOUTS } from './http/client';
export type { Timeouts, PoolOptions } from './http/client';
export { LightAbortController, LightAbortSignal } from './http/abort';
export type { AbortSignalLike } from './http/abort';
export { SseParser, NdjsonParser } from './http/sse';
export type { SseEvent } from './http/sse';
export { accumulateChatStream } from './core/accumulate';
export { countTokens, countPromptTokens, loadTokenizer } from './usage/tokenizer';
export { PriceTable, computeCost, defaultPrices } from './usage/pricing';
export type { ModelPrice, Cost } from './usage/pricing';

/**
 * Upstream simulators (also at `@conduit/providers/simulators`). Under the
 * root vitest alias only the main entry resolves, so tests use this namespace.
 */
export * as simulators from './simulators';
export { startSimulator } from './simulators';
export type { SimulatorHandle, SimScenario, SimErrorKind, SimulatedProvider } from './simulators';
