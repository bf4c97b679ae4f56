'use client';

import { useActionState } from 'react';
import { dangerButtonClass, FormMessage, inputClass, primaryButtonClass, secondaryButtonClass } from '@/components/ui/form-message';
import type { ActionResult } from '@/lib/action-result';
import { createQuotaAction, quotaChangeAction } from './actions';

const idle = { status: 'idle' } as ActionResult;

export function QuotaForm({ tenant, keys }: { tenant: string; keys: { id: string; name: string }[] }) {
  const [created, create, creating] = useActionState(createQuotaAction, idle);
  return (
    <section aria-labelledby="add-quota" className="mt-6 rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
      <h2 id="add-quota" className="text-base font-semibold text-zinc-900">Add a quota or budget</h2>
      <form action={create} className="mt-3 grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <input type="hidden" name="tenant" value={tenant} />
        <div>
          <label htmlFor="q-scope" className="block text-sm font-medium text-zinc-700">Applies to</label>
          <select id="q-scope" name="apiKeyId" defaultValue="" className={`mt-1 ${inputClass}`}>
            <option value="">Whole tenant</option>
            {keys.map((k) => <option key={k.id} value={k.id}>Key {k.name}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="q-metric" className="block text-sm font-medium text-zinc-700">Metric</label>
          <select id="q-metric" name="metric" defaultValue="cost" className={`mt-1 ${inputClass}`}>
            <option value="cost">Cost (USD budget)</option>
            <option value="requests">Requests</option>
            <option value="tokens">Tokens</option>
          </select>
        </div>
        <div>
          <label htmlFor="q-period" className="block text-sm font-medium text-zinc-700">Per</label>
          <select id="q-period" name="period" defaultValue="month" className={`mt-1 ${inputClass}`}>
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </div>
        <div>
          <label htmlFor="q-limit" className="block text-sm font-medium text-zinc-700">Limit</label>
          <input id="q-limit" name="limit" inputMode="decimal" required className={`mt-1 ${inputClass}`} />
        </div>
        <div>
          <label htmlFor="q-thresholds" className="block text-sm font-medium text-zinc-700">Alert at (%)</label>
          <input id="q-thresholds" name="thresholds" defaultValue="80, 100" className={`mt-1 ${inputClass}`} />
        </div>
        <div>
          <label htmlFor="q-webhook" className="block text-sm font-medium text-zinc-700">Webhook (optional)</label>
          <input id="q-webhook" name="webhookUrl" type="url" className={`mt-1 ${inputClass}`} />
        </div>
        <div className="sm:col-span-3 lg:col-span-6">
          <button type="submit" disabled={creating} className={primaryButtonClass}>{creating ? 'Adding…' : 'Add'}</button>
        </div>
      </form>
      <FormMessage result={created} />
    </section>
  );
}

export function QuotaActions({ tenant, quotas }: { tenant: string; quotas: { id: string; enabled: boolean; label: string }[] }) {
  const [result, change] = useActionState(quotaChangeAction, idle);
  return (
    <div className="mt-4 border-t border-zinc-200 pt-3">
      <ul className="flex flex-wrap gap-3 text-sm">
        {quotas.map((q) => (
          <li key={q.id} className="flex items-center gap-1">
            <span className="text-zinc-600">{q.label}:</span>
            <form action={change}>
              <input type="hidden" name="tenant" value={tenant} />
              <input type="hidden" name="quotaId" value={q.id} />
              <input type="hidden" name="change" value={q.enabled ? 'disable' : 'enable'} />
              <button type="submit" className={secondaryButtonClass}>{q.enabled ? 'Disable' : 'Enable'}</button>
            </form>
            <form action={change} onSubmit={(e) => { if (!window.confirm(`Delete ${q.label}?`)) e.preventDefault(); }}>
              <input type="hidden" name="tenant" value={tenant} />
              <input type="hidden" name="quotaId" value={q.id} />
              <input type="hidden" name="change" value="delete" />
              <button type="submit" className={dangerButtonClass}>Delete</button>
            </form>
          </li>
        ))}
      </ul>
      <FormMessage result={result} />
    </div>
  );
}
