'use client';

import { useActionState } from 'react';
import { FormMessage, inputClass, primaryButtonClass, secondaryButtonClass } from '@/components/ui/form-message';
import { formatDate, StatusBadge } from '@/components/ui/status-badge';
import type { AccessRequest, TenantModel } from '@/lib/admin-api/portal';
import type { ActionResult } from '@/lib/action-result';
import { describeRequest } from '@/lib/access-requests';
import { cancelRequestAction, requestModelAccessAction, requestQuotaAction } from './actions';

const idle = { status: 'idle' } as ActionResult;

export function ModelsPanel({
  tenant,
  models,
  requests,
  canRequest,
}: {
  tenant: string;
  models: TenantModel[];
  requests: AccessRequest[];
  canRequest: boolean;
}) {
  const [access, requestAccess, requesting] = useActionState(requestModelAccessAction, idle);
  const [quota, requestQuota, requestingQuota] = useActionState(requestQuotaAction, idle);
  const [cancelled, cancel] = useActionState(cancelRequestAction, idle);
  const requestable = models.filter((m) => m.access === 'requires_approval');

  return (
    <div className="mt-6 space-y-8">
      <section aria-labelledby="models-title">
        <h2 id="models-title" className="text-base font-semibold text-zinc-900">
          Models
        </h2>
        {models.length === 0 ? (
          <p className="mt-3 rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
            No models are published to this tenant yet. A platform admin publishes them in the admin console.
          </p>
        ) : (
          <div className="mt-3 overflow-x-auto rounded-xl border border-zinc-200 bg-white">
            <table className="min-w-full divide-y divide-zinc-200 text-sm">
              <caption className="sr-only">Models this tenant can call or request</caption>
              <thead className="bg-zinc-50 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500">
                <tr>
                  <th scope="col" className="px-4 py-2">Model</th>
                  <th scope="col" className="px-4 py-2">Kind</th>
                  <th scope="col" className="px-4 py-2">Context</th>
                  <th scope="col" className="px-4 py-2">Input / output per 1M tokens</th>
                  <th scope="col" className="px-4 py-2">Access</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {models.map((m) => (
                  <tr key={m.id}>
                    <td className="px-4 py-2">
                      <span className="font-mono text-zinc-900">{m.name}</span>
                      <span className="block text-xs text-zinc-500">{m.displayName}</span>
                    </td>
                    <td className="px-4 py-2 text-zinc-600">{m.kind}</td>
                    <td className="px-4 py-2 text-zinc-600">{m.contextWindow ? m.contextWindow.toLocaleString('en') : '—'}</td>
                    <td className="px-4 py-2 text-zinc-600">{m.price ? `$${m.price.inputPerMTokUsd} / $${m.price.outputPerMTokUsd}` : 'no price'}</td>
                    <td className="px-4 py-2"><StatusBadge status={m.access} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {canRequest ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <section aria-labelledby="request-access" className="rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
            <h2 id="request-access" className="text-base font-semibold text-zinc-900">
              Request model access
            </h2>
            {requestable.length === 0 ? (
              <p className="mt-2 text-sm text-zinc-600">Every model that needs approval is already available to you or requested.</p>
            ) : (
              <form action={requestAccess} className="mt-3 space-y-3">
                <input type="hidden" name="tenant" value={tenant} />
                <div>
                  <label htmlFor="access-model" className="block text-sm font-medium text-zinc-700">Model</label>
                  <select id="access-model" name="model" className={`mt-1 ${inputClass}`}>
                    {requestable.map((m) => (
                      <option key={m.id} value={m.name}>{m.name}</option>
                    ))}
                  </select>
                </div>
                <div>
                  <label htmlFor="access-reason" className="block text-sm font-medium text-zinc-700">Reason</label>
                  <textarea id="access-reason" name="reason" required rows={3} maxLength={2000} className={`mt-1 ${inputClass}`} />
                </div>
                <button type="submit" disabled={requesting} className={primaryButtonClass}>
                  {requesting ? 'Sending…' : 'Request access'}
                </button>
              </form>
            )}
            <FormMessage result={access} />
          </section>

          <section aria-labelledby="request-quota" className="rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
            <h2 id="request-quota" className="text-base font-semibold text-zinc-900">
              Request a quota increase
            </h2>
            <form action={requestQuota} className="mt-3 space-y-3">
              <input type="hidden" name="tenant" value={tenant} />
              <div className="grid grid-cols-3 gap-2">
                <div>
                  <label htmlFor="quota-metric" className="block text-sm font-medium text-zinc-700">Metric</label>
                  <select id="quota-metric" name="metric" className={`mt-1 ${inputClass}`}>
                    <option value="requests">Requests</option>
                    <option value="tokens">Tokens</option>
                    <option value="cost">Cost (USD)</option>
                  </select>
                </div>
                <div>
                  <label htmlFor="quota-period" className="block text-sm font-medium text-zinc-700">Per</label>
                  <select id="quota-period" name="period" defaultValue="month" className={`mt-1 ${inputClass}`}>
                    <option value="day">Day</option>
                    <option value="week">Week</option>
                    <option value="month">Month</option>
                  </select>
                </div>
                <div>
                  <label htmlFor="quota-limit" className="block text-sm font-medium text-zinc-700">New limit</label>
                  <input id="quota-limit" name="limit" inputMode="decimal" required className={`mt-1 ${inputClass}`} />
                </div>
              </div>
              <div>
                <label htmlFor="quota-reason" className="block text-sm font-medium text-zinc-700">Reason</label>
                <textarea id="quota-reason" name="reason" required rows={2} maxLength={2000} className={`mt-1 ${inputClass}`} />
              </div>
              <button type="submit" disabled={requestingQuota} className={primaryButtonClass}>
                {requestingQuota ? 'Sending…' : 'Request increase'}
              </button>
            </form>
            <FormMessage result={quota} />
          </section>
        </div>
      ) : null}

      <section aria-labelledby="my-requests">
        <h2 id="my-requests" className="text-base font-semibold text-zinc-900">
          My requests
        </h2>
        <FormMessage result={cancelled} />
        {requests.length === 0 ? (
          <p className="mt-3 text-sm text-zinc-600">You have not asked for anything yet.</p>
        ) : (
          <ul className="mt-3 divide-y divide-zinc-100 rounded-xl border border-zinc-200 bg-white">
            {requests.map((r) => (
              <li key={r.id} className="flex flex-col gap-1 px-4 py-3 text-sm sm:flex-row sm:items-center sm:justify-between">
                <div>
                  <span className="font-medium text-zinc-900">{describeRequest(r)}</span>
                  <span className="ml-2"><StatusBadge status={r.status} /></span>
                  <span className="block text-xs text-zinc-500">
                    Asked {formatDate(r.createdAt)}
                    {r.reviewer ? ` · ${r.status} by ${r.reviewer.email} ${formatDate(r.reviewedAt)}` : ' · waiting for ' + (r.reviewableBy === 'platform_admin' ? 'a platform admin' : 'a tenant admin')}
                    {r.reviewNote ? ` · “${r.reviewNote}”` : ''}
                  </span>
                </div>
                {r.status === 'pending' ? (
                  <form action={cancel}>
                    <input type="hidden" name="tenant" value={tenant} />
                    <input type="hidden" name="requestId" value={r.id} />
                    <button type="submit" className={secondaryButtonClass}>Withdraw</button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
