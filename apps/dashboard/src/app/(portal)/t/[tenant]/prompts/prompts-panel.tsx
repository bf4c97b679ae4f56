'use client';

import { type FormEvent, startTransition, useActionState, useEffect, useRef } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { FormMessage, inputClass, primaryButtonClass, secondaryButtonClass } from '@/components/ui/form-message';
import { formatDate } from '@/components/ui/status-badge';
import type { Prompt, PromptVersion } from '@/lib/admin-api/prompts';
import type { ActionResult } from '@/lib/action-result';
import { addVersionAction, createPromptAction, setActiveVersionAction } from './actions';

const idle = { status: 'idle' } as ActionResult;
const labelClass = 'block text-sm font-medium text-zinc-700';
const hintClass = 'mt-1 text-xs text-zinc-500';

/**
 * Submits without React's automatic form reset, so a refused form keeps what
 * was typed (these forms are long); `onOk` resets it when that is wanted.
 */
function submitKeeping(dispatch: (form: FormData) => void) {
  return (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    startTransition(() => dispatch(form));
  };
}

export function PromptsPanel({
  tenant,
  prompts,
  models,
  gatewayUrl,
  canWrite,
}: {
  tenant: string;
  prompts: Prompt[];
  models: string[];
  gatewayUrl: string;
  canWrite: boolean;
}) {
  const [created, create, creating] = useActionState(createPromptAction, idle);
  const createForm = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (created.status === 'ok') createForm.current?.reset();
  }, [created]);

  return (
    <div className="mt-6 space-y-6">
      {canWrite ? (
        <section aria-labelledby="create-prompt" className="rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
          <h2 id="create-prompt" className="text-base font-semibold text-zinc-900">
            Create a prompt
          </h2>
          <p className="mt-1 text-sm text-zinc-600">
            Its first version becomes the active one. Use <code className="rounded bg-zinc-100 px-1">{'{{name}}'}</code> in the messages for the
            caller&apos;s input.
          </p>
          <form ref={createForm} onSubmit={submitKeeping(create)} className="mt-3 space-y-3">
            <input type="hidden" name="tenant" value={tenant} />
            <div className="grid gap-3 sm:grid-cols-2">
              <div>
                <label htmlFor="prompt-slug" className={labelClass}>
                  Slug
                </label>
                <input
                  id="prompt-slug"
                  name="slug"
                  required
                  maxLength={48}
                  placeholder="e.g. support-reply"
                  aria-describedby="prompt-slug-hint"
                  className={`mt-1 ${inputClass}`}
                />
                <p id="prompt-slug-hint" className={hintClass}>
                  Lowercase letters, digits and dashes; part of the URL applications call.
                </p>
              </div>
              <div>
                <label htmlFor="prompt-name" className={labelClass}>
                  Name
                </label>
                <input id="prompt-name" name="name" required maxLength={200} placeholder="e.g. Support reply" className={`mt-1 ${inputClass}`} />
              </div>
            </div>
            <VersionFields idPrefix="new" models={models} />
            <button type="submit" disabled={creating} className={primaryButtonClass}>
              {creating ? 'Creating…' : 'Create prompt'}
            </button>
          </form>
          <FormMessage result={created} />
        </section>
      ) : (
        <p className="text-sm text-zinc-600">You are a viewer in this tenant: you can see prompts but not create or change them.</p>
      )}

      <section aria-labelledby="prompt-list" className="space-y-4">
        <h2 id="prompt-list" className="text-base font-semibold text-zinc-900">
          Prompts
        </h2>
        {prompts.length === 0 ? (
          <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
            No prompts yet.{canWrite ? ' Create one above; applications then run it by its slug.' : ' A developer of this tenant can create one.'}
          </p>
        ) : (
          prompts.map((p) => <PromptCard key={p.id} tenant={tenant} prompt={p} models={models} gatewayUrl={gatewayUrl} canWrite={canWrite} />)
        )}
      </section>
    </div>
  );
}

function VersionFields({ idPrefix, models, from }: { idPrefix: string; models: string[]; from?: PromptVersion }) {
  const system = from?.messages.find((m) => m.role === 'system')?.content ?? '';
  const user = from ? [...from.messages].reverse().find((m) => m.role === 'user')?.content ?? '' : '';
  const options = from && !models.includes(from.model) ? [from.model, ...models] : models;
  return (
    <>
      <div>
        <label htmlFor={`${idPrefix}-model`} className={labelClass}>
          Model
        </label>
        {options.length === 0 ? (
          <p className="mt-1 text-sm text-amber-800">This tenant has no chat model it may call yet; request access on the Models page.</p>
        ) : null}
        <select id={`${idPrefix}-model`} name="model" required defaultValue={from?.model ?? options[0] ?? ''} className={`mt-1 ${inputClass}`}>
          {options.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${idPrefix}-system`} className={labelClass}>
          System message (optional)
        </label>
        <textarea
          id={`${idPrefix}-system`}
          name="system"
          rows={3}
          defaultValue={system}
          placeholder="You are a friendly support agent for {{product}}."
          className={`mt-1 font-mono ${inputClass}`}
        />
      </div>
      <div>
        <label htmlFor={`${idPrefix}-user`} className={labelClass}>
          User message template
        </label>
        <textarea
          id={`${idPrefix}-user`}
          name="user"
          rows={4}
          required
          defaultValue={user}
          placeholder="Answer this customer: {{question}}"
          className={`mt-1 font-mono ${inputClass}`}
        />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={`${idPrefix}-schema`} className={labelClass}>
            Input JSON Schema
          </label>
          <textarea
            id={`${idPrefix}-schema`}
            name="inputSchema"
            rows={5}
            defaultValue={from ? JSON.stringify(from.inputSchema, null, 2) : ''}
            placeholder={'{\n  "type": "object",\n  "required": ["question"],\n  "properties": { "question": { "type": "string" } }\n}'}
            aria-describedby={`${idPrefix}-schema-hint`}
            className={`mt-1 font-mono ${inputClass}`}
          />
          <p id={`${idPrefix}-schema-hint`} className={hintClass}>
            The caller&apos;s input is checked against it. Empty accepts any JSON object.
          </p>
        </div>
        <div>
          <label htmlFor={`${idPrefix}-parameters`} className={labelClass}>
            Parameters (JSON)
          </label>
          <textarea
            id={`${idPrefix}-parameters`}
            name="parameters"
            rows={5}
            defaultValue={from && Object.keys(from.parameters).length > 0 ? JSON.stringify(from.parameters, null, 2) : ''}
            placeholder={'{ "temperature": 0.2, "max_tokens": 512 }'}
            aria-describedby={`${idPrefix}-parameters-hint`}
            className={`mt-1 font-mono ${inputClass}`}
          />
          <p id={`${idPrefix}-parameters-hint`} className={hintClass}>
            Sent with every call. Empty uses the model&apos;s defaults.
          </p>
        </div>
      </div>
      <div>
        <label htmlFor={`${idPrefix}-note`} className={labelClass}>
          Note (optional)
        </label>
        <input id={`${idPrefix}-note`} name="note" maxLength={2000} placeholder="What changed in this version" className={`mt-1 ${inputClass}`} />
      </div>
    </>
  );
}

function exampleInput(variables: string[]): string {
  const input: Record<string, string> = {};
  for (const v of variables) input[v.split('.')[0]!] = '…';
  return JSON.stringify(input);
}

function PromptCard({ tenant, prompt, models, gatewayUrl, canWrite }: { tenant: string; prompt: Prompt; models: string[]; gatewayUrl: string; canWrite: boolean }) {
  const [activated, activate, activating] = useActionState(setActiveVersionAction, idle);
  const [added, add, adding] = useActionState(addVersionAction, idle);
  const versions = prompt.versions ?? [];
  const active = versions.find((v) => v.version === prompt.activeVersion);
  const latest = versions[0];
  const titleId = `prompt-${prompt.slug}`;
  const curl = `curl ${gatewayUrl}/v1/prompts/${prompt.slug}/run \\
  -H "Authorization: Bearer $CONDUIT_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '${exampleInput((active ?? latest)?.variables ?? [])}'`;

  return (
    <article aria-labelledby={titleId} className="rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={titleId} className="text-base font-semibold text-zinc-900">
          {prompt.name} <span className="font-mono text-sm font-normal text-zinc-500">{prompt.slug}</span>
        </h3>
        <p className="text-sm text-zinc-600">
          {prompt.activeVersion ? (
            <>
              Active: <strong className="text-zinc-900">version {prompt.activeVersion}</strong>
              {active ? ` · ${active.model}` : ''}
            </>
          ) : (
            'No active version: calls are refused until one is set.'
          )}
          {prompt.abSplit.length > 0 ? ` · A/B split ${prompt.abSplit.map((s) => `v${s.version}:${s.weight}`).join(', ')}` : ''}
        </p>
      </div>
      {active && active.variables.length > 0 ? (
        <p className="mt-1 text-sm text-zinc-600">
          Variables: {active.variables.map((v) => <code key={v} className="mr-1 rounded bg-zinc-100 px-1">{v}</code>)}
        </p>
      ) : null}

      {versions.length > 0 ? (
        <div className="mt-3 overflow-x-auto rounded-lg border border-zinc-200">
          <table className="min-w-full divide-y divide-zinc-200 text-sm">
            <caption className="sr-only">Versions of {prompt.name}</caption>
            <thead className="bg-zinc-50 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500">
              <tr>
                <th scope="col" className="px-3 py-2">Version</th>
                <th scope="col" className="px-3 py-2">Model</th>
                <th scope="col" className="px-3 py-2">Variables</th>
                <th scope="col" className="px-3 py-2">Note</th>
                <th scope="col" className="px-3 py-2">Created</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {versions.map((v) => (
                <tr key={v.version}>
                  <td className="px-3 py-2 font-medium text-zinc-900">
                    {v.version}
                    {v.version === prompt.activeVersion ? <span className="ml-2 rounded bg-emerald-50 px-1.5 py-0.5 text-xs text-emerald-700">active</span> : null}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs text-zinc-700">{v.model}</td>
                  <td className="px-3 py-2 font-mono text-xs text-zinc-600">{v.variables.join(', ') || '—'}</td>
                  <td className="px-3 py-2 text-zinc-600">{v.note || '—'}</td>
                  <td className="px-3 py-2 text-zinc-600">{formatDate(v.createdAt, '—')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {canWrite && versions.length > 1 ? (
        <form action={activate} className="mt-3 flex items-end gap-2">
          <input type="hidden" name="tenant" value={tenant} />
          <input type="hidden" name="slug" value={prompt.slug} />
          <div>
            <label htmlFor={`${titleId}-active`} className={labelClass}>
              Active version
            </label>
            <select id={`${titleId}-active`} name="version" defaultValue={String(prompt.activeVersion ?? versions[0]!.version)} className={`mt-1 ${inputClass}`}>
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  version {v.version} ({v.model})
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={activating} className={secondaryButtonClass}>
            {activating ? 'Saving…' : 'Make active'}
          </button>
        </form>
      ) : null}
      <FormMessage result={activated} />

      <div className="mt-4 rounded-lg border border-zinc-200">
        <div className="flex items-center justify-between border-b border-zinc-200 px-3 py-2">
          <h4 className="text-sm font-semibold text-zinc-900">Call it</h4>
          <CopyButton value={curl} label={`Copy curl for ${prompt.slug}`} />
        </div>
        <pre className="overflow-x-auto rounded-b-lg bg-zinc-950 p-3 text-xs leading-relaxed text-zinc-100"><code>{curl}</code></pre>
      </div>

      {canWrite ? (
        <details className="mt-4">
          <summary className="cursor-pointer text-sm font-medium text-indigo-600 hover:text-indigo-500">Add a version</summary>
          <form onSubmit={submitKeeping(add)} className="mt-3 space-y-3">
            <input type="hidden" name="tenant" value={tenant} />
            <input type="hidden" name="slug" value={prompt.slug} />
            <VersionFields idPrefix={`${titleId}-v`} models={models} from={active ?? latest} />
            <label className="flex items-center gap-2 text-sm text-zinc-700">
              <input type="checkbox" name="activate" defaultChecked />
              Make it the active version
            </label>
            <button type="submit" disabled={adding} className={primaryButtonClass}>
              {adding ? 'Adding…' : 'Add version'}
            </button>
          </form>
          <FormMessage result={added} />
        </details>
      ) : null}
    </article>
  );
}
