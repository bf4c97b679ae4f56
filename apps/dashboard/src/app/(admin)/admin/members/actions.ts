'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { addMember, removeMember, ROLES, updateMember, updateUser } from '@/lib/admin-api/org';
import { actionError, type ActionResult } from '@/lib/action-result';
import { actionToken } from '@/lib/action-session';

const addInput = z.object({
  tenant: z.string().min(1),
  email: z.email('Enter the person’s email address.'),
  role: z.enum(ROLES),
  password: z.union([z.literal(''), z.string().min(10, 'A password for a new account needs at least 10 characters; or leave it empty to invite.')]),
});

export async function addMemberAction(_prev: ActionResult<{ token?: string }>, form: FormData): Promise<ActionResult<{ token?: string }>> {
  const parsed = addInput.safeParse(Object.fromEntries(['tenant', 'email', 'role', 'password'].map((k) => [k, form.get(k) ?? ''])));
  if (!parsed.success) return { status: 'error', message: parsed.error.issues[0]!.message };
  const { tenant, password, ...rest } = parsed.data;
  try {
    const added = await addMember(await actionToken(), tenant, { ...rest, ...(password ? { password } : {}) });
    revalidatePath('/admin/members');
    if (added.kind === 'invitation') {
      return {
        status: 'ok',
        message: `${added.invitation.email} has no account yet: invitation created. Send them this token (shown once); it expires ${added.invitation.expiresAt.slice(0, 10)}.`,
        data: { token: added.token },
      };
    }
    return { status: 'ok', message: `${added.member.email} is now ${added.member.role} of ${tenant}${added.userCreated ? ' (account created)' : ''}.` };
  } catch (error) {
    return actionError(error);
  }
}

export async function changeRoleAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const parsed = z.object({ tenant: z.string().min(1), userId: z.string().min(1), role: z.enum(ROLES) }).safeParse(Object.fromEntries(form));
  if (!parsed.success) return { status: 'error', message: 'Choose a role.' };
  try {
    await updateMember(await actionToken(), parsed.data.tenant, parsed.data.userId, parsed.data.role);
    revalidatePath('/admin/members');
    return { status: 'ok', message: 'Role changed.' };
  } catch (error) {
    return actionError(error);
  }
}

export async function removeMemberAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  try {
    await removeMember(await actionToken(), String(form.get('tenant')), String(form.get('userId')));
    revalidatePath('/admin/members');
    return { status: 'ok', message: 'Member removed. Their keys stay with the tenant.' };
  } catch (error) {
    return actionError(error);
  }
}

export async function updateAccountAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const userId = String(form.get('userId') ?? '');
  const change = String(form.get('change') ?? '');
  const body =
    change === 'unlock' ? { unlock: true as const }
    : change === 'disable' ? { status: 'disabled' as const }
    : change === 'enable' ? { status: 'active' as const }
    : change === 'promote' ? { platformRole: 'admin' as const }
    : change === 'demote' ? { platformRole: 'user' as const }
    : null;
  if (!body) return { status: 'error', message: 'Unknown change.' };
  try {
    await updateUser(await actionToken(), userId, body);
    revalidatePath('/admin/members');
    return { status: 'ok', message: 'Account updated.' };
  } catch (error) {
    return actionError(error);
  }
}
