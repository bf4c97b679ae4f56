'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createTenant, PLANS, setTenantSuspended } from '@/lib/admin-api/org';
import { actionError, type ActionResult } from '@/lib/action-result';
import { actionToken } from '@/lib/action-session';

const input = z.object({
  name: z.string().trim().min(1, 'Give the tenant a name.').max(200),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, 'The slug takes lowercase letters, digits and dashes (2–48 characters); it appears in URLs.'),
  plan: z.enum(PLANS),
  ownerEmail: z.union([z.literal(''), z.email('The owner needs a valid email address, or leave it empty.')]),
  ownerPassword: z.union([z.literal(''), z.string().min(10, 'A new owner’s password needs at least 10 characters.')]),
});

export async function createTenantAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const parsed = input.safeParse(Object.fromEntries(['name', 'slug', 'plan', 'ownerEmail', 'ownerPassword'].map((k) => [k, form.get(k) ?? ''])));
  if (!parsed.success) return { status: 'error', message: parsed.error.issues[0]!.message };
  const { ownerEmail, ownerPassword, ...rest } = parsed.data;
  try {
    const tenant = await createTenant(await actionToken(), {
      ...rest,
      ...(ownerEmail ? { owner: { email: ownerEmail, ...(ownerPassword ? { password: ownerPassword } : {}) } } : {}),
    });
    revalidatePath('/admin/tenants');
    return { status: 'ok', message: `Tenant “${tenant.name}” created (/t/${tenant.slug}).` };
  } catch (error) {
    return actionError(error);
  }
}

export async function suspendTenantAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const tenant = String(form.get('tenant') ?? '');
  const suspend = form.get('suspend') === 'true';
  try {
    await setTenantSuspended(await actionToken(), tenant, suspend);
    revalidatePath('/admin/tenants');
    return { status: 'ok', message: suspend ? `Tenant ${tenant} suspended: its keys are refused.` : `Tenant ${tenant} resumed.` };
  } catch (error) {
    return actionError(error);
  }
}
