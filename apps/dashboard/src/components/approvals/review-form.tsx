'use client';

import { useActionState, useId } from 'react';
import { dangerButtonClass, FormMessage, inputClass, primaryButtonClass } from '@/components/ui/form-message';
import type { ActionResult } from '@/lib/action-result';
import { reviewAction } from './review.actions';

export function ReviewForm({ tenantId, requestId }: { tenantId: string; requestId: string }) {
  const [result, review, pending] = useActionState(reviewAction, { status: 'idle' } as ActionResult);
  const id = useId();
  return (
    <form action={review} className="mt-3">
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="requestId" value={requestId} />
      <label htmlFor={`${id}-note`} className="block text-sm font-medium text-zinc-700">
        Note to the requester
      </label>
      <div className="mt-1 flex flex-col gap-2 sm:flex-row">
        <input id={`${id}-note`} name="note" maxLength={2000} placeholder="Optional when approving, required when rejecting" className={inputClass} />
        <button type="submit" name="decision" value="approve" disabled={pending} className={primaryButtonClass}>
          Approve
        </button>
        <button type="submit" name="decision" value="reject" disabled={pending} className={dangerButtonClass}>
          Reject
        </button>
      </div>
      <FormMessage result={result} />
    </form>
  );
}
