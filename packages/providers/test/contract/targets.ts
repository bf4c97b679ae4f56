/**
 * Every adapter under contract, each paired with its simulator. Adding a
 * provider = one entry here (plus its folder and registry line).
 */
import type { ProviderConfig, ProviderId } from '../../src';
import { BEDROCK_SIM_CREDENTIALS } from '../../src/simulators';
import type { SimulatedProvider, SimulatorHandle } from '../../src/simulators';

export interface ContractTarget {
  provider: ProviderId;
  simulator: SimulatedProvider;
  config(sim: SimulatorHandle): ProviderConfig<ProviderId>;
  chatModel: string;
  embeddingModel?: string;
  /** Expected error category for each simulated error kind, where the provider's semantics differ. */
  errorOverrides?: Partial<Record<string, string>>;
  /** The provider reports a retry delay on 429 (header or body). Default true. */
  reportsRetryAfter?: boolean;
  /** tool_choice `required` / named tool is supported. Default true. */
  forcedToolChoice?: boolean;
  /** Which token details the provider reports. Default both. */
  tokenDetails?: Array<'cached' | 'reasoning'>;
  /** How the provider signals filtered content: a thrown content_filter error (default) or finish_reason. */
  contentFilter?: 'error' | 'finish_reason';
}

export const targets: ContractTarget[] = [
  {
    provider: 'openai',
    simulator: 'openai',
    config: (sim) => ({ type: 'openai', baseUrl: sim.baseUrl, apiKey: 'sk-sim' }),
    chatModel: 'gpt-4o-mini',
    embeddingModel: 'text-embedding-3-small',
  },
  {
    provider: 'azure',
    simulator: 'azure',
    config: (sim) => ({ type: 'azure', baseUrl: sim.baseUrl, apiKey: 'azure-key', deployment: 'my-gpt4o' }),
    chatModel: 'gpt-4o',
    embeddingModel: 'text-embedding-3-small',
  },
  {
    provider: 'mistral',
    simulator: 'mistral',
    config: (sim) => ({ type: 'mistral', baseUrl: sim.baseUrl, apiKey: 'mistral-key' }),
    chatModel: 'mistral-small-latest',
    tokenDetails: [],
    embeddingModel: 'mistral-embed',
  },
  {
    provider: 'openai-compatible',
    simulator: 'openai-compatible',
    config: (sim) => ({ type: 'openai-compatible', baseUrl: sim.baseUrl, apiKey: 'local' }),
    chatModel: 'meta-llama/Llama-3.1-8B-Instruct',
    embeddingModel: 'bge-small',
  },
  {
    provider: 'anthropic',
    simulator: 'anthropic',
    config: (sim) => ({ type: 'anthropic', baseUrl: sim.baseUrl, apiKey: 'sk-ant-sim' }),
    chatModel: 'claude-sonnet-4-5',
  },
  {
    provider: 'gemini',
    simulator: 'gemini',
    config: (sim) => ({ type: 'gemini', baseUrl: sim.baseUrl, apiKey: 'AIza-sim' }),
    chatModel: 'gemini-2.5-flash',
    embeddingModel: 'gemini-embedding-001',
  },
  {
    provider: 'ollama',
    simulator: 'ollama',
    config: (sim) => ({ type: 'ollama', baseUrl: sim.baseUrl }),
    chatModel: 'llama3.2',
    embeddingModel: 'nomic-embed-text',
    errorOverrides: { content_filter: 'bad_request' }, // Ollama has no content filter
    reportsRetryAfter: false,
    forcedToolChoice: false,
    tokenDetails: [],
  },
  {
    provider: 'bedrock',
    simulator: 'bedrock',
    config: (sim) => ({ type: 'bedrock', baseUrl: sim.baseUrl, region: 'eu-west-1', credentials: BEDROCK_SIM_CREDENTIALS }),
    chatModel: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    embeddingModel: 'amazon.titan-embed-text-v2:0',
    reportsRetryAfter: false,
    contentFilter: 'finish_reason',
    tokenDetails: ['cached'],
  },
  // OpenAI-compatible presets from the same factory, capability flags exercised.
  {
    provider: 'groq',
    simulator: 'openai-compatible',
    config: (sim) => ({ type: 'groq', baseUrl: sim.baseUrl, apiKey: 'gsk-sim' }),
    chatModel: 'llama-3.1-8b-instant',
  },
  {
    provider: 'deepseek',
    simulator: 'openai-compatible',
    config: (sim) => ({ type: 'deepseek', baseUrl: sim.baseUrl, apiKey: 'sk-ds' }),
    chatModel: 'deepseek-chat',
  },
  {
    provider: 'vllm',
    simulator: 'openai-compatible',
    config: (sim) => ({ type: 'vllm', baseUrl: sim.baseUrl }),
    chatModel: 'Qwen/Qwen2.5-7B-Instruct',
    embeddingModel: 'BAAI/bge-m3',
  },
];
