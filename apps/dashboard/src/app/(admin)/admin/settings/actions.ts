'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { patchTenantSettings, setPlatformSetting } from '@/lib/admin-api/settings';
import { actionError, type ActionResult } from '@/lib/action-result';
import { actionToken } from '@/lib/action-session';

const input = z.object({
  tenant: z.string().min(1),
  cacheTtl: z.coerce.number({ error: 'The cache TTL is a number of seconds.' }).int().min(1, 'The cache TTL is at least 1 second.').max(30 * 86400, 'The cache TTL is at most 30 days.'),
  retentionDays: z.coerce.number({ error: 'Retention is a number of days.' }).int().min(1, 'Keep logs at least 1 day.').max(3650, 'Keep logs at most 3650 days.'),
  redisFailMode: z.enum(['open', 'closed']),
  corsOrigins: z.string().max(20_000),
  guardrails: z.string().max(100_000),
});

export async function saveTenantSettingsAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const parsed = input.safeParse(Object.fromEntries(['tenant', 'cacheTtl', 'retentionDays', 'redisFailMode', 'corsOrigins', 'guardrails'].map((k) => [k, form.get(k) ?? ''])));
  if (!parsed.success) return { status: 'error', message: parsed.error.issues[0]!.message };
  let guardrails: unknown;
  try {
    guardrails = JSON.parse(parsed.data.guardrails || '{}');
  } catch (error) {
    return { status: 'error', message: `The guardrail policy is not valid JSON (${(error as Error).message}). Fix it and save again.` };
  }
  const d = parsed.data;
  try {
    await patchTenantSettings(await actionToken(), d.tenant, {
      cache: { enabled: form.get('cacheEnabled') === 'on', ttlSeconds: d.cacheTtl },
      retentionDays: d.retentionDays,
      logBodies: form.get('logBodies') === 'on',
      redisFailMode: d.redisFailMode,
      requireKeyApproval: form.get('requireKeyApproval') === 'on',
      corsOrigins: d.corsOrigins.split(/[\s,]+/).filter(Boolean),
      guardrails,
    });
    revalidatePath('/admin/settings');
    return { status: 'ok', message: 'Settings saved. Gateways apply them within a second.' };
  } catch (error) {
    return actionError(error);
  }
}

export async function savePlatformSettingAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const key = String(form.get('key') ?? '');
  let value: unknown;
  try {
    value = JSON.parse(String(form.get('value') ?? ''));
  } catch (error) {
    return { status: 'error', message: `${key}: not valid JSON (${(error as Error).message}).` };
  }
  try {
    await setPlatformSetting(await actionToken(), key, value);
    revalidatePath('/admin/settings');
    return { status: 'ok', message: `${key} saved.` };
  } catch (error) {
    return actionError(error);
  }
}
