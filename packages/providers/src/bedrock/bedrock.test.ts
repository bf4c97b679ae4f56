import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvider, ProviderError } from '../index';
import { BEDROCK_SIM_CREDENTIALS, startSimulator } from '../simulators';
import type { SimulatorHandle } from '../simulators';
import { buildConverseBody } from './request';

describe('bedrock against its simulator', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ provider: 'bedrock' });
  });
  afterAll(() => sim.close());

  it('signs with SigV4: the simulator verifies the signature, model ids with ":" included', async () => {
    const adapter = createProvider({ type: 'bedrock', baseUrl: sim.baseUrl, region: 'us-west-2', credentials: BEDROCK_SIM_CREDENTIALS });
    const res = await adapter.chat({ model: 'anthropic.claude-3-5-sonnet-20240620-v1:0', messages: [{ role: 'user', content: 'signed' }] }, { requestId: 'r-1' });
    expect(res.choices[0]!.message.content).toBe('You said: signed');
    const seen = sim.requests.at(-1)!;
    expect(seen.path).toBe('/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse');
    expect(seen.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDCONDUITSIM\/\d{8}\/us-west-2\/bedrock\/aws4_request/);
  });

  it('a wrong secret is rejected by signature verification and mapped to auth', async () => {
    const adapter = createProvider({
      type: 'bedrock',
      baseUrl: sim.baseUrl,
      region: 'us-west-2',
      credentials: { accessKeyId: BEDROCK_SIM_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong' },
    });
    const err = await adapter.chat({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).category).toBe('auth');
    expect((err as ProviderError).code).toBe('InvalidSignatureException');
    expect((err as ProviderError).retryable).toBe(false);
  });

  it('accepts a Bedrock API key as bearer token', async () => {
    const adapter = createProvider({ type: 'bedrock', baseUrl: sim.baseUrl, region: 'us-east-1', apiKey: 'bedrock-api-key' });
    const res = await adapter.chat({ model: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: 'key' }] });
    expect(res.choices[0]!.message.content).toBe('You said: key');
    expect(sim.requests.at(-1)!.headers['authorization']).toBe('Bearer bedrock-api-key');
  });

  it('embeds a batch with Cohere in one call and Titan with one call per input', async () => {
    const adapter = createProvider({ type: 'bedrock', baseUrl: sim.baseUrl, region: 'us-east-1', credentials: BEDROCK_SIM_CREDENTIALS });
    sim.reset();
    const cohere = await adapter.embed({ model: 'cohere.embed-english-v3', input: ['a', 'b', 'c'] });
    expect(cohere.data).toHaveLength(3);
    expect(sim.requests).toHaveLength(1);
    const titan = await adapter.embed({ model: 'amazon.titan-embed-text-v2:0', input: ['a', 'b'], dimensions: 8 });
    expect(titan.data.map((d) => (d.embedding as number[]).length)).toEqual([8, 8]);
    expect(sim.requests).toHaveLength(3);
    expect(titan.usage.prompt_tokens).toBe(2);
  });
});

describe('bedrock request mapping', () => {
  it('puts tool results in a user turn and declares tools; JSON schema becomes an instruction', () => {
    const body = buildConverseBody({
      model: 'm',
      temperature: 1.5,
      max_completion_tokens: 100,
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: { a: { type: 'string' } } } } },
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      tool_choice: 'required',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 't', content: '{"ok":true}' },
      ],
    });
    expect(body['inferenceConfig']).toEqual({ temperature: 1, maxTokens: 100 });
    expect(body['toolConfig']).toEqual({ tools: [{ toolSpec: { name: 'f', inputSchema: { json: { type: 'object' } } } }], toolChoice: { any: {} } });
    expect((body['messages'] as unknown[])[2]).toEqual({ role: 'user', content: [{ toolResult: { toolUseId: 't', content: [{ json: { ok: true } }] } }] });
    expect((body['system'] as Array<{ text: string }>)[0]!.text).toContain('JSON schema: {"type":"object"');
  });

  it('rejects image URLs (Converse needs bytes) naming the feature', () => {
    expect(() =>
      buildConverseBody({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] }),
    ).toThrowError('image URLs is not supported by provider bedrock');
  });
});
