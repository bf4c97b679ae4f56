'use client';

import { useActionState, useState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { dangerButtonClass, FormMessage, inputClass, primaryButtonClass, secondaryButtonClass } from '@/components/ui/form-message';
import { Pager, usePage } from '@/components/ui/pager';
import { formatDate, StatusBadge } from '@/components/ui/status-badge';
import type { ApiKey } from '@/lib/admin-api/portal';
import type { ActionResult } from '@/lib/action-result';
import { createKeyAction, revokeKeyAction, rotateKeyAction, type SecretShown } from './actions';

export function KeysPanel({ tenant, keys, canWrite }: { tenant: string; keys: ApiKey[]; canWrite: boolean }) {
  const [created, create, creating] = useActionState(createKeyAction, { status: 'idle' } as ActionResult<SecretShown>);
  const [rotated, rotate, rotating] = useActionState(rotateKeyAction, { status: 'idle' } as ActionResult<SecretShown>);
  const [revoked, revoke, revoking] = useActionState(revokeKeyAction, { status: 'idle' } as ActionResult);
  const secret = rotated.status === 'ok' && rotated.data ? rotated.data : created.status === 'ok' ? created.data : undefined;
  const visible = keys.filter((k) => k.status !== 'revoked');
  const [showRevoked, setShowRevoked] = useState(false);
  const rows = showRevoked ? keys : visible;
  const paged = usePage(rows, 20);

  return (
    <div className="mt-6 space-y-6">
      {canWrite ? (
        <section aria-labelledby="create-key" className="rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
          <h2 id="create-key" className="text-base font-semibold text-zinc-900">
            Create a key
          </h2>
          <form action={create} className="mt-3 flex flex-col gap-3 sm:flex-row sm:items-end">
            <input type="hidden" name="tenant" value={tenant} />
            <div className="flex-1">
              <label htmlFor="key-name" className="block text-sm font-medium text-zinc-700">
                Key name
              </label>
              <input id="key-name" name="name" required maxLength={100} placeholder="e.g. billing-service" className={`mt-1 ${inputClass}`} />
            </div>
            <div>
              <label htmlFor="key-expiry" className="block text-sm font-medium text-zinc-700">
                Expires
              </label>
              <select id="key-expiry" name="expiresInDays" defaultValue="" className={`mt-1 ${inputClass}`}>
                <option value="">Never</option>
                <option value="7">In 7 days</option>
                <option value="30">In 30 days</option>
                <option value="90">In 90 days</option>
                <option value="365">In a year</option>
              </select>
            </div>
            <button type="submit" disabled={creating} className={primaryButtonClass}>
              {creating ? 'Creating…' : 'Create key'}
            </button>
          </form>
          <FormMessage result={created} />
        </section>
      ) : (
        <p className="text-sm text-zinc-600">You are a viewer in this tenant: you can see keys but not create or change them.</p>
      )}

      {secret ? <SecretPanel secret={secret} /> : null}
      <FormMessage result={rotated.status === 'error' ? rotated : revoked} />

      <section aria-labelledby="key-list">
        <div className="flex items-center justify-between">
          <h2 id="key-list" className="text-base font-semibold text-zinc-900">
            Keys
          </h2>
          <label className="flex items-center gap-2 text-sm text-zinc-600">
            <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
            Show revoked keys
          </label>
        </div>
        {rows.length === 0 ? (
          <p className="mt-3 rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
            No keys yet. Create one above; your applications send it as <code>Authorization: Bearer …</code>.
          </p>
        ) : (
          <div className="mt-3 overflow-x-auto rounded-xl border border-zinc-200 bg-white">
            <table className="min-w-full divide-y divide-zinc-200 text-sm">
              <caption className="sr-only">API keys of this tenant</caption>
              <thead className="bg-zinc-50 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500">
                <tr>
                  <th scope="col" className="px-4 py-2">Name</th>
                  <th scope="col" className="px-4 py-2">Key</th>
                  <th scope="col" className="px-4 py-2">Status</th>
                  <th scope="col" className="px-4 py-2">Created by</th>
                  <th scope="col" className="px-4 py-2">Last used</th>
                  <th scope="col" className="px-4 py-2">Expires</th>
                  {canWrite ? <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th> : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {paged.items.map((key) => (
                  <tr key={key.id}>
                    <td className="px-4 py-2 font-medium text-zinc-900">{key.name}</td>
                    <td className="px-4 py-2 font-mono text-xs text-zinc-600">{key.prefix}…</td>
                    <td className="px-4 py-2"><StatusBadge status={key.status} /></td>
                    <td className="px-4 py-2 text-zinc-600">{key.createdBy?.email ?? '—'}</td>
                    <td className="px-4 py-2 text-zinc-600">{formatDate(key.lastUsedAt, 'never')}</td>
                    <td className="px-4 py-2 text-zinc-600">{formatDate(key.expiresAt, 'never')}</td>
                    {canWrite ? (
                      <td className="px-4 py-2">
                        {key.status === 'active' || key.status === 'pending' ? (
                          <div className="flex items-center justify-end gap-2 whitespace-nowrap">
                            <form action={rotate} className="flex items-center gap-1">
                              <input type="hidden" name="tenant" value={tenant} />
                              <input type="hidden" name="keyId" value={key.id} />
                              <label className="sr-only" htmlFor={`grace-${key.id}`}>
                                Old secret keeps working for
                              </label>
                              <select id={`grace-${key.id}`} name="grace" defaultValue="86400" className="rounded-md border border-zinc-300 px-1.5 py-1 text-xs">
                                <option value="0">old stops now</option>
                                <option value="3600">old works 1 h</option>
                                <option value="86400">old works 1 day</option>
                                <option value="604800">old works 7 days</option>
                              </select>
                              <button type="submit" disabled={rotating} className={secondaryButtonClass} aria-label={`Rotate ${key.name}`}>
                                Rotate
                              </button>
                            </form>
                            <form
                              action={revoke}
                              onSubmit={(e) => {
                                if (!window.confirm(`Revoke “${key.name}”? Applications using it stop working at once.`)) e.preventDefault();
                              }}
                            >
                              <input type="hidden" name="tenant" value={tenant} />
                              <input type="hidden" name="keyId" value={key.id} />
                              <button type="submit" disabled={revoking} className={dangerButtonClass} aria-label={`Revoke ${key.name}`}>
                                Revoke
                              </button>
                            </form>
                          </div>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager {...paged} label="keys" />
          </div>
        )}
      </section>
    </div>
  );
}

function SecretPanel({ secret }: { secret: SecretShown }) {
  return (
    <section aria-labelledby="secret-title" className="rounded-xl border border-amber-300 bg-amber-50 p-5">
      <h2 id="secret-title" className="text-base font-semibold text-amber-900">
        Copy the secret of “{secret.name}” now
      </h2>
      <p className="mt-1 text-sm text-amber-900">
        This is the only time it is shown: Conduit keeps only a hash. Store it in your application&apos;s secret store.
        {secret.pendingApproval ? ' The key works once a tenant admin approves it.' : ''}
      </p>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row">
        <label htmlFor="new-secret" className="sr-only">
          New API key secret
        </label>
        <input
          id="new-secret"
          readOnly
          value={secret.secret}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full rounded-md border border-amber-300 bg-white px-3 py-1.5 font-mono text-sm text-zinc-900"
        />
        <CopyButton value={secret.secret} label="Copy secret" />
      </div>
    </section>
  );
}
