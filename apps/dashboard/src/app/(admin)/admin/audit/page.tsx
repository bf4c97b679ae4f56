import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/page-header';
import { inputClass, primaryButtonClass, secondaryButtonClass } from '@/components/ui/form-message';
import { LoadError } from '@/components/ui/load-error';
import { formatDate } from '@/components/ui/status-badge';
import { searchAuditLog } from '@/lib/admin-api/logs';
import { listTenants } from '@/lib/admin-api/portal';
import { adminSections } from '@/lib/sections';
import { getSession } from '@/lib/session';

const section = adminSections.audit;

export const metadata: Metadata = { title: section.label };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

export default async function Page({ searchParams }: { searchParams: Promise<Search> }) {
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  const search = await searchParams;
  const day = (v?: string) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
  const filters = {
    action: one(search.action),
    tenantId: one(search.tenantId),
    targetType: one(search.targetType),
    from: day(one(search.from)) ? `${one(search.from)}T00:00:00.000Z` : undefined,
    to: day(one(search.to)) ? new Date(Date.parse(`${one(search.to)}T00:00:00.000Z`) + 86_400_000).toISOString() : undefined,
    cursor: one(search.cursor),
  };
  let data;
  try {
    const [page, tenants] = await Promise.all([searchAuditLog(session.accessToken, filters), listTenants(session.accessToken)]);
    data = { page, tenants: new Map(tenants.map((t) => [t.id, t])) };
  } catch (error) {
    return (
      <>
        <PageHeader title={section.label} description={section.description} />
        <LoadError what="the audit log" error={error} />
      </>
    );
  }
  const keep = (cursor?: string) => {
    const q = new URLSearchParams();
    for (const k of ['action', 'tenantId', 'targetType', 'from', 'to']) {
      const v = one(search[k]);
      if (v) q.set(k, v);
    }
    if (cursor) q.set('cursor', cursor);
    return `/admin/audit?${q}`;
  };
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <form method="get" action="/admin/audit" aria-label="Filter the audit log" className="mt-6 grid gap-3 rounded-xl border border-zinc-200 bg-white p-4 shadow-xs sm:grid-cols-3 lg:grid-cols-6">
        <div>
          <label htmlFor="a-action" className="block text-xs font-medium text-zinc-600">Action (prefix*)</label>
          <input id="a-action" name="action" placeholder="api_key.*" defaultValue={one(search.action)} className={`mt-1 ${inputClass}`} />
        </div>
        <div>
          <label htmlFor="a-tenant" className="block text-xs font-medium text-zinc-600">Tenant</label>
          <select id="a-tenant" name="tenantId" defaultValue={one(search.tenantId) ?? ''} className={`mt-1 ${inputClass}`}>
            <option value="">All</option>
            {[...data.tenants.values()].map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="a-target" className="block text-xs font-medium text-zinc-600">Target type</label>
          <input id="a-target" name="targetType" defaultValue={one(search.targetType)} className={`mt-1 ${inputClass}`} />
        </div>
        <div>
          <label htmlFor="a-from" className="block text-xs font-medium text-zinc-600">From (UTC day)</label>
          <input id="a-from" type="date" name="from" defaultValue={one(search.from)} className={`mt-1 ${inputClass}`} />
        </div>
        <div>
          <label htmlFor="a-to" className="block text-xs font-medium text-zinc-600">To (UTC day)</label>
          <input id="a-to" type="date" name="to" defaultValue={one(search.to)} className={`mt-1 ${inputClass}`} />
        </div>
        <div className="flex items-end gap-2">
          <button type="submit" className={primaryButtonClass}>Filter</button>
          <Link href="/admin/audit" className={secondaryButtonClass}>Reset</Link>
        </div>
      </form>
      {data.page.items.length === 0 ? (
        <p className="mt-6 rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">No entries match these filters.</p>
      ) : (
        <div className="mt-6 overflow-x-auto rounded-xl border border-zinc-200 bg-white">
          <table className="min-w-full divide-y divide-zinc-200 text-sm">
            <caption className="sr-only">Audit log, newest first</caption>
            <thead className="bg-zinc-50 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500">
              <tr>
                <th scope="col" className="px-3 py-2">Time</th>
                <th scope="col" className="px-3 py-2">Actor</th>
                <th scope="col" className="px-3 py-2">Action</th>
                <th scope="col" className="px-3 py-2">Tenant</th>
                <th scope="col" className="px-3 py-2">Target</th>
                <th scope="col" className="px-3 py-2">Details</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 align-top">
              {data.page.items.map((e) => (
                <tr key={e.id}>
                  <td className="px-3 py-2 whitespace-nowrap text-zinc-600">{formatDate(e.createdAt)}</td>
                  <td className="px-3 py-2 text-zinc-900">{e.actor?.email ?? 'system'}{e.ip ? <span className="block text-xs text-zinc-400">{e.ip}</span> : null}</td>
                  <td className="px-3 py-2 font-mono text-xs text-zinc-900">{e.action}</td>
                  <td className="px-3 py-2 text-zinc-600">{e.tenantId ? (data.tenants.get(e.tenantId)?.name ?? e.tenantId) : '—'}</td>
                  <td className="px-3 py-2 text-xs text-zinc-600">{e.targetType ?? '—'}{e.targetId ? <span className="block font-mono text-zinc-400">{e.targetId}</span> : null}</td>
                  <td className="px-3 py-2">
                    <details>
                      <summary className="cursor-pointer text-indigo-600">Show</summary>
                      <pre className="mt-1 max-w-xl overflow-auto rounded bg-zinc-950 p-2 text-xs text-zinc-100">{JSON.stringify(e.details, null, 2)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav aria-label="Pages of the audit log" className="flex justify-between border-t border-zinc-200 px-4 py-2 text-sm">
            {filters.cursor ? <Link href={keep()} className="text-indigo-600">Newest</Link> : <span />}
            {data.page.nextCursor ? <Link href={keep(data.page.nextCursor)} className="text-indigo-600">Older entries →</Link> : <span className="text-zinc-400">End of the log</span>}
          </nav>
        </div>
      )}
    </>
  );
}
