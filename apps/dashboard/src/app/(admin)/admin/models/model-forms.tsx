'use client';

import { useActionState, useState } from 'react';
import { FormMessage, inputClass, primaryButtonClass, secondaryButtonClass } from '@/components/ui/form-message';
import type { ActionResult } from '@/lib/action-result';
import { addDeploymentAction, addPriceAction, addRouteRuleAction, createModelAction, deleteRouteRuleAction, toggleDeploymentAction, toggleRouteRuleAction, updateModelAction } from './actions';

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

export type RouteRuleView = { id: string; name: string; position: number; condition: Record<string, unknown>; deploymentIds: string[]; strategy: string | null; enabled: boolean };

function describeCondition(c: Record<string, unknown>) {
  if (c.type === 'prompt_pattern') return `prompt matches /${String(c.pattern ?? '')}/`;
  if (c.type === 'header' || c.type === 'tag') return `${c.type} ${String(c.key ?? '')} = "${String(c.equals ?? '')}"`;
  return JSON.stringify(c);
}

/** The model's rules with enable/disable and delete; one message line below stays put while rows come and go. */
export function RouteRuleList({ modelId, rules, deployments }: { modelId: string; rules: RouteRuleView[]; deployments: { id: string; label: string }[] }) {
  const [toggled, toggle] = useActionState(toggleRouteRuleAction, idle);
  const [deleted, remove] = useActionState(deleteRouteRuleAction, idle);
  const [last, setLast] = useState<'toggle' | 'delete'>('toggle');
  const label = (id: string) => deployments.find((d) => d.id === id)?.label ?? id;
  return (
    <div>
      <ul aria-label="Routing rules" className="mt-2 divide-y divide-zinc-100 text-sm">
        {rules.map((r) => (
          <li key={r.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5">
            <span className="text-zinc-500">#{r.position}</span>
            <span className="font-medium text-zinc-900">{r.name}</span>
            <span className="text-zinc-700">when <code className="text-xs">{describeCondition(r.condition)}</code></span>
            <span className="text-zinc-700">→ {r.deploymentIds.map(label).join(', ')}{r.strategy ? ` (${r.strategy})` : ''}</span>
            <StatusBadgeLite enabled={r.enabled} />
            <span className="ml-auto flex gap-2">
              <form action={toggle} onSubmit={() => setLast('toggle')}>
                <input type="hidden" name="modelId" value={modelId} />
                <input type="hidden" name="routeId" value={r.id} />
                <input type="hidden" name="name" value={r.name} />
                <input type="hidden" name="enabled" value={String(!r.enabled)} />
                <button type="submit" aria-label={`${r.enabled ? 'Disable' : 'Enable'} rule ${r.name}`} className={secondaryButtonClass}>{r.enabled ? 'Disable' : 'Enable'}</button>
              </form>
              <form
                action={remove}
                onSubmit={(e) => {
                  if (!window.confirm(`Delete rule ${r.name}? Its requests will use the model's strategy.`)) e.preventDefault();
                  else setLast('delete');
                }}
              >
                <input type="hidden" name="modelId" value={modelId} />
                <input type="hidden" name="routeId" value={r.id} />
                <input type="hidden" name="name" value={r.name} />
                <button type="submit" aria-label={`Delete rule ${r.name}`} className={secondaryButtonClass}>Delete</button>
              </form>
            </span>
          </li>
        ))}
      </ul>
      <FormMessage result={last === 'toggle' ? toggled : deleted} />
    </div>
  );
}

function StatusBadgeLite({ enabled }: { enabled: boolean }) {
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${enabled ? 'bg-emerald-50 text-emerald-700' : 'bg-zinc-100 text-zinc-600'}`}>{enabled ? 'enabled' : 'disabled'}</span>
  );
}

export function RouteRuleForm({ modelId, deployments, nextPosition }: { modelId: string; deployments: { id: string; label: string }[]; nextPosition: number }) {
  const [result, add, pending] = useActionState(addRouteRuleAction, idle);
  const [type, setType] = useState<'header' | 'tag' | 'prompt_pattern'>('header');
  return (
    <form action={add} aria-label="Add a routing rule" className="mt-3 space-y-2 rounded-lg border border-zinc-200 p-3">
      <input type="hidden" name="modelId" value={modelId} />
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="rr-name" className="block text-xs font-medium text-zinc-600">Rule name</label>
          <input id="rr-name" name="name" required placeholder="beta users" className={`mt-1 ${inputClass}`} />
        </div>
        <div>
          <label htmlFor="rr-type" className="block text-xs font-medium text-zinc-600">Condition type</label>
          <select id="rr-type" name="type" value={type} onChange={(e) => setType(e.target.value as typeof type)} className={`mt-1 ${inputClass}`}>
            <option value="header">header</option>
            <option value="tag">tag</option>
            <option value="prompt_pattern">prompt pattern</option>
          </select>
        </div>
        {type === 'prompt_pattern' ? (
          <div>
            <label htmlFor="rr-pattern" className="block text-xs font-medium text-zinc-600">Pattern (regular expression)</label>
            <input id="rr-pattern" name="pattern" placeholder="^translate" className={`mt-1 font-mono ${inputClass}`} />
          </div>
        ) : (
          <>
            <div>
              <label htmlFor="rr-key" className="block text-xs font-medium text-zinc-600">{type === 'header' ? 'Header name' : 'Tag key'}</label>
              <input id="rr-key" name="key" placeholder={type === 'header' ? 'x-tier' : 'team'} className={`mt-1 ${inputClass}`} />
            </div>
            <div>
              <label htmlFor="rr-equals" className="block text-xs font-medium text-zinc-600">Equals</label>
              <input id="rr-equals" name="equals" placeholder="beta" className={`mt-1 ${inputClass}`} />
            </div>
          </>
        )}
        <div>
          <label htmlFor="rr-strategy" className="block text-xs font-medium text-zinc-600">Rule strategy</label>
          <select id="rr-strategy" name="strategy" defaultValue="" className={`mt-1 ${inputClass}`}>
            <option value="">model&apos;s strategy</option>
            {STRATEGIES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="rr-position" className="block text-xs font-medium text-zinc-600">Position (lower first)</label>
          <input id="rr-position" name="position" inputMode="numeric" defaultValue={nextPosition} className={`mt-1 w-20 ${inputClass}`} />
        </div>
      </div>
      <fieldset>
        <legend className="text-xs font-medium text-zinc-600">Send matching requests to</legend>
        {deployments.length === 0 ? (
          <p className="mt-1 text-sm text-zinc-600">Add a deployment first: a rule routes to deployments of this model.</p>
        ) : (
          <div className="mt-1 flex flex-wrap gap-3">
            {deployments.map((d) => (
              <label key={d.id} className="flex items-center gap-2 text-sm text-zinc-700">
                <input type="checkbox" name="deploymentIds" value={d.id} /> {d.label}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <button type="submit" disabled={pending || deployments.length === 0} className={secondaryButtonClass}>Add rule</button>
      <FormMessage result={result} />
    </form>
  );
}
