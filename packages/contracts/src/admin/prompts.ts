import { z } from 'zod';
import { slugSchema } from './common';

/** `{{name}}` placeholders in prompt messages (letters, digits, `_`, `.` for nested fields). */
export const PROMPT_VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

/** The variables a set of messages uses, in order of first use. */
export function promptVariables(messages: readonly { content: string }[]): string[] {
  const seen = new Set<string>();
  for (const m of messages) for (const match of m.content.matchAll(PROMPT_VARIABLE)) seen.add(match[1]!);
  return [...seen];
}

export const promptMessageSchema = z.object({ role: z.enum(['system', 'developer', 'user', 'assistant']), content: z.string().min(1).max(100_000) }).strict();

export const createPromptVersionInputSchema = z
  .object({
    messages: z.array(promptMessageSchema).min(1).max(100),
    /** the public model name the prompt calls */
    model: z.string().min(1).max(200),
    /** chat parameters sent with it: temperature, max_tokens, top_p, response_format, … */
    parameters: z.record(z.string(), z.unknown()).default({}),
    /** JSON Schema the caller's input must satisfy (validated with ajv); `{}` accepts any object */
    inputSchema: z.record(z.string(), z.unknown()).default({}),
    note: z.string().max(2000).default(''),
    /** make this version the active one (default: true for a template's first version) */
    activate: z.boolean().optional(),
  })
  .strict();
export type CreatePromptVersionInput = z.input<typeof createPromptVersionInputSchema>;

export const abSplitSchema = z
  .array(z.object({ version: z.number().int().positive(), weight: z.number().int().min(0).max(1000) }).strict())
  .max(10)
  .refine((s) => s.length === 0 || s.some((x) => x.weight > 0), 'at least one weight must be above 0')
  .refine((s) => new Set(s.map((x) => x.version)).size === s.length, 'each version at most once');

export const createPromptInputSchema = z
  .object({
    slug: slugSchema,
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).default(''),
    /** the first version (optional: versions can be added later) */
    version: createPromptVersionInputSchema.optional(),
  })
  .strict();
export type CreatePromptInput = z.input<typeof createPromptInputSchema>;

export const updatePromptInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000),
    /** the version `/v1/prompts/{slug}/run` serves (when no A/B split is set) */
    activeVersion: z.number().int().positive().nullable(),
    /** weighted split between versions for `/v1/prompts/{slug}/run`; `[]` turns it off */
    abSplit: abSplitSchema,
    archived: z.boolean(),
  })
  .partial()
  .strict();
export type UpdatePromptInput = z.input<typeof updatePromptInputSchema>;

export interface PromptVersionOutput {
  version: number;
  messages: { role: string; content: string }[];
  variables: string[];
  model: string;
  parameters: Record<string, unknown>;
  inputSchema: Record<string, unknown>;
  note: string;
  createdById: string | null;
  createdAt: string;
}

export interface PromptOutput {
  id: string;
  slug: string;
  name: string;
  description: string;
  activeVersion: number | null;
  abSplit: { version: number; weight: number }[];
  archived: boolean;
  latestVersion: number | null;
  createdAt: string;
  updatedAt: string;
  /** every version, newest first (GET one template only) */
  versions?: PromptVersionOutput[];
}
