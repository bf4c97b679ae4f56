/**
 * Unified chat → Gemini `generateContent`. System turns → systemInstruction;
 * assistant → role `model` with functionCall parts; tool turns → user
 * functionResponse parts (name looked up from the call id); sampling fields
 * → generationConfig; JSON mode → responseMimeType (+ responseJsonSchema).
 */
import { parseArguments, parseDataUrl, systemText, textOf, toolNameIndex } from '../core/content';
import { unsupported } from '../core/errors';
import { defineMapping, stopList } from '../core/mapping';
import type { ChatRequest, EmbeddingRequest, UserContentPart } from '../core/types';

export const GEMINI_ID = 'gemini';

type Part = Record<string, unknown>;
interface Content {
  role: 'user' | 'model';
  parts: Part[];
}

const THINKING_BUDGET: Record<string, number> = { minimal: 0, low: 1024, medium: 8192, high: 24576 };

const mapping = defineMapping<ChatRequest>(GEMINI_ID, {
  temperature: { to: 'generationConfig.temperature', clamp: [0, 2] },
  top_p: { to: 'generationConfig.topP', clamp: [0, 1] },
  n: { to: 'generationConfig.candidateCount' },
  stop: { to: 'generationConfig.stopSequences', transform: stopList },
  max_tokens: { to: 'generationConfig.maxOutputTokens' },
  max_completion_tokens: { to: 'generationConfig.maxOutputTokens' },
  presence_penalty: { to: 'generationConfig.presencePenalty' },
  frequency_penalty: { to: 'generationConfig.frequencyPenalty' },
  seed: { to: 'generationConfig.seed' },
  reasoning_effort: { to: 'generationConfig.thinkingConfig.thinkingBudget', transform: (v) => THINKING_BUDGET[String(v)] },
  logprobs: { unsupported: 'logprobs', allow: (v) => v === false },
  top_logprobs: { drop: 'only meaningful with logprobs' },
  logit_bias: { drop: 'Gemini has no logit bias' },
  user: { drop: 'Gemini has no end-user field' },
  parallel_tool_calls: { drop: 'Gemini decides parallel calls itself' },
  store: { drop: 'OpenAI-only' },
  metadata: { drop: 'OpenAI-only' },
  service_tier: { drop: 'OpenAI-only' },
});

/** Bare model id: accepts `gemini-2.5-flash` and `models/gemini-2.5-flash`. */
export function modelPath(model: string): string {
  return model.startsWith('models/') ? model.slice(7) : model;
}

const EXT_MIME: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', pdf: 'application/pdf' };

function userParts(content: string | UserContentPart[]): Part[] {
  if (typeof content === 'string') return [{ text: content }];
  const out: Part[] = [];
  for (const p of content) {
    switch (p.type) {
      case 'text':
        out.push({ text: p.text });
        break;
      case 'image_url': {
        const d = parseDataUrl(p.image_url.url);
        if (d) out.push({ inlineData: { mimeType: d.mediaType, data: d.data } });
        else {
          const url = p.image_url.url;
          const ext = url.slice(url.lastIndexOf('.') + 1).toLowerCase();
          out.push({ fileData: { mimeType: EXT_MIME[ext] ?? 'image/jpeg', fileUri: url } });
        }
        break;
      }
      case 'input_audio':
        out.push({ inlineData: { mimeType: p.input_audio.format === 'mp3' ? 'audio/mp3' : 'audio/wav', data: p.input_audio.data } });
        break;
      case 'file': {
        const d = p.file.file_data !== undefined ? parseDataUrl(p.file.file_data) : undefined;
        if (d === undefined) throw unsupported(GEMINI_ID, 'file parts without inline data');
        out.push({ inlineData: { mimeType: d.mediaType, data: d.data } });
        break;
      }
    }
  }
  return out;
}

function push(contents: Content[], role: 'user' | 'model', parts: Part[]): void {
  if (parts.length === 0) return;
  const prev = contents[contents.length - 1];
  if (prev !== undefined && prev.role === role) prev.parts.push(...parts);
  else contents.push({ role, parts });
}

function toolResponse(content: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(content);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    return { result: v };
  } catch {
    return { result: content };
  }
}

export function buildGeminiBody(req: ChatRequest): Record<string, unknown> {
  const contents: Content[] = [];
  let names: Map<string, string> | undefined;
  for (const m of req.messages) {
    switch (m.role) {
      case 'system':
      case 'developer':
        break;
      case 'user':
        push(contents, 'user', userParts(m.content));
        break;
      case 'assistant': {
        const parts: Part[] = [];
        const text = textOf(m.content);
        if (text.length > 0) parts.push({ text });
        if (m.tool_calls) for (const tc of m.tool_calls) parts.push({ functionCall: { name: tc.function.name, args: parseArguments(GEMINI_ID, tc.function.arguments) } });
        push(contents, 'model', parts);
        break;
      }
      case 'tool': {
        names ??= toolNameIndex(req.messages);
        const name = names.get(m.tool_call_id);
        if (name === undefined) throw unsupported(GEMINI_ID, 'tool results without a matching assistant tool call', `no call with id ${m.tool_call_id}`);
        push(contents, 'user', [{ functionResponse: { name, response: toolResponse(textOf(m.content)) } }]);
        break;
      }
    }
  }
  const body: Record<string, unknown> = { contents };
  const system = systemText(req.messages);
  if (system !== undefined) body['systemInstruction'] = { parts: [{ text: system }] };
  if (req.tools !== undefined && req.tools.length > 0) {
    body['tools'] = [
      {
        functionDeclarations: req.tools.map((t) => ({
          name: t.function.name,
          ...(t.function.description !== undefined ? { description: t.function.description } : {}),
          ...(t.function.parameters !== undefined ? { parametersJsonSchema: t.function.parameters } : {}),
        })),
      },
    ];
    const tc = req.tool_choice;
    if (tc !== undefined) {
      const config: Record<string, unknown> =
        tc === 'auto' ? { mode: 'AUTO' } : tc === 'none' ? { mode: 'NONE' } : tc === 'required' ? { mode: 'ANY' } : { mode: 'ANY', allowedFunctionNames: [tc.function.name] };
      body['toolConfig'] = { functionCallingConfig: config };
    }
  }
  mapping.apply(req, body);
  const rf = req.response_format;
  if (rf?.type === 'json_object' || rf?.type === 'json_schema') {
    const gc = (body['generationConfig'] ??= {}) as Record<string, unknown>;
    gc['responseMimeType'] = 'application/json';
    if (rf.type === 'json_schema' && rf.json_schema.schema !== undefined) gc['responseJsonSchema'] = rf.json_schema.schema;
  }
  return body;
}

export function buildGeminiEmbedBody(req: EmbeddingRequest): Record<string, unknown> {
  const inputs = typeof req.input === 'string' ? [req.input] : req.input;
  const model = `models/${modelPath(req.model)}`;
  return {
    requests: inputs.map((i) => {
      if (typeof i !== 'string') throw unsupported(GEMINI_ID, 'token-array embedding input');
      const r: Record<string, unknown> = { model, content: { parts: [{ text: i }] } };
      if (req.dimensions !== undefined) r['outputDimensionality'] = req.dimensions;
      return r;
    }),
  };
}
