import 'server-only';
import { z } from 'zod';
import { adminRequest } from './client';

// What the dashboard reads from the prompt-template endpoints
// (shapes: @conduit/contracts admin/prompts.ts).

export const promptVersionSchema = z.object({
  version: z.number(),
  messages: z.array(z.object({ role: z.string(), content: z.string() })),
  variables: z.array(z.string()),
  model: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  inputSchema: z.record(z.string(), z.unknown()),
  note: z.string(),
  createdById: z.string().nullable(),
  createdAt: z.string(),
});
export type PromptVersion = z.infer<typeof promptVersionSchema>;

export const promptSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  activeVersion: z.number().nullable(),
  abSplit: z.array(z.object({ version: z.number(), weight: z.number() })),
  archived: z.boolean(),
  latestVersion: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  versions: z.array(promptVersionSchema).optional(),
});
export type Prompt = z.infer<typeof promptSchema>;

export interface PromptVersionInput {
  messages: { role: 'system' | 'developer' | 'user' | 'assistant'; content: string }[];
  model: string;
  parameters?: Record<string, unknown>;
  inputSchema?: Record<string, unknown>;
  note?: string;
  activate?: boolean;
}

const p = (tenant: string) => `/admin/tenants/${encodeURIComponent(tenant)}/prompts`;

export const listPrompts = (token: string, tenant: string) =>
  adminRequest({ path: p(tenant), accessToken: token, schema: z.array(promptSchema) });

export const getPrompt = (token: string, tenant: string, slug: string) =>
  adminRequest({ path: `${p(tenant)}/${encodeURIComponent(slug)}`, accessToken: token, schema: promptSchema });

export const createPrompt = (token: string, tenant: string, body: { slug: string; name: string; description?: string; version?: PromptVersionInput }) =>
  adminRequest({ method: 'POST', path: p(tenant), accessToken: token, body, schema: promptSchema });

export const updatePrompt = (
  token: string,
  tenant: string,
  slug: string,
  body: { name?: string; description?: string; activeVersion?: number | null; abSplit?: { version: number; weight: number }[]; archived?: boolean },
) => adminRequest({ method: 'PATCH', path: `${p(tenant)}/${encodeURIComponent(slug)}`, accessToken: token, body, schema: promptSchema });

export const addPromptVersion = (token: string, tenant: string, slug: string, body: PromptVersionInput) =>
  adminRequest({ method: 'POST', path: `${p(tenant)}/${encodeURIComponent(slug)}/versions`, accessToken: token, body, schema: z.unknown() });
