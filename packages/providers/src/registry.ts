/**
 * The provider registry: one line per provider. `ProviderId` is derived from
 * its keys, and the type check below proves every definition's id equals its key.
 */
import { ProviderAdapter } from './core/adapter';
import { ProviderError } from './core/errors';
import type { ProviderConfig, ProviderDefinition } from './core/definition';
import { openai } from './openai';
import { azure } from './azure';
import { mistral } from './mistral';
import { anthropic } from './anthropic';
import { gemini } from './gemini';
import { ollama } from './ollama';
import { bedrock } from './bedrock';
import { deepseek, groq, lmstudio, openaiCompatible, together, vllm } from './openai-compatible';

const registry = {
  openai,
  azure,
  mistral,
  anthropic,
  gemini,
  ollama,
  bedrock,
  'openai-compatible': openaiCompatible,
  vllm,
  lmstudio,
  together,
  groq,
  deepseek,
} as const;

export type ProviderId = keyof typeof registry;

/** Every provider definition keyed by its id. */
export const providers: { readonly [K in ProviderId]: ProviderDefinition<K> } = registry;

export const providerIds = Object.keys(providers) as ProviderId[];

export function isProviderId(value: string): value is ProviderId {
  return Object.prototype.hasOwnProperty.call(providers, value);
}

/**
 * Creates an adapter for one deployment. Throws ProviderError (bad_request,
 * `invalid_provider_config`) for an unknown type or a missing field.
 */
export function createProvider<T extends ProviderId>(config: ProviderConfig<T>): ProviderAdapter<T> {
  const type: string = config.type;
  if (!isProviderId(type)) {
    throw new ProviderError({
      category: 'bad_request',
      provider: type,
      code: 'invalid_provider_config',
      param: 'type',
      message: `unknown provider type "${type}" (known: ${providerIds.join(', ')})`,
    });
  }
  const definition = providers[config.type] as ProviderDefinition<T>;
  return new ProviderAdapter<T>(definition, definition.resolveConfig(config));
}
