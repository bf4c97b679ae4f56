/**
 * The parts of Anthropic's Messages API wire format that `/v1/messages`
 * speaks (request and answer), as they appear on the wire.
 * https://docs.anthropic.com/en/api/messages
 */

export type AnthropicRole = 'user' | 'assistant';

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
}

export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export type AnthropicContentBlock = AnthropicTextBlock | AnthropicToolUseBlock;

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal' | 'pause_turn';

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'api_error'
  | 'overloaded_error';

/**
 * Anthropic's error body. The gateway's stable error code (and the field at
 * fault) ride in `error.details`, which @anthropic-ai/sdk exposes as
 * `err.errorCode` / `err.details`.
 */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string; details: { error_code: string; param?: string } };
  request_id?: string;
}

/** A request body after validation: only the fields the translation reads. */
export interface AnthropicRequest {
  model: string;
  max_tokens: number;
  messages: Array<{ role: AnthropicRole; content: string | Array<Record<string, unknown>> }>;
  system?: string | Array<Record<string, unknown>>;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stream?: boolean;
  tools?: Array<Record<string, unknown>>;
  tool_choice?: { type: 'auto' | 'any' | 'tool' | 'none'; name?: string; disable_parallel_tool_use?: boolean };
  metadata?: { user_id?: string | null };
  thinking?: { type: string; budget_tokens?: number };
  output_config?: { effort?: string | null; format?: { type: 'json_schema'; schema: Record<string, unknown> } | null };
}
