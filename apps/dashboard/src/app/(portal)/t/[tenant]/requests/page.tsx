import type { Metadata } from 'next';
import { RequestLogView } from '@/components/logs/request-log-view';
import { PageHeader } from '@/components/page-header';
import { listKeys } from '@/lib/admin-api/portal';
import { portalSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { requireMembership } from '@/lib/tenant';

const section = portalSections.requests;

export const metadata: Metadata = { title: section.label };

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const membership = await requireMembership(params);
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  const keys = await listKeys(session.accessToken, membership.tenantSlug).catch(() => []);
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <div className="mt-6">
        <RequestLogView
          token={session.accessToken}
          tenant={membership.tenantSlug}
          basePath={`/t/${encodeURIComponent(membership.tenantSlug)}/requests`}
          search={await searchParams}
          keyNames={new Map(keys.map((k) => [k.id, `${k.name} (${k.prefix}…)`]))}
        />
      </div>
    </>
  );
}
