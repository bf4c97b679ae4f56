/**
 * AWS Bedrock Runtime: Converse / ConverseStream for chat, InvokeModel for
 * embeddings (Titan, Cohere). Requests are SigV4-signed with Smithy's
 * maintained signer; a Bedrock API key (bearer) works too.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { defineProvider } from '../core/definition';
import type { ProviderContext, ResolvedConfig } from '../core/definition';
import type { UpstreamRequest } from '../http/client';
import { configError, trimSlash } from '../openai-compatible/factory';
import { BEDROCK_ID, buildConverseBody, embeddingBodies } from './request';
import { parseConverse, parseEmbeddings } from './response';
import { ConverseStreamState } from './stream';
import { parseBedrockError } from './errors';

const signers = new WeakMap<ResolvedConfig, SignatureV4>();

function signerFor(config: ResolvedConfig): SignatureV4 | undefined {
  if (config.credentials === undefined) return undefined;
  let s = signers.get(config);
  if (s === undefined) {
    s = new SignatureV4({ service: 'bedrock', region: config.region ?? 'us-east-1', credentials: config.credentials, sha256: Sha256 });
    signers.set(config, s);
  }
  return s;
}

function post(ctx: ProviderContext, path: string, body: unknown, accept: string): UpstreamRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept };
  if (ctx.config.credentials === undefined && ctx.config.apiKey !== undefined) headers['authorization'] = `Bearer ${ctx.config.apiKey}`;
  return { method: 'POST', url: `${ctx.config.baseUrl}${path}`, headers, body: JSON.stringify(body) };
}

function modelPath(model: string, action: string): string {
  return `/model/${encodeURIComponent(model)}/${action}`;
}

export const bedrock = defineProvider({
  id: BEDROCK_ID,
  displayName: 'AWS Bedrock',
  capabilities: {
    stream: true,
    tools: true,
    streamedToolArguments: true,
    vision: true,
    jsonMode: true, // via system instruction
    jsonSchema: true, // via system instruction carrying the schema
    embeddings: true,
    completions: 'chat',
    streamUsage: true,
    multipleChoices: false,
    seed: false,
  },
  resolveConfig(config) {
    if (config.credentials === undefined && (config.apiKey === undefined || config.apiKey === '')) throw configError(BEDROCK_ID, 'credentials (or apiKey)');
    if (config.region === undefined && config.baseUrl === undefined) throw configError(BEDROCK_ID, 'region');
    const region = config.region ?? 'us-east-1';
    return { ...config, region, baseUrl: trimSlash(config.baseUrl ?? `https://bedrock-runtime.${region}.amazonaws.com`) };
  },
  chat: {
    build(req, ctx, stream) {
      return post(ctx, modelPath(req.model, stream ? 'converse-stream' : 'converse'), buildConverseBody(req), stream ? 'application/vnd.amazon.eventstream' : 'application/json');
    },
    parse: (body, req, ctx) => parseConverse(ctx.provider, body, req.model),
    stream: { framing: 'eventstream', create: (ctx, req) => new ConverseStreamState(ctx.provider, req) },
  },
  embeddings: {
    build(req, ctx) {
      return embeddingBodies(req).map((b) => post(ctx, modelPath(req.model, 'invoke'), b, 'application/json'));
    },
    parse: (bodies, req, ctx) => parseEmbeddings(ctx.provider, bodies, req.model),
  },
  parseError: (res, ctx) => parseBedrockError(ctx.provider, res),
  async sign(req, ctx) {
    const signer = signerFor(ctx.config);
    if (signer === undefined) return req;
    const url = new URL(req.url);
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => (query[k] = v));
    const headers: Record<string, string> = { ...req.headers, host: url.host };
    const signed = await signer.sign({
      method: req.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      query,
      headers,
      body: req.body,
    });
    return { ...req, headers: signed.headers };
  },
});
