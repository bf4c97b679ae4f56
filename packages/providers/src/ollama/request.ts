/**
 * Unified chat → Ollama native `/api/chat`. Sampling goes to `options`
 * (max_tokens → num_predict), JSON mode to `format`, images to base64
 * `images`, tool results carry `tool_name`. Ollama streams by default, so
 * `stream` is always sent explicitly.
 */
import { parseArguments, parseDataUrl, textOf, toolNameIndex } from '../core/content';
import { unsupported } from '../core/errors';
import { defineMapping, stopList } from '../core/mapping';
import type { ChatRequest, EmbeddingRequest } from '../core/types';

export const OLLAMA_ID = 'ollama';

const mapping = defineMapping<ChatRequest>(OLLAMA_ID, {
  temperature: { to: 'options.temperature', clamp: [0, 2] },
  top_p: { to: 'options.top_p', clamp: [0, 1] },
  max_tokens: { to: 'options.num_predict' },
  max_completion_tokens: { to: 'options.num_predict' },
  stop: { to: 'options.stop', transform: stopList },
  seed: { to: 'options.seed' },
  presence_penalty: { to: 'options.presence_penalty' },
  frequency_penalty: { to: 'options.frequency_penalty' },
  reasoning_effort: { to: 'think', transform: (v) => v !== 'minimal' },
  n: { unsupported: 'n > 1 (multiple choices)', allow: (v) => v === 1 },
  logprobs: { unsupported: 'logprobs', allow: (v) => v === false },
  top_logprobs: { drop: 'only meaningful with logprobs' },
  logit_bias: { drop: 'Ollama has no logit bias' },
  user: { drop: 'Ollama has no end-user field' },
  parallel_tool_calls: { drop: 'Ollama decides parallel calls itself' },
  store: { drop: 'OpenAI-only' },
  metadata: { drop: 'OpenAI-only' },
  service_tier: { drop: 'OpenAI-only' },
});

type OllamaMessage = Record<string, unknown>;

export function buildOllamaBody(req: ChatRequest, stream: boolean): Record<string, unknown> {
  const messages: OllamaMessage[] = [];
  let names: Map<string, string> | undefined;
  for (const m of req.messages) {
    switch (m.role) {
      case 'system':
      case 'developer':
        messages.push({ role: 'system', content: textOf(m.content) });
        break;
      case 'user': {
        if (typeof m.content === 'string') {
          messages.push({ role: 'user', content: m.content });
          break;
        }
        let text = '';
        const images: string[] = [];
        for (const p of m.content) {
          if (p.type === 'text') text += p.text;
          else if (p.type === 'image_url') {
            const d = parseDataUrl(p.image_url.url);
            if (d === undefined) throw unsupported(OLLAMA_ID, 'image URLs', 'send images as base64 data: URLs');
            images.push(d.data);
          } else throw unsupported(OLLAMA_ID, p.type === 'input_audio' ? 'audio input' : 'file input');
        }
        messages.push(images.length > 0 ? { role: 'user', content: text, images } : { role: 'user', content: text });
        break;
      }
      case 'assistant': {
        const msg: OllamaMessage = { role: 'assistant', content: textOf(m.content) };
        if (m.tool_calls && m.tool_calls.length > 0) {
          msg['tool_calls'] = m.tool_calls.map((tc) => ({ function: { name: tc.function.name, arguments: parseArguments(OLLAMA_ID, tc.function.arguments) } }));
        }
        messages.push(msg);
        break;
      }
      case 'tool': {
        names ??= toolNameIndex(req.messages);
        const msg: OllamaMessage = { role: 'tool', content: textOf(m.content) };
        const name = names.get(m.tool_call_id);
        if (name !== undefined) msg['tool_name'] = name;
        messages.push(msg);
        break;
      }
    }
  }
  const body: Record<string, unknown> = { model: req.model, messages, stream };
  const tc = req.tool_choice;
  if (req.tools !== undefined && req.tools.length > 0 && tc !== 'none') {
    if (tc === 'required' || typeof tc === 'object') throw unsupported(OLLAMA_ID, 'tool_choice required / a named tool', 'Ollama only decides tool use itself (auto)');
    body['tools'] = req.tools.map((t) => ({ type: 'function', function: t.function }));
  }
  const rf = req.response_format;
  if (rf?.type === 'json_object') body['format'] = 'json';
  else if (rf?.type === 'json_schema') body['format'] = rf.json_schema.schema ?? 'json';
  mapping.apply(req, body);
  return body;
}

export function buildOllamaEmbedBody(req: EmbeddingRequest): Record<string, unknown> {
  if (typeof req.input !== 'string' && req.input.some((i) => typeof i !== 'string')) throw unsupported(OLLAMA_ID, 'token-array embedding input');
  const body: Record<string, unknown> = { model: req.model, input: req.input };
  if (req.dimensions !== undefined) body['dimensions'] = req.dimensions;
  return body;
}
