'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { addDeployment, addPrice, createModel, STRATEGIES, updateDeployment, updateModel } from '@/lib/admin-api/catalogue';
import { actionError, type ActionResult } from '@/lib/action-result';
import { actionToken } from '@/lib/action-session';

const usd = z.string().trim().regex(/^\d+(\.\d{1,6})?$/, 'Prices are USD per million tokens, e.g. 2.5 (up to 6 decimals).');

export async function createModelAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const parsed = z
    .object({
      name: z.string().trim().min(1, 'Give the model the public name clients will send.').max(200).regex(/^[\w.:/@-]+$/, 'The name takes letters, digits and . : / @ - _ only.'),
      displayName: z.string().trim().max(200),
      kind: z.enum(['chat', 'completion', 'embedding']),
      routingStrategy: z.enum(STRATEGIES),
    })
    .safeParse(Object.fromEntries(['name', 'displayName', 'kind', 'routingStrategy'].map((k) => [k, form.get(k) ?? ''])));
  if (!parsed.success) return { status: 'error', message: parsed.error.issues[0]!.message };
  try {
    const created = await createModel(await actionToken(), { ...parsed.data, requiresApproval: form.get('requiresApproval') === 'on' });
    revalidatePath('/admin/models');
    return { status: 'ok', message: `Model ${created.name} created. Add a deployment so it can be served.` };
  } catch (error) {
    return actionError(error);
  }
}

export async function updateModelAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const parsed = z
    .object({ modelId: z.string().min(1), routingStrategy: z.enum(STRATEGIES), maxRetries: z.coerce.number().int().min(0, 'Retries: 0 to 10.').max(10, 'Retries: 0 to 10.') })
    .safeParse(Object.fromEntries(['modelId', 'routingStrategy', 'maxRetries'].map((k) => [k, form.get(k) ?? ''])));
  if (!parsed.success) return { status: 'error', message: parsed.error.issues[0]!.message };
  try {
    await updateModel(await actionToken(), parsed.data.modelId, {
      routingStrategy: parsed.data.routingStrategy,
      maxRetries: parsed.data.maxRetries,
      enabled: form.get('enabled') === 'on',
      requiresApproval: form.get('requiresApproval') === 'on',
    });
    revalidatePath('/admin/models');
    return { status: 'ok', message: 'Model saved.' };
  } catch (error) {
    return actionError(error);
  }
}

export async function addDeploymentAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const parsed = z
    .object({
      modelId: z.string().min(1),
      providerId: z.string().min(1, 'Choose a provider.'),
      upstreamModel: z.string().trim().min(1, 'Enter the model name the provider knows, e.g. gpt-4o-2024-08-06.').max(200),
      weight: z.coerce.number().int().min(0).max(1000),
      priority: z.coerce.number().int().min(0).max(1000),
    })
    .safeParse(Object.fromEntries(['modelId', 'providerId', 'upstreamModel', 'weight', 'priority'].map((k) => [k, form.get(k) ?? ''])));
  if (!parsed.success) return { status: 'error', message: parsed.error.issues[0]!.message };
  const { modelId, ...body } = parsed.data;
  try {
    await addDeployment(await actionToken(), modelId, body);
    revalidatePath('/admin/models');
    return { status: 'ok', message: 'Deployment added.' };
  } catch (error) {
    return actionError(error);
  }
}

export async function toggleDeploymentAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  try {
    await updateDeployment(await actionToken(), String(form.get('modelId')), String(form.get('deploymentId')), { enabled: form.get('enabled') === 'true' });
    revalidatePath('/admin/models');
    return { status: 'ok', message: form.get('enabled') === 'true' ? 'Deployment enabled.' : 'Deployment disabled: traffic moves to the others.' };
  } catch (error) {
    return actionError(error);
  }
}

export async function addPriceAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const parsed = z
    .object({ modelId: z.string().min(1), inputPerMTokUsd: usd, outputPerMTokUsd: usd, cachedInputPerMTokUsd: usd })
    .safeParse(Object.fromEntries(['modelId', 'inputPerMTokUsd', 'outputPerMTokUsd', 'cachedInputPerMTokUsd'].map((k) => [k, form.get(k) || (k === 'cachedInputPerMTokUsd' ? '0' : '')])));
  if (!parsed.success) return { status: 'error', message: parsed.error.issues[0]!.message };
  const { modelId, ...body } = parsed.data;
  try {
    await addPrice(await actionToken(), modelId, body);
    revalidatePath('/admin/models');
    return { status: 'ok', message: 'New price in effect from now (prices are versioned, never edited).' };
  } catch (error) {
    return actionError(error);
  }
}
