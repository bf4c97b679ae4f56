/**
 * Unified chat → Bedrock Converse. System turns → `system` blocks; images →
 * base64 bytes; assistant tool calls → `toolUse`; tool turns → `toolResult`
 * in a user turn; sampling → `inferenceConfig`; tools → `toolConfig`.
 * Converse has no JSON mode: json_object / json_schema become a system
 * instruction (with the schema), translated on purpose.
 */
import { JSON_OBJECT_INSTRUCTION, parseArguments, parseDataUrl, systemText, textOf } from '../core/content';
import { unsupported } from '../core/errors';
import { defineMapping, stopList } from '../core/mapping';
import type { ChatRequest, EmbeddingRequest, UserContentPart } from '../core/types';

export const BEDROCK_ID = 'bedrock';

type Block = Record<string, unknown>;
interface ConverseMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

const mapping = defineMapping<ChatRequest>(BEDROCK_ID, {
  max_tokens: { to: 'inferenceConfig.maxTokens' },
  max_completion_tokens: { to: 'inferenceConfig.maxTokens' },
  temperature: { to: 'inferenceConfig.temperature', clamp: [0, 1] },
  top_p: { to: 'inferenceConfig.topP', clamp: [0, 1] },
  stop: { to: 'inferenceConfig.stopSequences', transform: stopList },
  user: { to: 'requestMetadata.user' },
  n: { unsupported: 'n > 1 (multiple choices)', allow: (v) => v === 1 },
  logprobs: { unsupported: 'logprobs', allow: (v) => v === false },
  top_logprobs: { drop: 'only meaningful with logprobs' },
  seed: { drop: 'Converse has no seed' },
  presence_penalty: { drop: 'Converse has no presence penalty' },
  frequency_penalty: { drop: 'Converse has no frequency penalty' },
  logit_bias: { drop: 'Converse has no logit bias' },
  parallel_tool_calls: { drop: 'the model decides parallel calls itself' },
  reasoning_effort: { drop: 'model-specific (additionalModelRequestFields); not inferred' },
  store: { drop: 'OpenAI-only' },
  metadata: { drop: 'OpenAI-only' },
  service_tier: { drop: 'OpenAI-only' },
});

const IMAGE_FORMATS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp' };

function userBlocks(content: string | UserContentPart[]): Block[] {
  if (typeof content === 'string') return [{ text: content }];
  const out: Block[] = [];
  for (const p of content) {
    switch (p.type) {
      case 'text':
        out.push({ text: p.text });
        break;
      case 'image_url': {
        const d = parseDataUrl(p.image_url.url);
        if (d === undefined) throw unsupported(BEDROCK_ID, 'image URLs', 'send images as base64 data: URLs');
        const format = IMAGE_FORMATS[d.mediaType];
        if (format === undefined) throw unsupported(BEDROCK_ID, `image type ${d.mediaType}`);
        out.push({ image: { format, source: { bytes: d.data } } });
        break;
      }
      case 'file': {
        const d = p.file.file_data !== undefined ? parseDataUrl(p.file.file_data) : undefined;
        if (d === undefined || d.mediaType !== 'application/pdf') throw unsupported(BEDROCK_ID, 'file parts other than base64 PDF data URLs');
        out.push({ document: { format: 'pdf', name: (p.file.filename ?? 'document').replace(/[^A-Za-z0-9 ()[\]-]/g, '-'), source: { bytes: d.data } } });
        break;
      }
      case 'input_audio':
        throw unsupported(BEDROCK_ID, 'audio input');
    }
  }
  return out;
}

function push(messages: ConverseMessage[], role: 'user' | 'assistant', blocks: Block[]): void {
  if (blocks.length === 0) return;
  const prev = messages[messages.length - 1];
  if (prev !== undefined && prev.role === role) prev.content.push(...blocks);
  else messages.push({ role, content: blocks });
}

function toolResultContent(text: string): Block[] {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return [{ json: v }];
  } catch {
    // not JSON: plain text
  }
  return [{ text }];
}

export function jsonInstruction(req: ChatRequest): string | undefined {
  const rf = req.response_format;
  if (rf?.type === 'json_object') return JSON_OBJECT_INSTRUCTION;
  if (rf?.type === 'json_schema') {
    const schema = rf.json_schema.schema ?? { type: 'object' };
    return `${JSON_OBJECT_INSTRUCTION} It must conform to this JSON schema: ${JSON.stringify(schema)}`;
  }
  return undefined;
}

export function buildConverseBody(req: ChatRequest): Record<string, unknown> {
  const messages: ConverseMessage[] = [];
  let toolHistory = false;
  for (const m of req.messages) {
    switch (m.role) {
      case 'system':
      case 'developer':
        break;
      case 'user':
        push(messages, 'user', userBlocks(m.content));
        break;
      case 'assistant': {
        const blocks: Block[] = [];
        const text = textOf(m.content);
        if (text.length > 0) blocks.push({ text });
        if (m.tool_calls) {
          for (const tc of m.tool_calls) {
            toolHistory = true;
            blocks.push({ toolUse: { toolUseId: tc.id, name: tc.function.name, input: parseArguments(BEDROCK_ID, tc.function.arguments) } });
          }
        }
        push(messages, 'assistant', blocks);
        break;
      }
      case 'tool':
        toolHistory = true;
        push(messages, 'user', [{ toolResult: { toolUseId: m.tool_call_id, content: toolResultContent(textOf(m.content)) } }]);
        break;
    }
  }
  const body: Record<string, unknown> = { messages };
  let system = systemText(req.messages);
  const json = jsonInstruction(req);
  if (json !== undefined) system = system === undefined ? json : `${system}\n\n${json}`;
  if (system !== undefined) body['system'] = [{ text: system }];
  mapping.apply(req, body);
  const tc = req.tool_choice;
  if (req.tools !== undefined && req.tools.length > 0) {
    if (tc === 'none' && toolHistory) throw unsupported(BEDROCK_ID, 'tool_choice none with tool calls in the history', 'Converse needs the tools declared then and cannot forbid calling them');
    if (tc !== 'none') {
      const toolConfig: Record<string, unknown> = {
        tools: req.tools.map((t) => ({
          toolSpec: {
            name: t.function.name,
            ...(t.function.description !== undefined ? { description: t.function.description } : {}),
            inputSchema: { json: t.function.parameters ?? { type: 'object', properties: {} } },
          },
        })),
      };
      if (tc === 'auto') toolConfig['toolChoice'] = { auto: {} };
      else if (tc === 'required') toolConfig['toolChoice'] = { any: {} };
      else if (typeof tc === 'object') toolConfig['toolChoice'] = { tool: { name: tc.function.name } };
      body['toolConfig'] = toolConfig;
    }
  } else if (toolHistory) {
    throw unsupported(BEDROCK_ID, 'tool calls in the history without `tools`', 'Converse needs the tools declared');
  }
  return body;
}

/** InvokeModel bodies for embedding models: Titan takes one text per call, Cohere a batch. */
export function embeddingBodies(req: EmbeddingRequest): Array<Record<string, unknown>> {
  const inputs = typeof req.input === 'string' ? [req.input] : req.input;
  for (const i of inputs) if (typeof i !== 'string') throw unsupported(BEDROCK_ID, 'token-array embedding input');
  const texts = inputs as string[];
  if (isCohere(req.model)) {
    const body: Record<string, unknown> = { texts, input_type: 'search_document' };
    return [body];
  }
  return texts.map((t) => {
    const body: Record<string, unknown> = { inputText: t };
    if (req.dimensions !== undefined) body['dimensions'] = req.dimensions;
    return body;
  });
}

export function isCohere(model: string): boolean {
  return model.includes('cohere.');
}
