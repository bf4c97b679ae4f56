import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { LoadError } from '@/components/ui/load-error';
import { formatDate, StatusBadge } from '@/components/ui/status-badge';
import { describeRequest } from '@/lib/access-requests';
import { listAllAccessRequests, listTenants } from '@/lib/admin-api/portal';
import { adminSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { ReviewForm } from '@/components/approvals/review-form';

const section = adminSections.approvals;

export const metadata: Metadata = { title: section.label };

export default async function Page() {
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  let data;
  try {
    const [requests, tenants] = await Promise.all([listAllAccessRequests(session.accessToken), listTenants(session.accessToken)]);
    data = { requests, tenants: new Map(tenants.map((t) => [t.id, t])) };
  } catch (error) {
    return (
      <>
        <PageHeader title={section.label} description={section.description} />
        <LoadError what="the approvals queue" error={error} />
      </>
    );
  }
  const pending = data.requests.filter((r) => r.status === 'pending');
  const decided = data.requests.filter((r) => r.status !== 'pending').slice(0, 50);
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <section aria-labelledby="pending-title" className="mt-6">
        <h2 id="pending-title" className="text-base font-semibold text-zinc-900">
          Waiting for a decision ({pending.length})
        </h2>
        {pending.length === 0 ? (
          <p className="mt-3 rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
            Nothing to review. Requests from developers for approval-required models, quota increases and new keys appear here.
          </p>
        ) : (
          <ul className="mt-3 space-y-3">
            {pending.map((r) => {
              const tenant = data.tenants.get(r.tenantId);
              return (
                <li key={r.id} className="rounded-xl border border-zinc-200 bg-white p-4 shadow-xs" aria-label={`${describeRequest(r)} from ${r.requester.email}`}>
                  <div className="flex flex-wrap items-center gap-2 text-sm">
                    <span className="font-semibold text-zinc-900">{describeRequest(r)}</span>
                    <span className="text-zinc-500">for {tenant?.name ?? r.tenantId}</span>
                    <span className="text-zinc-500">· by {r.requester.email}</span>
                    <span className="text-zinc-500">· {formatDate(r.createdAt)}</span>
                    {r.reviewableBy === 'platform_admin' ? <StatusBadge status="platform admin only" /> : null}
                  </div>
                  <p className="mt-2 whitespace-pre-wrap text-sm text-zinc-700">“{r.reason}”</p>
                  <ReviewForm tenantId={r.tenantId} requestId={r.id} />
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="decided-title" className="mt-8">
        <h2 id="decided-title" className="text-base font-semibold text-zinc-900">
          Recently decided
        </h2>
        {decided.length === 0 ? (
          <p className="mt-3 text-sm text-zinc-600">No decisions yet.</p>
        ) : (
          <div className="mt-3 overflow-x-auto rounded-xl border border-zinc-200 bg-white">
            <table className="min-w-full divide-y divide-zinc-200 text-sm">
              <thead className="bg-zinc-50 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500">
                <tr>
                  <th scope="col" className="px-4 py-2">Request</th>
                  <th scope="col" className="px-4 py-2">Tenant</th>
                  <th scope="col" className="px-4 py-2">Requester</th>
                  <th scope="col" className="px-4 py-2">Decision</th>
                  <th scope="col" className="px-4 py-2">Note</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {decided.map((r) => (
                  <tr key={r.id}>
                    <td className="px-4 py-2 text-zinc-900">{describeRequest(r)}</td>
                    <td className="px-4 py-2 text-zinc-600">{data.tenants.get(r.tenantId)?.name ?? r.tenantId}</td>
                    <td className="px-4 py-2 text-zinc-600">{r.requester.email}</td>
                    <td className="px-4 py-2">
                      <StatusBadge status={r.status} />
                      <span className="ml-2 text-xs text-zinc-500">{r.reviewer ? `${r.reviewer.email}, ${formatDate(r.reviewedAt)}` : ''}</span>
                    </td>
                    <td className="px-4 py-2 text-zinc-600">{r.reviewNote ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
