'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { cancelAccessRequest, createAccessRequest } from '@/lib/admin-api/portal';
import { actionError, type ActionResult } from '@/lib/action-result';
import { actionToken } from '@/lib/action-session';

const reason = z.string().trim().min(1, 'Say why you need it: the reviewer decides on this.').max(2000, 'Keep the reason under 2000 characters.');

const modelAccess = z.object({ tenant: z.string().min(1), model: z.string().min(1, 'Choose a model.'), reason });
const quotaIncrease = z.object({
  tenant: z.string().min(1),
  metric: z.enum(['requests', 'tokens', 'cost']),
  period: z.enum(['day', 'week', 'month']),
  limit: z.coerce.number({ error: 'Enter the limit you need as a number.' }).positive('Enter a limit above zero.'),
  reason,
});

export async function requestModelAccessAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const input = modelAccess.safeParse({ tenant: form.get('tenant'), model: form.get('model') ?? '', reason: form.get('reason') ?? '' });
  if (!input.success) return { status: 'error', message: input.error.issues[0]!.message };
  try {
    await createAccessRequest(await actionToken(), input.data.tenant, { type: 'model_access', model: input.data.model, reason: input.data.reason });
    revalidatePath(`/t/${encodeURIComponent(input.data.tenant)}/models`);
    return { status: 'ok', message: `Access to ${input.data.model} requested. Its status is listed below under “My requests”.` };
  } catch (error) {
    return actionError(error);
  }
}

export async function requestQuotaAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const input = quotaIncrease.safeParse({
    tenant: form.get('tenant'),
    metric: form.get('metric'),
    period: form.get('period'),
    limit: form.get('limit'),
    reason: form.get('reason') ?? '',
  });
  if (!input.success) return { status: 'error', message: input.error.issues[0]!.message };
  try {
    const { tenant, ...rest } = input.data;
    await createAccessRequest(await actionToken(), tenant, { type: 'quota_increase', scope: 'tenant', ...rest });
    revalidatePath(`/t/${encodeURIComponent(tenant)}/models`);
    return { status: 'ok', message: 'Quota increase requested. Its status is listed under “My requests”.' };
  } catch (error) {
    return actionError(error);
  }
}

export async function cancelRequestAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const tenant = String(form.get('tenant') ?? '');
  const id = String(form.get('requestId') ?? '');
  try {
    await cancelAccessRequest(await actionToken(), tenant, id);
    revalidatePath(`/t/${encodeURIComponent(tenant)}/models`);
    return { status: 'ok', message: 'Request withdrawn.' };
  } catch (error) {
    return actionError(error);
  }
}
