/** OpenAI (api.openai.com): the reference dialect of the OpenAI-compatible factory. */
import { createOpenAICompatible } from '../openai-compatible/factory';

export const openai = createOpenAICompatible({
  id: 'openai',
  displayName: 'OpenAI',
  defaultBaseUrl: 'https://api.openai.com/v1',
  auth: 'bearer',
  developerAsSystem: false,
  capabilities: { embeddingsBase64: true },
});
