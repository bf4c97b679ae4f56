import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/page-header';
import { LoadError } from '@/components/ui/load-error';
import { formatDate, StatusBadge } from '@/components/ui/status-badge';
import { getModel, listModels } from '@/lib/admin-api/catalogue';
import { listProviders } from '@/lib/admin-api/providers';
import { adminSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { CreateModelForm, DeploymentForm, DeploymentToggle, ModelSettingsForm, PriceForm, RouteRuleForm, RouteRuleList } from './model-forms';

const section = adminSections.models;

export const metadata: Metadata = { title: section.label };

export default async function Page({ searchParams }: { searchParams: Promise<{ model?: string }> }) {
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  const wanted = (await searchParams).model;
  let data;
  try {
    const [models, providers] = await Promise.all([listModels(session.accessToken), listProviders(session.accessToken)]);
    const selected = wanted ? await getModel(session.accessToken, wanted) : undefined;
    data = { models, providers, selected };
  } catch (error) {
    return (
      <>
        <PageHeader title={section.label} description={section.description} />
        <LoadError what="the catalogue" error={error} />
      </>
    );
  }
  const { models, providers, selected } = data;
  const price = (m: { prices?: { deploymentId: string | null; inputPerMTokUsd: string; outputPerMTokUsd: string; effectiveFrom: string }[] }) => {
    const now = Date.now();
    const current = (m.prices ?? []).filter((p) => !p.deploymentId && Date.parse(p.effectiveFrom) <= now).sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
    return current ? `$${current.inputPerMTokUsd} / $${current.outputPerMTokUsd}` : '—';
  };
  const ruleTargets = (selected?.deployments ?? []).map((d) => ({ id: d.id, label: `${d.providerSlug} · ${d.upstreamModel}` }));
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      {selected ? (
        <section aria-labelledby="model-detail" className="mt-6 space-y-4 rounded-xl border border-indigo-200 bg-white p-5 shadow-xs">
          <div className="flex items-center justify-between">
            <h2 id="model-detail" className="text-base font-semibold text-zinc-900">
              <span className="font-mono">{selected.name}</span> <span className="text-sm font-normal text-zinc-500">{selected.displayName}</span>
            </h2>
            <Link href="/admin/models" className="text-sm text-indigo-600">Close</Link>
          </div>
          <ModelSettingsForm model={{ id: selected.id, routingStrategy: selected.routingStrategy, maxRetries: selected.maxRetries, enabled: selected.enabled, requiresApproval: selected.requiresApproval }} />
          <div>
            <h3 className="text-sm font-semibold text-zinc-900">Deployments</h3>
            {(selected.deployments ?? []).length === 0 ? (
              <p className="mt-1 text-sm text-zinc-600">None: calls to this model fail until a deployment serves it.</p>
            ) : (
              <table className="mt-2 min-w-full text-sm">
                <thead className="text-left text-xs text-zinc-500">
                  <tr><th scope="col" className="py-1">Provider</th><th scope="col">Upstream model</th><th scope="col">Weight</th><th scope="col">Priority</th><th scope="col">Timeout</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
                </thead>
                <tbody>
                  {selected.deployments!.map((d) => (
                    <tr key={d.id} className="border-t border-zinc-100">
                      <td className="py-1.5">{d.providerSlug}</td>
                      <td className="font-mono">{d.upstreamModel}</td>
                      <td>{d.weight}</td>
                      <td>{d.priority}</td>
                      <td>{d.timeoutMs} ms</td>
                      <td><StatusBadge status={d.enabled ? 'active' : 'disabled'} /></td>
                      <td><DeploymentToggle modelId={selected.id} deploymentId={d.id} enabled={d.enabled} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <DeploymentForm modelId={selected.id} providers={providers.map((p) => ({ id: p.id, name: `${p.name} (${p.slug})` }))} />
          </div>
          <div>
            <h3 className="text-sm font-semibold text-zinc-900">Routing rules</h3>
            {(selected.routeRules ?? []).length === 0 ? (
              <p className="mt-1 text-sm text-zinc-600">No rules: every request uses the model&apos;s strategy ({selected.routingStrategy}) over all deployments.</p>
            ) : null}
            <RouteRuleList modelId={selected.id} rules={[...(selected.routeRules ?? [])].sort((a, b) => a.position - b.position)} deployments={ruleTargets} />
            <RouteRuleForm modelId={selected.id} deployments={ruleTargets} nextPosition={Math.max(-1, ...(selected.routeRules ?? []).map((r) => r.position)) + 1} />
          </div>
          <div>
            <h3 className="text-sm font-semibold text-zinc-900">Prices (USD per million tokens)</h3>
            <ul className="mt-1 space-y-1 text-sm text-zinc-700">
              {(selected.prices ?? []).length === 0 ? <li>No price: calls cost nothing in the usage figures.</li> : null}
              {(selected.prices ?? []).map((p) => (
                <li key={p.id}>
                  from {formatDate(p.effectiveFrom)}: input ${p.inputPerMTokUsd}, output ${p.outputPerMTokUsd}, cached input ${p.cachedInputPerMTokUsd}
                  {p.deploymentId ? ' (one deployment)' : ''}
                </li>
              ))}
            </ul>
            <PriceForm modelId={selected.id} />
          </div>
        </section>
      ) : null}
      <div className="mt-6 overflow-x-auto rounded-xl border border-zinc-200 bg-white">
        <table className="min-w-full divide-y divide-zinc-200 text-sm">
          <caption className="sr-only">Model catalogue</caption>
          <thead className="bg-zinc-50 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500">
            <tr>
              <th scope="col" className="px-4 py-2">Model</th>
              <th scope="col" className="px-4 py-2">Kind</th>
              <th scope="col" className="px-4 py-2">Routing</th>
              <th scope="col" className="px-4 py-2">Deployments</th>
              <th scope="col" className="px-4 py-2">Price in / out</th>
              <th scope="col" className="px-4 py-2">Access</th>
              <th scope="col" className="px-4 py-2">Status</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {models.map((m) => (
              <tr key={m.id} className={m.id === selected?.id ? 'bg-indigo-50' : undefined}>
                <td className="px-4 py-2">
                  <Link href={`/admin/models?model=${encodeURIComponent(m.id)}`} className="font-mono text-indigo-700 hover:text-indigo-500">{m.name}</Link>
                  <span className="block text-xs text-zinc-500">{m.displayName}</span>
                </td>
                <td className="px-4 py-2 text-zinc-600">{m.kind}</td>
                <td className="px-4 py-2 text-zinc-600">{m.routingStrategy}</td>
                <td className="px-4 py-2 text-zinc-600">{m.deployments ? m.deployments.map((d) => d.providerSlug).join(', ') || 'none' : '—'}</td>
                <td className="px-4 py-2 text-zinc-600">{price(m)}</td>
                <td className="px-4 py-2 text-zinc-600">{m.requiresApproval ? `approval (${m.approvalPolicy.replace('_', ' ')})` : m.visibility}</td>
                <td className="px-4 py-2"><StatusBadge status={m.enabled ? 'active' : 'disabled'} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <CreateModelForm />
    </>
  );
}
