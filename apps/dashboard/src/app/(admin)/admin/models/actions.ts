'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { addDeployment, addPrice, addRouteRule, createModel, deleteRouteRule, STRATEGIES, updateDeployment, updateModel, updateRouteRule } from '@/lib/admin-api/catalogue';
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

export async function addRouteRuleAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const text = (k: string) => String(form.get(k) ?? '');
  const parsed = z
    .object({
      modelId: z.string().min(1),
      name: z.string().trim().min(1, 'Give the rule a name, e.g. "beta users".').max(200, 'The name is at most 200 characters.'),
      position: z.union([z.literal(''), z.coerce.number().int('Position: a whole number from 0 to 10000.').min(0, 'Position: a whole number from 0 to 10000.').max(10_000, 'Position: a whole number from 0 to 10000.')]),
      type: z.enum(['header', 'tag', 'prompt_pattern'], { message: 'Choose a condition type.' }),
      key: z.string().trim().max(200, 'The key is at most 200 characters.'),
      equals: z.string().max(1000, 'The value is at most 1000 characters.'),
      pattern: z.string().max(1000, 'The pattern is at most 1000 characters.'),
      deploymentIds: z.array(z.string().min(1)).min(1, 'Tick at least one deployment for matching requests.').max(50),
      strategy: z.union([z.literal(''), z.enum(STRATEGIES)]),
    })
    .safeParse({
      ...Object.fromEntries(['modelId', 'name', 'position', 'type', 'key', 'equals', 'pattern', 'strategy'].map((k) => [k, text(k)])),
      position: text('position').trim(),
      deploymentIds: form.getAll('deploymentIds').map(String),
    });
  if (!parsed.success) return { status: 'error', message: parsed.error.issues[0]!.message };
  const { modelId, name, position, type, key, equals, pattern, deploymentIds, strategy } = parsed.data;
  let condition: { type: 'header' | 'tag'; key: string; equals: string } | { type: 'prompt_pattern'; pattern: string };
  if (type === 'prompt_pattern') {
    if (!pattern) return { status: 'error', message: 'Enter the regular expression the prompt must match.' };
    try {
      new RegExp(pattern);
    } catch {
      return { status: 'error', message: 'The pattern is not a valid regular expression.' };
    }
    condition = { type, pattern };
  } else {
    if (!key) return { status: 'error', message: type === 'header' ? 'Enter the header name, e.g. x-tier.' : 'Enter the tag key, e.g. team.' };
    condition = { type, key, equals };
  }
  try {
    await addRouteRule(await actionToken(), modelId, {
      name,
      condition,
      deploymentIds,
      enabled: true,
      ...(position === '' ? {} : { position }),
      ...(strategy === '' ? {} : { strategy }),
    });
    revalidatePath('/admin/models');
    return { status: 'ok', message: `Rule ${name} added: matching requests go to ${deploymentIds.length} deployment(s).` };
  } catch (error) {
    return actionError(error);
  }
}

export async function toggleRouteRuleAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const enabled = form.get('enabled') === 'true';
  try {
    await updateRouteRule(await actionToken(), String(form.get('modelId')), String(form.get('routeId')), { enabled });
    revalidatePath('/admin/models');
    return { status: 'ok', message: enabled ? `Rule ${String(form.get('name'))} enabled.` : `Rule ${String(form.get('name'))} disabled: its requests use the model's strategy.` };
  } catch (error) {
    return actionError(error);
  }
}

export async function deleteRouteRuleAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  try {
    await deleteRouteRule(await actionToken(), String(form.get('modelId')), String(form.get('routeId')));
    revalidatePath('/admin/models');
    return { status: 'ok', message: `Rule ${String(form.get('name'))} deleted.` };
  } catch (error) {
    return actionError(error);
  }
}
