'use client';

import { useActionState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { dangerButtonClass, FormMessage, inputClass, primaryButtonClass, secondaryButtonClass } from '@/components/ui/form-message';
import { Pager, usePage } from '@/components/ui/pager';
import { formatDate, StatusBadge } from '@/components/ui/status-badge';
import type { Member, User } from '@/lib/admin-api/org';
import type { ActionResult } from '@/lib/action-result';
import { addMemberAction, changeRoleAction, removeMemberAction, updateAccountAction } from './actions';

const idle = { status: 'idle' } as ActionResult;
const ROLE_OPTIONS = ['owner', 'admin', 'developer', 'viewer'] as const;

export function MembersPanel({ tenant, tenantName, members }: { tenant: string; tenantName: string; members: Member[] }) {
  const [added, add, adding] = useActionState(addMemberAction, idle as ActionResult<{ token?: string }>);
  const [changed, change] = useActionState(changeRoleAction, idle);
  const [removed, remove] = useActionState(removeMemberAction, idle);
  const paged = usePage(members, 20);
  return (
    <div className="mt-4 space-y-6">
      <section aria-labelledby="add-member" className="rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
        <h2 id="add-member" className="text-base font-semibold text-zinc-900">Add someone to {tenantName}</h2>
        <p className="mt-1 text-sm text-zinc-600">An existing account is added at once; a new email with a password gets an account; without a password, an invitation.</p>
        <form action={add} className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <input type="hidden" name="tenant" value={tenant} />
          <div>
            <label htmlFor="m-email" className="block text-sm font-medium text-zinc-700">Email</label>
            <input id="m-email" name="email" type="email" required className={`mt-1 ${inputClass}`} />
          </div>
          <div>
            <label htmlFor="m-role" className="block text-sm font-medium text-zinc-700">Role</label>
            <select id="m-role" name="role" defaultValue="developer" className={`mt-1 ${inputClass}`}>
              {ROLE_OPTIONS.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="m-password" className="block text-sm font-medium text-zinc-700">Password for a new account</label>
            <input id="m-password" name="password" type="password" autoComplete="new-password" className={`mt-1 ${inputClass}`} />
          </div>
          <div className="flex items-end">
            <button type="submit" disabled={adding} className={primaryButtonClass}>{adding ? 'Adding…' : 'Add member'}</button>
          </div>
        </form>
        <FormMessage result={added} />
        {added.status === 'ok' && added.data?.token ? (
          <div className="mt-2 flex gap-2">
            <label htmlFor="invite-token" className="sr-only">Invitation token</label>
            <input id="invite-token" readOnly value={added.data.token} className={`font-mono ${inputClass}`} />
            <CopyButton value={added.data.token} label="Copy token" />
          </div>
        ) : null}
      </section>
      <FormMessage result={changed.status !== 'idle' ? changed : removed} />
      <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white">
        <table className="min-w-full divide-y divide-zinc-200 text-sm">
          <caption className="sr-only">Members of {tenantName}</caption>
          <thead className="bg-zinc-50 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500">
            <tr>
              <th scope="col" className="px-4 py-2">Member</th>
              <th scope="col" className="px-4 py-2">Role</th>
              <th scope="col" className="px-4 py-2">Status</th>
              <th scope="col" className="px-4 py-2">Last sign-in</th>
              <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {paged.items.length === 0 ? (
              <tr><td colSpan={5} className="px-4 py-6 text-center text-zinc-500">No members yet.</td></tr>
            ) : null}
            {paged.items.map((m) => (
              <tr key={m.userId}>
                <td className="px-4 py-2"><span className="font-medium text-zinc-900">{m.email}</span>{m.name ? <span className="block text-xs text-zinc-500">{m.name}</span> : null}</td>
                <td className="px-4 py-2">
                  <form action={change} className="flex items-center gap-1">
                    <input type="hidden" name="tenant" value={tenant} />
                    <input type="hidden" name="userId" value={m.userId} />
                    <label htmlFor={`role-${m.userId}`} className="sr-only">Role of {m.email}</label>
                    <select id={`role-${m.userId}`} name="role" defaultValue={m.role} className="rounded-md border border-zinc-300 px-1.5 py-1 text-sm">
                      {ROLE_OPTIONS.map((r) => <option key={r} value={r}>{r}</option>)}
                    </select>
                    <button type="submit" className={secondaryButtonClass}>Save</button>
                  </form>
                </td>
                <td className="px-4 py-2"><StatusBadge status={m.status} /></td>
                <td className="px-4 py-2 text-zinc-600">{formatDate(m.lastLoginAt, 'never')}</td>
                <td className="px-4 py-2 text-right">
                  <form action={remove} onSubmit={(e) => { if (!window.confirm(`Remove ${m.email} from ${tenantName}?`)) e.preventDefault(); }}>
                    <input type="hidden" name="tenant" value={tenant} />
                    <input type="hidden" name="userId" value={m.userId} />
                    <button type="submit" className={dangerButtonClass} aria-label={`Remove ${m.email}`}>Remove</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager {...paged} label="members" />
      </div>
    </div>
  );
}

export function AccountsTable({ users, selfId }: { users: User[]; selfId: string }) {
  const [result, update] = useActionState(updateAccountAction, idle);
  const paged = usePage(users, 20);
  const button = (u: User, change: string, label: string) => (
    <form action={update}>
      <input type="hidden" name="userId" value={u.id} />
      <input type="hidden" name="change" value={change} />
      <button type="submit" className={secondaryButtonClass} aria-label={`${label}: ${u.email}`}>{label}</button>
    </form>
  );
  return (
    <section aria-labelledby="accounts-title" className="mt-10">
      <h2 id="accounts-title" className="text-base font-semibold text-zinc-900">All accounts</h2>
      <FormMessage result={result} />
      <div className="mt-3 overflow-x-auto rounded-xl border border-zinc-200 bg-white">
        <table className="min-w-full divide-y divide-zinc-200 text-sm">
          <thead className="bg-zinc-50 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500">
            <tr>
              <th scope="col" className="px-4 py-2">Account</th>
              <th scope="col" className="px-4 py-2">Platform role</th>
              <th scope="col" className="px-4 py-2">Tenants</th>
              <th scope="col" className="px-4 py-2">Status</th>
              <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {paged.items.map((u) => (
              <tr key={u.id}>
                <td className="px-4 py-2 font-medium text-zinc-900">{u.email}</td>
                <td className="px-4 py-2 text-zinc-600">{u.platformRole === 'admin' ? 'Platform admin' : 'User'}</td>
                <td className="px-4 py-2 text-zinc-600">{u.memberships.map((m) => `${m.tenantSlug} (${m.role})`).join(', ') || '—'}</td>
                <td className="px-4 py-2">
                  <StatusBadge status={u.status} />
                  {u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() ? <span className="ml-1 text-xs text-amber-700">locked</span> : null}
                </td>
                <td className="px-4 py-2">
                  {u.id === selfId ? <span className="text-xs text-zinc-400">you</span> : (
                    <div className="flex justify-end gap-1">
                      {u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() ? button(u, 'unlock', 'Unlock') : null}
                      {u.status === 'active' ? button(u, 'disable', 'Disable') : button(u, 'enable', 'Enable')}
                      {u.platformRole === 'admin' ? button(u, 'demote', 'Remove admin') : button(u, 'promote', 'Make admin')}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager {...paged} label="accounts" />
      </div>
    </section>
  );
}
