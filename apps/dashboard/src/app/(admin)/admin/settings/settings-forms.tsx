'use client';

import { useActionState, useId } from 'react';
import { FormMessage, inputClass, primaryButtonClass, secondaryButtonClass } from '@/components/ui/form-message';
import type { ActionResult } from '@/lib/action-result';
import { savePlatformSettingAction, saveTenantSettingsAction } from './actions';

const idle = { status: 'idle' } as ActionResult;

interface Settings {
  cache: { enabled: boolean; ttlSeconds: number };
  retentionDays: number;
  logBodies: boolean;
  redisFailMode: 'open' | 'closed';
  corsOrigins: string[];
  requireKeyApproval: boolean;
  guardrails: unknown;
}

export function TenantSettingsForm({ tenant, settings }: { tenant: string; settings: Settings }) {
  const [saved, save, saving] = useActionState(saveTenantSettingsAction, idle);
  return (
    <form action={save} className="mt-3 space-y-4 rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
      <input type="hidden" name="tenant" value={tenant} />
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="text-sm font-semibold text-zinc-900">Response cache</legend>
        <label className="flex items-center gap-2 text-sm text-zinc-700 sm:mt-6">
          <input type="checkbox" name="cacheEnabled" defaultChecked={settings.cache.enabled} /> Cache identical requests
        </label>
        <div>
          <label htmlFor="s-ttl" className="block text-sm font-medium text-zinc-700">Cache TTL (seconds)</label>
          <input id="s-ttl" name="cacheTtl" inputMode="numeric" defaultValue={settings.cache.ttlSeconds} className={`mt-1 ${inputClass}`} />
        </div>
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="text-sm font-semibold text-zinc-900">Request logs</legend>
        <div>
          <label htmlFor="s-retention" className="block text-sm font-medium text-zinc-700">Retention (days)</label>
          <input id="s-retention" name="retentionDays" inputMode="numeric" defaultValue={settings.retentionDays} className={`mt-1 ${inputClass}`} />
        </div>
        <label className="flex items-center gap-2 text-sm text-zinc-700 sm:mt-6">
          <input type="checkbox" name="logBodies" defaultChecked={settings.logBodies} /> Log prompt and response bodies (redacted)
        </label>
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="text-sm font-semibold text-zinc-900">Access</legend>
        <label className="flex items-center gap-2 text-sm text-zinc-700 sm:mt-6">
          <input type="checkbox" name="requireKeyApproval" defaultChecked={settings.requireKeyApproval} /> New keys need approval
        </label>
        <div>
          <label htmlFor="s-redis" className="block text-sm font-medium text-zinc-700">When Redis is down</label>
          <select id="s-redis" name="redisFailMode" defaultValue={settings.redisFailMode} className={`mt-1 ${inputClass}`}>
            <option value="open">Serve (fail open)</option>
            <option value="closed">Refuse with 503 (fail closed)</option>
          </select>
        </div>
        <div>
          <label htmlFor="s-cors" className="block text-sm font-medium text-zinc-700">Browser origins (CORS)</label>
          <input id="s-cors" name="corsOrigins" defaultValue={settings.corsOrigins.join(', ')} placeholder="https://app.example.com" className={`mt-1 ${inputClass}`} />
        </div>
      </fieldset>
      <div>
        <label htmlFor="s-guardrails" className="block text-sm font-semibold text-zinc-900">Guardrail policy (JSON)</label>
        <p className="text-xs text-zinc-500">The whole policy; see the README section “Guardrails and prompts”.</p>
        <textarea id="s-guardrails" name="guardrails" rows={8} defaultValue={JSON.stringify(settings.guardrails ?? {}, null, 2)} className={`mt-1 font-mono text-xs ${inputClass}`} />
      </div>
      <button type="submit" disabled={saving} className={primaryButtonClass}>{saving ? 'Saving…' : 'Save settings'}</button>
      <FormMessage result={saved} />
    </form>
  );
}

export function PlatformSettingForm({ setting }: { setting: { key: string; value: string } }) {
  const [saved, save, saving] = useActionState(savePlatformSettingAction, idle);
  const id = useId();
  return (
    <form action={save} className="rounded-xl border border-zinc-200 bg-white p-4 shadow-xs">
      <input type="hidden" name="key" value={setting.key} />
      <label htmlFor={id} className="block font-mono text-sm font-medium text-zinc-900">{setting.key}</label>
      <textarea id={id} name="value" rows={4} defaultValue={setting.value} className={`mt-1 font-mono text-xs ${inputClass}`} />
      <button type="submit" disabled={saving} className={`mt-2 ${secondaryButtonClass}`}>Save</button>
      <FormMessage result={saved} />
    </form>
  );
}
