'use client';

import { useActionState } from 'react';
import { FormMessage, inputClass, primaryButtonClass, secondaryButtonClass } from '@/components/ui/form-message';
import { formatDate, StatusBadge } from '@/components/ui/status-badge';
import type { ConnectionTest, Provider } from '@/lib/admin-api/providers';
import type { ActionResult } from '@/lib/action-result';
import { addCredentialAction, createProviderAction, credentialStatusAction, providerEnabledAction, testConnectionAction } from './actions';

const idle = { status: 'idle' } as ActionResult;
const TYPES = ['openai', 'azure_openai', 'anthropic', 'gemini', 'mistral', 'ollama', 'bedrock', 'openai_compatible', 'simulator'];

export function ProviderCard({ provider }: { provider: Provider }) {
  const [tested, test, testing] = useActionState(testConnectionAction, idle as ActionResult<ConnectionTest>);
  const [added, add, adding] = useActionState(addCredentialAction, idle);
  const [changed, change] = useActionState(credentialStatusAction, idle);
  const [toggled, toggle] = useActionState(providerEnabledAction, idle);
  return (
    <section aria-labelledby={`prov-${provider.id}`} className="rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div>
          <h2 id={`prov-${provider.id}`} className="text-base font-semibold text-zinc-900">
            {provider.name} <span className="ml-1 font-mono text-xs font-normal text-zinc-500">{provider.slug} · {provider.type}</span>
          </h2>
          <p className="mt-0.5 font-mono text-xs text-zinc-500">{provider.baseUrl}</p>
          <p className="mt-1 text-xs text-zinc-500">
            <StatusBadge status={provider.enabled ? 'active' : 'disabled'} /> <span className="ml-1">from {provider.source}</span>
          </p>
        </div>
        <div className="flex gap-2">
          <form action={test}>
            <input type="hidden" name="providerId" value={provider.id} />
            <button type="submit" disabled={testing} className={secondaryButtonClass} aria-label={`Test connection to ${provider.name}`}>
              {testing ? 'Testing…' : 'Test connection'}
            </button>
          </form>
          <form action={toggle}>
            <input type="hidden" name="providerId" value={provider.id} />
            <input type="hidden" name="enabled" value={String(!provider.enabled)} />
            <button type="submit" className={secondaryButtonClass}>{provider.enabled ? 'Disable' : 'Enable'}</button>
          </form>
        </div>
      </div>
      <FormMessage result={tested} />
      {tested.status === 'ok' && tested.data && tested.data.models.length > 0 ? (
        <p className="mt-1 text-xs text-zinc-500">Models: {tested.data.models.slice(0, 12).join(', ')}{tested.data.models.length > 12 ? '…' : ''}</p>
      ) : null}
      <FormMessage result={toggled.status !== 'idle' ? toggled : changed} />

      <h3 className="mt-4 text-sm font-semibold text-zinc-900">Credentials</h3>
      {provider.credentials.length === 0 ? (
        <p className="mt-1 text-sm text-zinc-500">{provider.type === 'simulator' || provider.type === 'ollama' ? 'None needed.' : 'None yet: calls to this provider fail until you add one.'}</p>
      ) : (
        <ul className="mt-2 divide-y divide-zinc-100 rounded-md border border-zinc-200">
          {provider.credentials.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
              <span>
                <span className="font-medium text-zinc-900">{c.name}</span> <span className="font-mono text-xs text-zinc-500">…{c.hint}</span>{' '}
                <StatusBadge status={c.status === 'draining' ? 'pending' : c.status} />
                <span className="ml-2 text-xs text-zinc-500">weight {c.weight} · last used {formatDate(c.lastUsedAt, 'never')}</span>
              </span>
              <span className="flex gap-1">
                {(['active', 'draining', 'disabled'] as const)
                  .filter((s) => s !== c.status)
                  .map((s) => (
                    <form key={s} action={change}>
                      <input type="hidden" name="providerId" value={provider.id} />
                      <input type="hidden" name="credentialId" value={c.id} />
                      <input type="hidden" name="status" value={s} />
                      <button type="submit" className={secondaryButtonClass} aria-label={`${s === 'active' ? 'Activate' : s === 'draining' ? 'Drain' : 'Disable'} credential ${c.name}`}>
                        {s === 'active' ? 'Activate' : s === 'draining' ? 'Drain' : 'Disable'}
                      </button>
                    </form>
                  ))}
              </span>
            </li>
          ))}
        </ul>
      )}
      <form action={add} className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end">
        <input type="hidden" name="providerId" value={provider.id} />
        <div>
          <label htmlFor={`cred-name-${provider.id}`} className="block text-xs font-medium text-zinc-600">New credential name</label>
          <input id={`cred-name-${provider.id}`} name="name" className={`mt-1 ${inputClass}`} />
        </div>
        <div className="flex-1">
          <label htmlFor={`cred-secret-${provider.id}`} className="block text-xs font-medium text-zinc-600">API key (stored encrypted)</label>
          <input id={`cred-secret-${provider.id}`} name="secret" type="password" autoComplete="off" className={`mt-1 ${inputClass}`} />
        </div>
        <button type="submit" disabled={adding} className={secondaryButtonClass}>Add credential</button>
      </form>
      <FormMessage result={added} />
    </section>
  );
}

export function AddProviderForm() {
  const [created, create, creating] = useActionState(createProviderAction, idle);
  return (
    <section aria-labelledby="add-provider" className="rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
      <h2 id="add-provider" className="text-base font-semibold text-zinc-900">Add a provider</h2>
      <form action={create} className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <div>
          <label htmlFor="p-name" className="block text-sm font-medium text-zinc-700">Name</label>
          <input id="p-name" name="name" required className={`mt-1 ${inputClass}`} />
        </div>
        <div>
          <label htmlFor="p-slug" className="block text-sm font-medium text-zinc-700">Slug</label>
          <input id="p-slug" name="slug" required className={`mt-1 ${inputClass}`} />
        </div>
        <div>
          <label htmlFor="p-type" className="block text-sm font-medium text-zinc-700">Type</label>
          <select id="p-type" name="type" defaultValue="openai" className={`mt-1 ${inputClass}`}>
            {TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="p-url" className="block text-sm font-medium text-zinc-700">Base URL</label>
          <input id="p-url" name="baseUrl" required placeholder="https://api.openai.com/v1" className={`mt-1 ${inputClass}`} />
        </div>
        <div>
          <label htmlFor="p-secret" className="block text-sm font-medium text-zinc-700">API key (optional)</label>
          <input id="p-secret" name="secret" type="password" autoComplete="off" className={`mt-1 ${inputClass}`} />
        </div>
        <div className="sm:col-span-2 lg:col-span-5">
          <button type="submit" disabled={creating} className={primaryButtonClass}>{creating ? 'Adding…' : 'Add provider'}</button>
        </div>
      </form>
      <FormMessage result={created} />
    </section>
  );
}
