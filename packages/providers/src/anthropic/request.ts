/**
 * Unified chat → Anthropic Messages API. System/developer turns become
 * `system`; tool turns become `tool_result` blocks in a user turn; assistant
 * tool calls become `tool_use` blocks; consecutive same-role turns merge.
 */
import { JSON_OBJECT_INSTRUCTION, parseArguments, parseDataUrl, systemText, textOf } from '../core/content';
import { unsupported } from '../core/errors';
import { defineMapping, stopList } from '../core/mapping';
import type { ChatRequest, ToolChoice, UserContentPart } from '../core/types';

export const ANTHROPIC_ID = 'anthropic';
/** Anthropic requires max_tokens; used when the request gives none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

type Block = Record<string, unknown>;
interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

const mapping = defineMapping<ChatRequest>(ANTHROPIC_ID, {
  temperature: { to: 'temperature', clamp: [0, 1] },
  top_p: { to: 'top_p', clamp: [0, 1] },
  stop: { to: 'stop_sequences', transform: stopList },
  user: { to: 'metadata.user_id' },
  n: { unsupported: 'n > 1 (multiple choices)', allow: (v) => v === 1 },
  logprobs: { unsupported: 'logprobs', allow: (v) => v === false },
  top_logprobs: { drop: 'only meaningful with logprobs' },
  seed: { drop: 'Anthropic has no sampling seed' },
  presence_penalty: { drop: 'Anthropic has no presence penalty' },
  frequency_penalty: { drop: 'Anthropic has no frequency penalty' },
  logit_bias: { drop: 'Anthropic has no logit bias' },
  store: { drop: 'OpenAI-only' },
  metadata: { drop: 'OpenAI metadata has no Anthropic equivalent (user goes to metadata.user_id)' },
  service_tier: { drop: 'OpenAI service tiers differ from Anthropic’s' },
  reasoning_effort: { drop: 'extended thinking needs a token budget; not inferred from effort' },
});

function userBlocks(content: string | UserContentPart[]): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const out: Block[] = [];
  for (const p of content) {
    switch (p.type) {
      case 'text':
        out.push({ type: 'text', text: p.text });
        break;
      case 'image_url': {
        const d = parseDataUrl(p.image_url.url);
        out.push(d ? { type: 'image', source: { type: 'base64', media_type: d.mediaType, data: d.data } } : { type: 'image', source: { type: 'url', url: p.image_url.url } });
        break;
      }
      case 'file': {
        const d = p.file.file_data !== undefined ? parseDataUrl(p.file.file_data) : undefined;
        if (d === undefined || d.mediaType !== 'application/pdf') throw unsupported(ANTHROPIC_ID, 'file parts other than base64 PDF data URLs');
        out.push({ type: 'document', source: { type: 'base64', media_type: d.mediaType, data: d.data } });
        break;
      }
      case 'input_audio':
        throw unsupported(ANTHROPIC_ID, 'audio input');
    }
  }
  return out;
}

function push(messages: AnthropicMessage[], role: 'user' | 'assistant', blocks: Block[]): void {
  if (blocks.length === 0) return;
  const prev = messages[messages.length - 1];
  if (prev !== undefined && prev.role === role) prev.content.push(...blocks);
  else messages.push({ role, content: blocks });
}

export function toolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): Block | undefined {
  let tc: Block | undefined;
  if (choice === undefined) tc = undefined;
  else if (choice === 'auto') tc = { type: 'auto' };
  else if (choice === 'required') tc = { type: 'any' };
  else if (choice === 'none') tc = { type: 'none' };
  else tc = { type: 'tool', name: choice.function.name };
  if (parallel === false) {
    tc ??= { type: 'auto' };
    if (tc['type'] !== 'none') tc['disable_parallel_tool_use'] = true;
  }
  return tc;
}

export function buildAnthropicBody(req: ChatRequest, stream: boolean): Record<string, unknown> {
  const messages: AnthropicMessage[] = [];
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
        if (text.length > 0) blocks.push({ type: 'text', text });
        if (m.tool_calls) {
          for (const tc of m.tool_calls) {
            blocks.push({ type: 'tool_use', id: tc.id, name: tc.function.name, input: parseArguments(ANTHROPIC_ID, tc.function.arguments) });
          }
        }
        push(messages, 'assistant', blocks);
        break;
      }
      case 'tool':
        push(messages, 'user', [{ type: 'tool_result', tool_use_id: m.tool_call_id, content: textOf(m.content) }]);
        break;
    }
  }
  const body: Record<string, unknown> = {
    model: req.model,
    max_tokens: req.max_completion_tokens ?? req.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages,
  };
  let system = systemText(req.messages);
  const rf = req.response_format;
  if (rf?.type === 'json_object') system = system === undefined ? JSON_OBJECT_INSTRUCTION : `${system}\n\n${JSON_OBJECT_INSTRUCTION}`;
  else if (rf?.type === 'json_schema') {
    body['output_config'] = { format: { type: 'json_schema', schema: rf.json_schema.schema ?? { type: 'object' } } };
  }
  if (system !== undefined) body['system'] = system;
  mapping.apply(req, body);
  if (req.tools !== undefined && req.tools.length > 0 && req.tool_choice !== 'none') {
    body['tools'] = req.tools.map((t) => ({
      name: t.function.name,
      ...(t.function.description !== undefined ? { description: t.function.description } : {}),
      input_schema: t.function.parameters ?? { type: 'object', properties: {} },
    }));
  }
  if (body['tools'] !== undefined) {
    const tc = toolChoice(req.tool_choice, req.parallel_tool_calls);
    if (tc !== undefined) body['tool_choice'] = tc;
  }
  if (stream) body['stream'] = true;
  return body;
}
