'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createQuota, deleteQuota, updateQuota } from '@/lib/admin-api/quotas';
import { actionError, type ActionResult } from '@/lib/action-result';
import { actionToken } from '@/lib/action-session';

const input = z.object({
  tenant: z.string().min(1),
  apiKeyId: z.string(),
  metric: z.enum(['requests', 'tokens', 'cost']),
  period: z.enum(['day', 'week', 'month']),
  limit: z.string().trim().regex(/^\d+(\.\d{1,6})?$/, 'Enter the limit as a positive number (USD for a budget, up to 6 decimals).'),
  thresholds: z.string().trim().regex(/^(\d{1,4}(\s*,\s*\d{1,4})*)?$/, 'Alert thresholds are percentages separated by commas, e.g. 50, 80, 100.'),
  webhookUrl: z.union([z.literal(''), z.url({ message: 'The webhook must be an http(s) URL, or leave it empty.' })]),
});

export async function createQuotaAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const parsed = input.safeParse(Object.fromEntries(['tenant', 'apiKeyId', 'metric', 'period', 'limit', 'thresholds', 'webhookUrl'].map((k) => [k, form.get(k) ?? ''])));
  if (!parsed.success) return { status: 'error', message: parsed.error.issues[0]!.message };
  const d = parsed.data;
  if (Number(d.limit) <= 0) return { status: 'error', message: 'The limit must be above zero.' };
  try {
    await createQuota(await actionToken(), d.tenant, {
      scope: d.apiKeyId ? 'key' : 'tenant',
      ...(d.apiKeyId ? { apiKeyId: d.apiKeyId } : {}),
      metric: d.metric,
      period: d.period,
      limit: d.limit,
      alertThresholds: d.thresholds ? d.thresholds.split(',').map((t) => Number(t.trim())) : [],
      ...(d.webhookUrl ? { webhookUrl: d.webhookUrl } : {}),
    });
    revalidatePath('/admin/quotas');
    return { status: 'ok', message: `${d.metric === 'cost' ? 'Budget' : 'Quota'} added; the gateway enforces it from the next request.` };
  } catch (error) {
    return actionError(error);
  }
}

export async function quotaChangeAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const tenant = String(form.get('tenant') ?? '');
  const id = String(form.get('quotaId') ?? '');
  const change = String(form.get('change') ?? '');
  try {
    const token = await actionToken();
    if (change === 'delete') await deleteQuota(token, tenant, id);
    else await updateQuota(token, tenant, id, { enabled: change === 'enable' });
    revalidatePath('/admin/quotas');
    return { status: 'ok', message: change === 'delete' ? 'Deleted.' : change === 'enable' ? 'Enabled.' : 'Disabled: no longer enforced.' };
  } catch (error) {
    return actionError(error);
  }
}
