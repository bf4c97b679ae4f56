'use client';

import { useActionState } from 'react';
import { FormMessage, inputClass, primaryButtonClass, secondaryButtonClass } from '@/components/ui/form-message';
import type { ActionResult } from '@/lib/action-result';
import { addDeploymentAction, addPriceAction, createModelAction, toggleDeploymentAction, updateModelAction } from './actions';

const idle = { status: 'idle' } as ActionResult;
const STRATEGIES = ['priority', 'weighted', 'round_robin', 'least_latency', 'lowest_cost'];

export function CreateModelForm() {
  const [result, create, pending] = useActionState(createModelAction, idle);
  return (
    <section aria-labelledby="create-model" className="mt-6 rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
      <h2 id="create-model" className="text-base font-semibold text-zinc-900">Add a model</h2>
      <form action={create} className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <div>
          <label htmlFor="cm-name" className="block text-sm font-medium text-zinc-700">Public name</label>
          <input id="cm-name" name="name" required placeholder="gpt-4o" className={`mt-1 ${inputClass}`} />
        </div>
        <div>
          <label htmlFor="cm-display" className="block text-sm font-medium text-zinc-700">Display name</label>
          <input id="cm-display" name="displayName" className={`mt-1 ${inputClass}`} />
        </div>
        <div>
          <label htmlFor="cm-kind" className="block text-sm font-medium text-zinc-700">Kind</label>
          <select id="cm-kind" name="kind" className={`mt-1 ${inputClass}`}>
            <option value="chat">chat</option>
            <option value="completion">completion</option>
            <option value="embedding">embedding</option>
          </select>
        </div>
        <div>
          <label htmlFor="cm-strategy" className="block text-sm font-medium text-zinc-700">Routing</label>
          <select id="cm-strategy" name="routingStrategy" className={`mt-1 ${inputClass}`}>
            {STRATEGIES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <label className="flex items-center gap-2 text-sm text-zinc-700 sm:mt-6">
          <input type="checkbox" name="requiresApproval" /> Requires approval
        </label>
        <div className="sm:col-span-2 lg:col-span-5">
          <button type="submit" disabled={pending} className={primaryButtonClass}>Add model</button>
        </div>
      </form>
      <FormMessage result={result} />
    </section>
  );
}

export function ModelSettingsForm({ model }: { model: { id: string; routingStrategy: string; maxRetries: number; enabled: boolean; requiresApproval: boolean } }) {
  const [result, save, pending] = useActionState(updateModelAction, idle);
  return (
    <form action={save} className="flex flex-wrap items-end gap-3">
      <input type="hidden" name="modelId" value={model.id} />
      <div>
        <label htmlFor="ms-strategy" className="block text-xs font-medium text-zinc-600">Routing strategy</label>
        <select id="ms-strategy" name="routingStrategy" defaultValue={model.routingStrategy} className={`mt-1 ${inputClass}`}>
          {STRATEGIES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor="ms-retries" className="block text-xs font-medium text-zinc-600">Retries</label>
        <input id="ms-retries" name="maxRetries" inputMode="numeric" defaultValue={model.maxRetries} className={`mt-1 w-20 ${inputClass}`} />
      </div>
      <label className="flex items-center gap-2 text-sm text-zinc-700"><input type="checkbox" name="enabled" defaultChecked={model.enabled} /> Enabled</label>
      <label className="flex items-center gap-2 text-sm text-zinc-700"><input type="checkbox" name="requiresApproval" defaultChecked={model.requiresApproval} /> Requires approval</label>
      <button type="submit" disabled={pending} className={secondaryButtonClass}>Save model</button>
      <div className="w-full"><FormMessage result={result} /></div>
    </form>
  );
}

export function DeploymentForm({ modelId, providers }: { modelId: string; providers: { id: string; name: string }[] }) {
  const [result, add, pending] = useActionState(addDeploymentAction, idle);
  return (
    <form action={add} className="mt-3 flex flex-wrap items-end gap-2">
      <input type="hidden" name="modelId" value={modelId} />
      <div>
        <label htmlFor="d-provider" className="block text-xs font-medium text-zinc-600">Provider</label>
        <select id="d-provider" name="providerId" className={`mt-1 ${inputClass}`}>
          {providers.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor="d-upstream" className="block text-xs font-medium text-zinc-600">Upstream model</label>
        <input id="d-upstream" name="upstreamModel" className={`mt-1 ${inputClass}`} />
      </div>
      <div>
        <label htmlFor="d-weight" className="block text-xs font-medium text-zinc-600">Weight</label>
        <input id="d-weight" name="weight" defaultValue="1" inputMode="numeric" className={`mt-1 w-20 ${inputClass}`} />
      </div>
      <div>
        <label htmlFor="d-priority" className="block text-xs font-medium text-zinc-600">Priority</label>
        <input id="d-priority" name="priority" defaultValue="0" inputMode="numeric" className={`mt-1 w-20 ${inputClass}`} />
      </div>
      <button type="submit" disabled={pending} className={secondaryButtonClass}>Add deployment</button>
      <div className="w-full"><FormMessage result={result} /></div>
    </form>
  );
}

export function DeploymentToggle({ modelId, deploymentId, enabled }: { modelId: string; deploymentId: string; enabled: boolean }) {
  const [result, toggle] = useActionState(toggleDeploymentAction, idle);
  return (
    <form action={toggle}>
      <input type="hidden" name="modelId" value={modelId} />
      <input type="hidden" name="deploymentId" value={deploymentId} />
      <input type="hidden" name="enabled" value={String(!enabled)} />
      <button type="submit" className={secondaryButtonClass}>{enabled ? 'Disable' : 'Enable'}</button>
      {result.status === 'error' ? <span role="alert" className="ml-2 text-xs text-red-700">{result.message}</span> : null}
    </form>
  );
}

export function PriceForm({ modelId }: { modelId: string }) {
  const [result, add, pending] = useActionState(addPriceAction, idle);
  return (
    <form action={add} className="mt-3 flex flex-wrap items-end gap-2">
      <input type="hidden" name="modelId" value={modelId} />
      <div>
        <label htmlFor="pr-in" className="block text-xs font-medium text-zinc-600">Input</label>
        <input id="pr-in" name="inputPerMTokUsd" inputMode="decimal" className={`mt-1 w-28 ${inputClass}`} />
      </div>
      <div>
        <label htmlFor="pr-out" className="block text-xs font-medium text-zinc-600">Output</label>
        <input id="pr-out" name="outputPerMTokUsd" inputMode="decimal" className={`mt-1 w-28 ${inputClass}`} />
      </div>
      <div>
        <label htmlFor="pr-cached" className="block text-xs font-medium text-zinc-600">Cached input</label>
        <input id="pr-cached" name="cachedInputPerMTokUsd" inputMode="decimal" className={`mt-1 w-28 ${inputClass}`} />
      </div>
      <button type="submit" disabled={pending} className={secondaryButtonClass}>Set new price</button>
      <div className="w-full"><FormMessage result={result} /></div>
    </form>
  );
}
