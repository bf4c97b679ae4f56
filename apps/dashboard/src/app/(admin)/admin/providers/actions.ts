'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { addCredential, type ConnectionTest, createProvider, PROVIDER_TYPES, setCredentialStatus, setProviderEnabled, testConnection } from '@/lib/admin-api/providers';
import { actionError, type ActionResult } from '@/lib/action-result';
import { actionToken } from '@/lib/action-session';

const createInput = z.object({
  name: z.string().trim().min(1, 'Give the provider a name.').max(200),
  slug: z.string().trim().toLowerCase().regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, 'The slug takes lowercase letters, digits and dashes (2–48 characters).'),
  type: z.enum(PROVIDER_TYPES),
  baseUrl: z.url({ message: 'Enter the provider’s base URL, e.g. https://api.openai.com/v1.' }),
  secret: z.string().max(10_000),
});

export async function createProviderAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const parsed = createInput.safeParse(Object.fromEntries(['name', 'slug', 'type', 'baseUrl', 'secret'].map((k) => [k, form.get(k) ?? ''])));
  if (!parsed.success) return { status: 'error', message: parsed.error.issues[0]!.message };
  const { secret, ...rest } = parsed.data;
  try {
    const created = await createProvider(await actionToken(), { ...rest, credentials: secret ? [{ name: 'default', secret }] : [] });
    revalidatePath('/admin/providers');
    return { status: 'ok', message: `Provider “${created.name}” added${secret ? ' with its credential (stored encrypted, never shown again)' : ''}.` };
  } catch (error) {
    return actionError(error);
  }
}

export async function addCredentialAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const parsed = z
    .object({ providerId: z.string().min(1), name: z.string().trim().min(1, 'Name the credential, e.g. key-2026-11.').max(100), secret: z.string().min(1, 'Paste the provider’s API key.').max(10_000) })
    .safeParse(Object.fromEntries(['providerId', 'name', 'secret'].map((k) => [k, form.get(k) ?? ''])));
  if (!parsed.success) return { status: 'error', message: parsed.error.issues[0]!.message };
  try {
    await addCredential(await actionToken(), parsed.data.providerId, { name: parsed.data.name, secret: parsed.data.secret });
    revalidatePath('/admin/providers');
    return { status: 'ok', message: 'Credential added. To rotate, drain the old one, then disable it once traffic has moved.' };
  } catch (error) {
    return actionError(error);
  }
}

export async function credentialStatusAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const parsed = z
    .object({ providerId: z.string().min(1), credentialId: z.string().min(1), status: z.enum(['active', 'draining', 'disabled']) })
    .safeParse(Object.fromEntries(form));
  if (!parsed.success) return { status: 'error', message: 'Unknown change.' };
  try {
    await setCredentialStatus(await actionToken(), parsed.data.providerId, parsed.data.credentialId, parsed.data.status);
    revalidatePath('/admin/providers');
    return { status: 'ok', message: `Credential is now ${parsed.data.status}.` };
  } catch (error) {
    return actionError(error);
  }
}

export async function providerEnabledAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  try {
    const enabled = form.get('enabled') === 'true';
    await setProviderEnabled(await actionToken(), String(form.get('providerId')), enabled);
    revalidatePath('/admin/providers');
    return { status: 'ok', message: enabled ? 'Provider enabled.' : 'Provider disabled: its deployments receive no traffic.' };
  } catch (error) {
    return actionError(error);
  }
}

export async function testConnectionAction(_prev: ActionResult<ConnectionTest>, form: FormData): Promise<ActionResult<ConnectionTest>> {
  try {
    const result = await testConnection(await actionToken(), String(form.get('providerId')));
    return result.ok
      ? { status: 'ok', message: `Connected in ${result.latencyMs} ms (HTTP ${result.status}); ${result.models.length} models listed.`, data: result }
      : { status: 'error', message: `Connection failed (${result.status ? `HTTP ${result.status}` : 'no answer'} from ${result.url}): ${result.message}. Check the base URL and the credential.` };
  } catch (error) {
    return actionError(error);
  }
}
