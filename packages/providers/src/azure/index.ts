/**
 * Azure OpenAI: OpenAI's wire format under
 * `{resource}/openai/deployments/{deployment}/{endpoint}?api-version=…`
 * with an `api-key` header. The deployment comes from the config, or else
 * from the request's model.
 */
import { createOpenAICompatible } from '../openai-compatible/factory';

export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

export const azure = createOpenAICompatible({
  id: 'azure',
  displayName: 'Azure OpenAI',
  auth: 'api-key',
  capabilities: { embeddingsBase64: true },
  url(endpoint, ctx, model) {
    const deployment = encodeURIComponent(ctx.config.deployment ?? model);
    const path = endpoint === 'chat' ? 'chat/completions' : endpoint;
    return `${ctx.config.baseUrl}/openai/deployments/${deployment}/${path}?api-version=${encodeURIComponent(ctx.config.apiVersion ?? AZURE_DEFAULT_API_VERSION)}`;
  },
  fields: {
    // Not accepted by the GA api-version; harmless to leave out.
    store: { drop: 'not in Azure GA api-version' },
    metadata: { drop: 'not in Azure GA api-version' },
    service_tier: { drop: 'Azure has no service tiers per request' },
  },
  resolveConfig: (_config, resolved) => ({ ...resolved, apiVersion: resolved.apiVersion ?? AZURE_DEFAULT_API_VERSION }),
});
