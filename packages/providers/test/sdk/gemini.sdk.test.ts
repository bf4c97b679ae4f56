/** The official @google/genai SDK accepts the Gemini simulator's answers, streams included. */
import { ApiError, FunctionCallingConfigMode, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulators';
import type { SimulatorHandle } from '../../src/simulators';

describe('@google/genai ↔ gemini simulator', () => {
  let sim: SimulatorHandle;
  let ai: GoogleGenAI;
  beforeAll(async () => {
    sim = await startSimulator({ provider: 'gemini' });
    ai = new GoogleGenAI({ apiKey: 'AIza-sim', httpOptions: { baseUrl: sim.baseUrl } });
  });
  afterAll(() => sim.close());

  it('models.generateContent', async () => {
    const res = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hello gemini', config: { systemInstruction: 'be brief' } });
    expect(res.text).toBe('You said: hello gemini');
    expect(res.usageMetadata!.candidatesTokenCount).toBe(4);
    expect(res.candidates![0]!.finishReason).toBe('STOP');
    expect(sim.requests.at(-1)!.headers['x-goog-api-key']).toBe('AIza-sim');
  });

  it('generateContentStream', async () => {
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'stream gemini please' });
    let text = '';
    let last;
    for await (const chunk of stream) {
      text += chunk.text ?? '';
      last = chunk;
    }
    expect(text).toBe('You said: stream gemini please');
    expect(last!.usageMetadata!.totalTokenCount).toBeGreaterThan(0);
  });

  it('function calling with a forced tool', async () => {
    const res = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'turn on the lights',
      config: {
        tools: [{ functionDeclarations: [{ name: 'set_light', parametersJsonSchema: { type: 'object', properties: { on: { type: 'boolean' }, room: { type: 'string' } } } }] }],
        toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } },
      },
    });
    expect(res.functionCalls).toEqual([{ name: 'set_light', args: { on: true, room: 'turn on the lights' } }]);
  });

  it('JSON mode with a schema', async () => {
    const res = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'json please',
      config: { responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
    });
    expect(JSON.parse(res.text!)).toEqual({ ok: false });
  });

  it('embedContent (batchEmbedContents on the wire)', async () => {
    const res = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: ['first', 'second'], config: { outputDimensionality: 8 } });
    expect(res.embeddings).toHaveLength(2);
    expect(res.embeddings![0]!.values).toHaveLength(8);
    expect(sim.requests.at(-1)!.path).toContain(':batchEmbedContents');
  });

  it('errors come back as ApiError with the HTTP status', async () => {
    sim.script({ error: 'rate_limit', retryAfter: 30 });
    const err = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(429);
    expect((err as ApiError).message).toContain('RESOURCE_EXHAUSTED');
    sim.script({ error: 'auth' });
    const auth = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' }).catch((e: unknown) => e);
    expect((auth as ApiError).status).toBe(400);
    expect((auth as ApiError).message).toContain('API key not valid');
  });
});
