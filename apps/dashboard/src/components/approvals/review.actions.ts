'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { reviewAccessRequest } from '@/lib/admin-api/portal';
import { actionError, type ActionResult } from '@/lib/action-result';
import { actionToken } from '@/lib/action-session';

const input = z.object({
  tenantId: z.string().min(1),
  requestId: z.string().min(1),
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(2000, 'Keep the note under 2000 characters.'),
});

export async function reviewAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const parsed = input.safeParse({
    tenantId: form.get('tenantId'),
    requestId: form.get('requestId'),
    decision: form.get('decision'),
    note: form.get('note') ?? '',
  });
  if (!parsed.success) return { status: 'error', message: parsed.error.issues[0]!.message };
  const { tenantId, requestId, decision, note } = parsed.data;
  if (decision === 'reject' && !note) return { status: 'error', message: 'Add a note saying why, so the requester knows what to change.' };
  try {
    const reviewed = await reviewAccessRequest(await actionToken(), tenantId, requestId, decision, note || undefined);
    revalidatePath('/admin/approvals');
    revalidatePath('/t/[tenant]/models', 'page');
    return { status: 'ok', message: `${decision === 'approve' ? 'Approved' : 'Rejected'}: request from ${reviewed.requester.email}.` };
  } catch (error) {
    return actionError(error);
  }
}
