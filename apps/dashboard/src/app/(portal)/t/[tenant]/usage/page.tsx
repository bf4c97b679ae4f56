import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '@/components/page-header';
import { RangePicker } from '@/components/usage/range-picker';
import { UsageSection, UsageSkeleton } from '@/components/usage/usage-section';
import { parseRange } from '@/lib/admin-api/analytics';
import { portalSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { requireMembership } from '@/lib/tenant';

const section = portalSections.usage;

export const metadata: Metadata = { title: section.label };

export default async function Page({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Promise<{ range?: string }> }) {
  const membership = await requireMembership(params);
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  const range = parseRange((await searchParams).range);
  const basePath = `/t/${encodeURIComponent(membership.tenantSlug)}/usage`;
  return (
    <>
      <PageHeader title={section.label} description={section.description} actions={<RangePicker basePath={basePath} current={range} />} />
      <div className="mt-6">
        <Suspense key={range} fallback={<UsageSkeleton />}>
          <UsageSection token={session.accessToken} range={range} tenant={membership.tenantSlug} />
        </Suspense>
      </div>
    </>
  );
}
