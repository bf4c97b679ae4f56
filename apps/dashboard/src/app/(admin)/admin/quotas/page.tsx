import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { LoadError } from '@/components/ui/load-error';
import { formatDate } from '@/components/ui/status-badge';
import { QuotaBars } from '@/components/usage/quota-bars';
import { listKeys, listTenants } from '@/lib/admin-api/portal';
import { listQuotaAlerts, listQuotas } from '@/lib/admin-api/quotas';
import { adminSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { QuotaActions, QuotaForm } from './quota-forms';
import { TenantPicker } from '@/components/tenant-picker';

const section = adminSections.quotas;

export const metadata: Metadata = { title: section.label };

export default async function Page({ searchParams }: { searchParams: Promise<{ tenant?: string }> }) {
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  const wanted = (await searchParams).tenant;
  let data;
  try {
    const tenants = await listTenants(session.accessToken);
    const chosen = tenants.find((t) => t.slug === wanted) ?? tenants[0];
    const [quotas, alerts, keys] = chosen
      ? await Promise.all([listQuotas(session.accessToken, chosen.slug), listQuotaAlerts(session.accessToken, chosen.slug), listKeys(session.accessToken, chosen.slug)])
      : [[], [], []];
    data = { tenants, chosen, quotas, alerts, keys };
  } catch (error) {
    return (
      <>
        <PageHeader title={section.label} description={section.description} />
        <LoadError what="the quotas" error={error} />
      </>
    );
  }
  const { tenants, chosen, quotas, alerts, keys } = data;
  const names = new Map(keys.map((k) => [k.id, `${k.name} (${k.prefix}…)`]));
  const keyName = (id: string) => names.get(id) ?? id;
  return (
    <>
      <PageHeader title={section.label} description="Requests, tokens and cost per day, week or month, for a whole tenant or one key; alerts at thresholds." />
      {!chosen ? (
        <p className="mt-6 text-sm text-zinc-600">No tenants yet.</p>
      ) : (
        <>
          <TenantPicker tenants={tenants} chosenId={chosen.id} basePath="/admin/quotas" className="mt-6" />
          <section aria-labelledby="current-quotas" className="mt-4 rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
            <h2 id="current-quotas" className="mb-3 text-base font-semibold text-zinc-900">This period</h2>
            <QuotaBars quotas={quotas} keyName={keyName} />
            {quotas.length > 0 ? <QuotaActions tenant={chosen.slug} quotas={quotas.map((q) => ({ id: q.id, enabled: q.enabled, label: `${q.metric} per ${q.period}${q.apiKeyId ? ` (${keyName(q.apiKeyId)})` : ''}` }))} /> : null}
          </section>
          <QuotaForm tenant={chosen.slug} keys={keys.filter((k) => k.status === 'active').map((k) => ({ id: k.id, name: `${k.name} (${k.prefix}…)` }))} />
          <section aria-labelledby="alerts-title" className="mt-6">
            <h2 id="alerts-title" className="text-base font-semibold text-zinc-900">Alerts</h2>
            {alerts.length === 0 ? (
              <p className="mt-2 text-sm text-zinc-600">No threshold crossed yet.</p>
            ) : (
              <ul className="mt-2 divide-y divide-zinc-100 rounded-xl border border-zinc-200 bg-white text-sm">
                {alerts.slice(0, 50).map((a) => (
                  <li key={a.id} className="px-4 py-2">
                    {a.threshold}% of {a.metric} per {a.period} ({a.value} of {a.limit}) · {formatDate(a.createdAt)} · webhook{' '}
                    {a.deliveredAt ? `delivered ${formatDate(a.deliveredAt)}` : 'not delivered (none, or retrying)'}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}
