import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { LoadError } from '@/components/ui/load-error';
import { listAccessRequests, listTenantModels } from '@/lib/admin-api/portal';
import { portalSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { requireMembership } from '@/lib/tenant';
import { formatDate } from '@/components/ui/status-badge';
import { describeRequest } from '@/lib/access-requests';
import type { AccessRequest } from '@/lib/admin-api/portal';
import { ReviewForm } from '@/components/approvals/review-form';
import { ModelsPanel } from './models-panel';

const section = portalSections.models;

export const metadata: Metadata = { title: section.label };

export default async function Page({ params }: { params: Promise<{ tenant: string }> }) {
  const membership = await requireMembership(params);
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  let data;
  try {
    const reviewer = membership.role === 'owner' || membership.role === 'admin';
    const [models, requests, all] = await Promise.all([
      listTenantModels(session.accessToken, membership.tenantSlug),
      listAccessRequests(session.accessToken, membership.tenantSlug, true),
      reviewer ? listAccessRequests(session.accessToken, membership.tenantSlug) : Promise.resolve([] as AccessRequest[]),
    ]);
    const toReview = all.filter((r) => r.status === 'pending' && r.reviewableBy === 'tenant_admin' && r.requester.id !== session.user.id);
    data = { models, requests, toReview, reviewer };
  } catch (error) {
    return (
      <>
        <PageHeader title={section.label} description={section.description} />
        <LoadError what="the models" error={error} />
      </>
    );
  }
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      {data.reviewer ? (
        <section aria-labelledby="to-review" className="mt-6 rounded-xl border border-amber-200 bg-amber-50/50 p-5">
          <h2 id="to-review" className="text-base font-semibold text-zinc-900">
            Requests to review ({data.toReview.length})
          </h2>
          {data.toReview.length === 0 ? (
            <p className="mt-1 text-sm text-zinc-600">
              Nothing waiting for a tenant admin. Requests for models with the platform-admin policy go to the platform admins.
            </p>
          ) : (
            <ul className="mt-3 space-y-3">
              {data.toReview.map((r) => (
                <li key={r.id} aria-label={`${describeRequest(r)} from ${r.requester.email}`} className="rounded-lg border border-zinc-200 bg-white p-4">
                  <p className="text-sm">
                    <span className="font-semibold text-zinc-900">{describeRequest(r)}</span>{' '}
                    <span className="text-zinc-500">· by {r.requester.email} · {formatDate(r.createdAt)}</span>
                  </p>
                  <p className="mt-1 text-sm text-zinc-700">“{r.reason}”</p>
                  <ReviewForm tenantId={r.tenantId} requestId={r.id} />
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      <ModelsPanel tenant={membership.tenantSlug} canRequest={membership.role !== 'viewer'} models={data.models} requests={data.requests} />
    </>
  );
}
