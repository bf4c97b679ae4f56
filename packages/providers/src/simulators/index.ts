/**
 * Upstream simulators: local HTTP servers speaking each provider's real wire
 * format, deterministic and scriptable per request. Used by this package's
 * tests, the gateway's tests, the built-in demo provider and the bench.
 *
 *   const sim = await startSimulator({ provider: 'openai' });
 *   createProvider({ type: 'openai', baseUrl: sim.baseUrl, apiKey: 'sk-sim' });
 *   sim.script({ error: 'rate_limit', retryAfter: 2 });   // next request gets a 429
 *   await sim.close();
 *
 * Per request, without the handle: header `x-sim-scenario: error=overloaded`
 * or `[[sim:cut_after=3]]` anywhere in the prompt.
 */
import { serve } from './server';
import type { ServeOptions, SimProtocol, SimulatorHandle } from './server';
import { openaiProtocol } from './protocols/openai';
import { anthropicProtocol } from './protocols/anthropic';
import { geminiProtocol } from './protocols/gemini';
import { ollamaProtocol } from './protocols/ollama';
import { bedrockProtocol } from './protocols/bedrock';

export { BEDROCK_SIM_CREDENTIALS } from './protocols/bedrock';

export type { SimulatorHandle, RecordedRequest, SimProtocol } from './server';
export type { SimScenario, SimErrorKind } from './scenario';
export { SIM_ERROR_KINDS, parseScenario, scenarioFromText } from './scenario';
export { answer as simulatedAnswer } from './engine';

interface SimEntry {
  protocol: () => SimProtocol;
  basePath: string;
}

const simulators = {
  openai: { protocol: () => openaiProtocol('openai'), basePath: '/v1' },
  'openai-compatible': { protocol: () => openaiProtocol('openai', { authOptional: true }), basePath: '/v1' },
  azure: { protocol: () => openaiProtocol('azure'), basePath: '' },
  mistral: { protocol: () => openaiProtocol('mistral'), basePath: '/v1' },
  anthropic: { protocol: anthropicProtocol, basePath: '' },
  gemini: { protocol: geminiProtocol, basePath: '' },
  ollama: { protocol: ollamaProtocol, basePath: '' },
  bedrock: { protocol: () => bedrockProtocol(), basePath: '' },
} as const satisfies Record<string, SimEntry>;

export type SimulatedProvider = keyof typeof simulators;
export const simulatedProviders = Object.keys(simulators) as SimulatedProvider[];

export interface StartSimulatorOptions {
  provider: SimulatedProvider;
  /** 0 (default) = a random free port. */
  port?: number;
  host?: string;
}

export function startSimulator(options: StartSimulatorOptions): Promise<SimulatorHandle> {
  const entry: SimEntry = simulators[options.provider];
  if (entry === undefined) throw new Error(`no simulator for provider "${String(options.provider)}"`);
  const serveOptions: ServeOptions = { port: options.port ?? 0, basePath: entry.basePath };
  if (options.host !== undefined) serveOptions.host = options.host;
  return serve(entry.protocol(), serveOptions);
}
