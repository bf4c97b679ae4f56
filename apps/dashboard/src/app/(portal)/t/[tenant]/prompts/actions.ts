'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { actionError, type ActionResult } from '@/lib/action-result';
import { actionToken } from '@/lib/action-session';
import { addPromptVersion, createPrompt, type PromptVersionInput, updatePrompt } from '@/lib/admin-api/prompts';

const slug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, 'The slug takes lowercase letters, digits and dashes (2–48 characters), e.g. support-reply.');

const jsonObject = (what: string, example: string) =>
  z.string().transform((text, ctx): Record<string, unknown> => {
    if (!text.trim()) return {};
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `${what} is not valid JSON (${(e as Error).message}). Fix it, or leave it empty; e.g. ${example}` });
      return z.NEVER;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: `${what} must be a JSON object, e.g. ${example}` });
      return z.NEVER;
    }
    return value as Record<string, unknown>;
  });

const versionFields = z.object({
  tenant: z.string().min(1),
  model: z.string().min(1, 'Choose the model the prompt calls.'),
  system: z.string().max(100_000, 'Keep the system message under 100,000 characters.'),
  user: z.string().trim().min(1, 'Write the user message template, e.g. “Summarise: {{text}}”.').max(100_000, 'Keep the user message under 100,000 characters.'),
  inputSchema: jsonObject('The input JSON Schema', '{"type":"object","required":["text"],"properties":{"text":{"type":"string"}}}'),
  parameters: jsonObject('The parameters', '{"temperature":0.2,"max_tokens":512}'),
  note: z.string().max(2000, 'Keep the note under 2,000 characters.'),
});

function readVersion(form: FormData) {
  return {
    tenant: form.get('tenant'),
    model: form.get('model') ?? '',
    system: form.get('system') ?? '',
    user: form.get('user') ?? '',
    inputSchema: form.get('inputSchema') ?? '',
    parameters: form.get('parameters') ?? '',
    note: form.get('note') ?? '',
  };
}

function toVersion(v: z.infer<typeof versionFields>): PromptVersionInput {
  return {
    messages: [...(v.system.trim() ? [{ role: 'system' as const, content: v.system }] : []), { role: 'user' as const, content: v.user }],
    model: v.model,
    parameters: v.parameters,
    inputSchema: v.inputSchema,
    note: v.note,
  };
}

const path = (tenant: string) => `/t/${encodeURIComponent(tenant)}/prompts`;

const createInput = versionFields.extend({
  slug,
  name: z.string().trim().min(1, 'Give the prompt a name, e.g. “Support reply”.').max(200, 'Keep the name under 200 characters.'),
});

export async function createPromptAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const input = createInput.safeParse({ ...readVersion(form), slug: form.get('slug') ?? '', name: form.get('name') ?? '' });
  if (!input.success) return { status: 'error', message: input.error.issues[0]!.message };
  try {
    const token = await actionToken();
    const created = await createPrompt(token, input.data.tenant, { slug: input.data.slug, name: input.data.name, version: toVersion(input.data) });
    revalidatePath(path(input.data.tenant));
    return { status: 'ok', message: `Prompt “${created.name}” created with version 1, which is active. Call it with the snippet below.` };
  } catch (error) {
    return actionError(error);
  }
}

const versionInput = versionFields.extend({ slug: z.string().min(1), activate: z.boolean() });

export async function addVersionAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const input = versionInput.safeParse({ ...readVersion(form), slug: form.get('slug') ?? '', activate: form.get('activate') === 'on' });
  if (!input.success) return { status: 'error', message: input.error.issues[0]!.message };
  try {
    const token = await actionToken();
    await addPromptVersion(token, input.data.tenant, input.data.slug, { ...toVersion(input.data), activate: input.data.activate });
    revalidatePath(path(input.data.tenant));
    return {
      status: 'ok',
      message: input.data.activate
        ? `New version of “${input.data.slug}” added and made active: calls use it from now on.`
        : `New version of “${input.data.slug}” added. It is not active yet; choose it under “Active version” to serve it.`,
    };
  } catch (error) {
    return actionError(error);
  }
}

const activeInput = z.object({ tenant: z.string().min(1), slug: z.string().min(1), version: z.coerce.number().int().positive() });

export async function setActiveVersionAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const input = activeInput.safeParse({ tenant: form.get('tenant'), slug: form.get('slug'), version: form.get('version') });
  if (!input.success) return { status: 'error', message: 'Choose the version to make active.' };
  try {
    const token = await actionToken();
    await updatePrompt(token, input.data.tenant, input.data.slug, { activeVersion: input.data.version });
    revalidatePath(path(input.data.tenant));
    return { status: 'ok', message: `Version ${input.data.version} of “${input.data.slug}” is now active.` };
  } catch (error) {
    return actionError(error);
  }
}
