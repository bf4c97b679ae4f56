/** The official @aws-sdk/client-bedrock-runtime accepts the Bedrock simulator (SigV4 verified, binary event stream). */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  ThrottlingException,
  ServiceUnavailableException,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEDROCK_SIM_CREDENTIALS, startSimulator } from '../../src/simulators';
import type { SimulatorHandle } from '../../src/simulators';

describe('@aws-sdk/client-bedrock-runtime ↔ bedrock simulator', () => {
  let sim: SimulatorHandle;
  let client: BedrockRuntimeClient;
  const modelId = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
  beforeAll(async () => {
    sim = await startSimulator({ provider: 'bedrock' });
    client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: sim.baseUrl, credentials: BEDROCK_SIM_CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await sim.close();
  });

  it('Converse (the simulator verified the SDK’s own SigV4 signature)', async () => {
    const res = await client.send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'hello bedrock' }] }], system: [{ text: 'sys' }] }));
    expect(res.output?.message?.content?.[0]?.text).toBe('You said: hello bedrock');
    expect(res.stopReason).toBe('end_turn');
    expect(res.usage?.outputTokens).toBe(4);
  });

  it('ConverseStream decodes the binary event stream, tool use included', async () => {
    const res = await client.send(
      new ConverseStreamCommand({
        modelId,
        messages: [{ role: 'user', content: [{ text: 'weather in Rome' }] }],
        toolConfig: { tools: [{ toolSpec: { name: 'weather', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }], toolChoice: { any: {} } },
      }),
    );
    let args = '';
    let name = '';
    let stop = '';
    let outputTokens = 0;
    for await (const ev of res.stream!) {
      if (ev.contentBlockStart?.start?.toolUse) name = ev.contentBlockStart.start.toolUse.name!;
      if (ev.contentBlockDelta?.delta?.toolUse) args += ev.contentBlockDelta.delta.toolUse.input;
      if (ev.messageStop) stop = ev.messageStop.stopReason!;
      if (ev.metadata) outputTokens = ev.metadata.usage!.outputTokens!;
    }
    expect(name).toBe('weather');
    expect(JSON.parse(args)).toEqual({ city: 'weather in Rome' });
    expect(stop).toBe('tool_use');
    expect(outputTokens).toBeGreaterThan(0);
  });

  it('text streaming', async () => {
    const res = await client.send(new ConverseStreamCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'stream it' }] }] }));
    let text = '';
    for await (const ev of res.stream!) text += ev.contentBlockDelta?.delta?.text ?? '';
    expect(text).toBe('You said: stream it');
  });

  it('InvokeModel for Titan embeddings', async () => {
    const res = await client.send(new InvokeModelCommand({ modelId: 'amazon.titan-embed-text-v2:0', contentType: 'application/json', body: JSON.stringify({ inputText: 'embed me', dimensions: 8 }) }));
    const body = JSON.parse(new TextDecoder().decode(res.body)) as { embedding: number[]; inputTextTokenCount: number };
    expect(body.embedding).toHaveLength(8);
    expect(body.inputTextTokenCount).toBeGreaterThan(0);
  });

  it('modeled errors: ThrottlingException over HTTP, serviceUnavailableException inside the stream', async () => {
    sim.script({ error: 'rate_limit' });
    const err = await client.send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'x' }] }] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottlingException);
    sim.script({ streamErrorAt: 2, error: 'overloaded' });
    const res = await client.send(new ConverseStreamCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'a b c d' }] }] }));
    const inStream = await (async () => {
      for await (const _ of res.stream!) void _;
    })().catch((e: unknown) => e);
    expect(inStream).toBeInstanceOf(ServiceUnavailableException);
  });

  it('rejects a bad signature the way AWS does', async () => {
    const bad = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: sim.baseUrl, credentials: { ...BEDROCK_SIM_CREDENTIALS, secretAccessKey: 'nope' }, maxAttempts: 1 });
    const err = await bad.send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'x' }] }] })).catch((e: unknown) => e);
    expect((err as Error).name).toBe('InvalidSignatureException');
    bad.destroy();
  });
});
