import type { ModelKind, ProviderType } from '../generated/prisma/client';

export interface CatalogueModel {
  /** public name clients send */
  name: string;
  /** name the upstream knows; defaults to name */
  upstream?: string;
  kind: ModelKind;
  displayName: string;
  /** USD per million tokens: input, output, cached input */
  price: [number, number, number];
  contextWindow?: number;
  requiresApproval?: boolean;
}

export interface CatalogueProvider {
  slug: string;
  name: string;
  type: ProviderType;
  /** environment variable holding the secret (none for Ollama and the simulator) */
  keyVar?: string;
  /** environment variable holding the base URL / endpoint */
  urlVar?: string;
  /** the variable that must be set for this provider to be configured */
  enabledBy: string[];
  defaultBaseUrl: string;
  config?: Record<string, unknown>;
  models: CatalogueModel[];
}

/** List prices (USD / 1M tokens) of each provider's usual models, as published by the providers. */
export const PROVIDER_CATALOGUE: CatalogueProvider[] = [
  {
    slug: 'openai',
    name: 'OpenAI',
    type: 'openai',
    keyVar: 'OPENAI_API_KEY',
    urlVar: 'OPENAI_BASE_URL',
    enabledBy: ['OPENAI_API_KEY', 'OPENAI_BASE_URL'],
    defaultBaseUrl: 'https://api.openai.com/v1',
    models: [
      { name: 'gpt-4o', kind: 'chat', displayName: 'GPT-4o', price: [2.5, 10, 1.25], contextWindow: 128000 },
      { name: 'gpt-4o-mini', kind: 'chat', displayName: 'GPT-4o mini', price: [0.15, 0.6, 0.075], contextWindow: 128000 },
      { name: 'gpt-4.1', kind: 'chat', displayName: 'GPT-4.1', price: [2, 8, 0.5], contextWindow: 1047576 },
      { name: 'gpt-4.1-mini', kind: 'chat', displayName: 'GPT-4.1 mini', price: [0.4, 1.6, 0.1], contextWindow: 1047576 },
      { name: 'text-embedding-3-small', kind: 'embedding', displayName: 'Text Embedding 3 Small', price: [0.02, 0, 0] },
      { name: 'text-embedding-3-large', kind: 'embedding', displayName: 'Text Embedding 3 Large', price: [0.13, 0, 0] },
    ],
  },
  {
    slug: 'azure-openai',
    name: 'Azure OpenAI',
    type: 'azure_openai',
    keyVar: 'AZURE_OPENAI_API_KEY',
    urlVar: 'AZURE_OPENAI_ENDPOINT',
    enabledBy: ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT'],
    defaultBaseUrl: '',
    config: { apiVersion: '2024-10-21' },
    // Azure deployments are named by their owner; the usual convention is the model's name.
    models: [
      { name: 'gpt-4o', kind: 'chat', displayName: 'GPT-4o', price: [2.5, 10, 1.25], contextWindow: 128000 },
      { name: 'gpt-4o-mini', kind: 'chat', displayName: 'GPT-4o mini', price: [0.15, 0.6, 0.075], contextWindow: 128000 },
      { name: 'text-embedding-3-small', kind: 'embedding', displayName: 'Text Embedding 3 Small', price: [0.02, 0, 0] },
    ],
  },
  {
    slug: 'anthropic',
    name: 'Anthropic',
    type: 'anthropic',
    keyVar: 'ANTHROPIC_API_KEY',
    urlVar: 'ANTHROPIC_BASE_URL',
    enabledBy: ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL'],
    defaultBaseUrl: 'https://api.anthropic.com',
    models: [
      { name: 'claude-sonnet-4-5', kind: 'chat', displayName: 'Claude Sonnet 4.5', price: [3, 15, 0.3], contextWindow: 200000 },
      { name: 'claude-haiku-4-5', kind: 'chat', displayName: 'Claude Haiku 4.5', price: [1, 5, 0.1], contextWindow: 200000 },
      {
        name: 'claude-opus-4-1',
        kind: 'chat',
        displayName: 'Claude Opus 4.1',
        price: [15, 75, 1.5],
        contextWindow: 200000,
        requiresApproval: true,
      },
    ],
  },
  {
    slug: 'gemini',
    name: 'Google Gemini',
    type: 'gemini',
    keyVar: 'GEMINI_API_KEY',
    urlVar: 'GEMINI_BASE_URL',
    enabledBy: ['GEMINI_API_KEY', 'GEMINI_BASE_URL'],
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    models: [
      { name: 'gemini-2.5-flash', kind: 'chat', displayName: 'Gemini 2.5 Flash', price: [0.3, 2.5, 0.075], contextWindow: 1048576 },
      { name: 'gemini-2.5-pro', kind: 'chat', displayName: 'Gemini 2.5 Pro', price: [1.25, 10, 0.31], contextWindow: 1048576 },
      { name: 'gemini-embedding-001', kind: 'embedding', displayName: 'Gemini Embedding', price: [0.15, 0, 0] },
    ],
  },
  {
    slug: 'mistral',
    name: 'Mistral',
    type: 'mistral',
    keyVar: 'MISTRAL_API_KEY',
    urlVar: 'MISTRAL_BASE_URL',
    enabledBy: ['MISTRAL_API_KEY', 'MISTRAL_BASE_URL'],
    defaultBaseUrl: 'https://api.mistral.ai/v1',
    models: [
      { name: 'mistral-large-latest', kind: 'chat', displayName: 'Mistral Large', price: [2, 6, 0], contextWindow: 131072 },
      { name: 'mistral-small-latest', kind: 'chat', displayName: 'Mistral Small', price: [0.1, 0.3, 0], contextWindow: 131072 },
      { name: 'mistral-embed', kind: 'embedding', displayName: 'Mistral Embed', price: [0.1, 0, 0] },
    ],
  },
  {
    slug: 'ollama',
    name: 'Ollama',
    type: 'ollama',
    urlVar: 'OLLAMA_BASE_URL',
    enabledBy: ['OLLAMA_BASE_URL'],
    defaultBaseUrl: 'http://127.0.0.1:11434',
    models: [
      { name: 'llama3.2', kind: 'chat', displayName: 'Llama 3.2 (local)', price: [0, 0, 0], contextWindow: 131072 },
      { name: 'nomic-embed-text', kind: 'embedding', displayName: 'Nomic Embed Text (local)', price: [0, 0, 0] },
    ],
  },
];

/** Served by the built-in simulator when no provider is configured, so the platform answers out of the box. */
export const SIMULATOR_PROVIDER: CatalogueProvider = {
  slug: 'simulator',
  name: 'Built-in simulator',
  type: 'simulator',
  enabledBy: [],
  defaultBaseUrl: 'builtin:simulator',
  config: { wireFormat: 'openai' },
  models: [
    { name: 'demo-chat', upstream: 'sim-chat', kind: 'chat', displayName: 'Demo chat (simulated)', price: [0.5, 1.5, 0.25], contextWindow: 128000 },
    { name: 'demo-chat-mini', upstream: 'sim-chat-mini', kind: 'chat', displayName: 'Demo chat mini (simulated)', price: [0.1, 0.4, 0.05], contextWindow: 128000 },
    {
      name: 'demo-reasoning',
      upstream: 'sim-reasoning',
      kind: 'chat',
      displayName: 'Demo reasoning (simulated, requires approval)',
      price: [5, 20, 2.5],
      contextWindow: 200000,
      requiresApproval: true,
    },
    { name: 'demo-embedding', upstream: 'sim-embedding', kind: 'embedding', displayName: 'Demo embedding (simulated)', price: [0.02, 0, 0] },
  ],
};
