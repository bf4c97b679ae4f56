'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createKey, revokeKey, rotateKey } from '@/lib/admin-api/portal';
import { actionError, type ActionResult } from '@/lib/action-result';
import { actionToken } from '@/lib/action-session';

export interface SecretShown {
  name: string;
  prefix: string;
  secret: string;
  pendingApproval: boolean;
}

const createInput = z.object({
  tenant: z.string().min(1),
  name: z.string().trim().min(1, 'Give the key a name, e.g. the application that will use it.').max(100, 'Keep the name under 100 characters.'),
  expiresInDays: z.enum(['', '7', '30', '90', '365']),
});

export async function createKeyAction(_prev: ActionResult<SecretShown>, form: FormData): Promise<ActionResult<SecretShown>> {
  const input = createInput.safeParse({ tenant: form.get('tenant'), name: form.get('name') ?? '', expiresInDays: form.get('expiresInDays') ?? '' });
  if (!input.success) return { status: 'error', message: input.error.issues[0]!.message };
  try {
    const token = await actionToken();
    const created = await createKey(token, input.data.tenant, {
      name: input.data.name,
      allowedModels: [],
      ...(input.data.expiresInDays ? { expiresInDays: Number(input.data.expiresInDays) } : {}),
    });
    revalidatePath(`/t/${encodeURIComponent(input.data.tenant)}/keys`);
    return {
      status: 'ok',
      data: { name: created.key.name, prefix: created.key.prefix, secret: created.secret, pendingApproval: created.accessRequestId !== null },
    };
  } catch (error) {
    return actionError(error);
  }
}

const keyInput = z.object({ tenant: z.string().min(1), keyId: z.string().min(1) });

export async function rotateKeyAction(_prev: ActionResult<SecretShown>, form: FormData): Promise<ActionResult<SecretShown>> {
  const input = keyInput.extend({ grace: z.enum(['0', '3600', '86400', '604800']) }).safeParse({
    tenant: form.get('tenant'),
    keyId: form.get('keyId'),
    grace: form.get('grace') ?? '86400',
  });
  if (!input.success) return { status: 'error', message: 'Choose how long the old secret keeps working.' };
  try {
    const token = await actionToken();
    const rotated = await rotateKey(token, input.data.tenant, input.data.keyId, Number(input.data.grace));
    revalidatePath(`/t/${encodeURIComponent(input.data.tenant)}/keys`);
    return { status: 'ok', data: { name: rotated.key.name, prefix: rotated.key.prefix, secret: rotated.secret, pendingApproval: false } };
  } catch (error) {
    return actionError(error);
  }
}

export async function revokeKeyAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const input = keyInput.safeParse({ tenant: form.get('tenant'), keyId: form.get('keyId') });
  if (!input.success) return { status: 'error', message: 'That key could not be identified; reload the page.' };
  try {
    const token = await actionToken();
    await revokeKey(token, input.data.tenant, input.data.keyId);
    revalidatePath(`/t/${encodeURIComponent(input.data.tenant)}/keys`);
    return { status: 'ok', message: 'Key revoked. Calls with it are refused from now on.' };
  } catch (error) {
    return actionError(error);
  }
}
