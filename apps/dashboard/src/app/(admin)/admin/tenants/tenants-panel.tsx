'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { FormMessage, inputClass, primaryButtonClass, secondaryButtonClass } from '@/components/ui/form-message';
import { Pager, usePage } from '@/components/ui/pager';
import { formatDate, StatusBadge } from '@/components/ui/status-badge';
import type { TenantSummary } from '@/lib/admin-api/portal';
import type { ActionResult } from '@/lib/action-result';
import { createTenantAction, suspendTenantAction } from './actions';

const idle = { status: 'idle' } as ActionResult;

export function TenantsPanel({ tenants }: { tenants: TenantSummary[] }) {
  const [created, create, creating] = useActionState(createTenantAction, idle);
  const [suspended, suspend] = useActionState(suspendTenantAction, idle);
  const paged = usePage(tenants, 20);
  return (
    <div className="mt-6 space-y-6">
      <section aria-labelledby="create-tenant" className="rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
        <h2 id="create-tenant" className="text-base font-semibold text-zinc-900">Create a tenant</h2>
        <form action={create} className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
          <F id="t-name" label="Tenant name"><input id="t-name" name="name" required className={inputClass} /></F>
          <F id="t-slug" label="Slug"><input id="t-slug" name="slug" required placeholder="acme" className={inputClass} /></F>
          <F id="t-plan" label="Plan">
            <select id="t-plan" name="plan" defaultValue="free" className={inputClass}>
              <option value="free">Free</option>
              <option value="basic">Basic</option>
              <option value="pro">Pro</option>
              <option value="enterprise">Enterprise</option>
            </select>
          </F>
          <F id="t-owner" label="Owner email (optional)"><input id="t-owner" name="ownerEmail" type="email" className={inputClass} /></F>
          <F id="t-owner-pw" label="Owner password (new account)"><input id="t-owner-pw" name="ownerPassword" type="password" autoComplete="new-password" className={inputClass} /></F>
          <div className="sm:col-span-2 lg:col-span-5">
            <button type="submit" disabled={creating} className={primaryButtonClass}>{creating ? 'Creating…' : 'Create tenant'}</button>
          </div>
        </form>
        <FormMessage result={created} />
      </section>
      <FormMessage result={suspended} />
      <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white">
        <table className="min-w-full divide-y divide-zinc-200 text-sm">
          <caption className="sr-only">Tenants</caption>
          <thead className="bg-zinc-50 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500">
            <tr>
              <th scope="col" className="px-4 py-2">Name</th>
              <th scope="col" className="px-4 py-2">Slug</th>
              <th scope="col" className="px-4 py-2">Plan</th>
              <th scope="col" className="px-4 py-2">Status</th>
              <th scope="col" className="px-4 py-2">Created</th>
              <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {paged.items.map((t) => (
              <tr key={t.id}>
                <td className="px-4 py-2 font-medium text-zinc-900">{t.name}</td>
                <td className="px-4 py-2 font-mono text-zinc-600">{t.slug}</td>
                <td className="px-4 py-2 text-zinc-600">{t.plan}</td>
                <td className="px-4 py-2"><StatusBadge status={t.status} /></td>
                <td className="px-4 py-2 text-zinc-600">{formatDate(t.createdAt)}</td>
                <td className="px-4 py-2">
                  <div className="flex justify-end gap-2">
                    <Link href={`/admin/members?tenant=${encodeURIComponent(t.slug)}`} className={secondaryButtonClass}>Members</Link>
                    <form action={suspend} onSubmit={(e) => { if (t.status === 'active' && !window.confirm(`Suspend ${t.name}? All its keys are refused until it is resumed.`)) e.preventDefault(); }}>
                      <input type="hidden" name="tenant" value={t.slug} />
                      <input type="hidden" name="suspend" value={String(t.status === 'active')} />
                      <button type="submit" className={secondaryButtonClass} aria-label={`${t.status === 'active' ? 'Suspend' : 'Resume'} ${t.name}`}>
                        {t.status === 'active' ? 'Suspend' : 'Resume'}
                      </button>
                    </form>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager {...paged} label="tenants" />
      </div>
    </div>
  );
}

function F({ id, label, children }: { id: string; label: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-700">{label}</label>
      <div className="mt-1">{children}</div>
    </div>
  );
}
