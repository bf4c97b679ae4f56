import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '@/components/page-header';
import { RangePicker } from '@/components/usage/range-picker';
import { UsageSection, UsageSkeleton } from '@/components/usage/usage-section';
import { QuotaBars } from '@/components/usage/quota-bars';
import { LoadError } from '@/components/ui/load-error';
import { parseRange } from '@/lib/admin-api/analytics';
import { listKeys } from '@/lib/admin-api/portal';
import { listQuotas } from '@/lib/admin-api/quotas';
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
      <section aria-labelledby="limits-title" className="mt-6 rounded-xl border border-zinc-200 bg-white p-5 shadow-xs">
        <h2 id="limits-title" className="mb-3 text-base font-semibold text-zinc-900">Limits this period</h2>
        <Suspense fallback={<div aria-busy="true" className="h-10 animate-pulse rounded bg-zinc-100" />}>
          <Limits token={session.accessToken} tenant={membership.tenantSlug} />
        </Suspense>
        <p className="mt-3 text-xs text-zinc-500">Need more? Ask for a quota increase on the Models page.</p>
      </section>
      <div className="mt-6">
        <Suspense key={range} fallback={<UsageSkeleton />}>
          <UsageSection token={session.accessToken} range={range} tenant={membership.tenantSlug} />
        </Suspense>
      </div>
    </>
  );
}

async function Limits({ token, tenant }: { token: string; tenant: string }) {
  try {
    const [quotas, keys] = await Promise.all([listQuotas(token, tenant), listKeys(token, tenant)]);
    const names = new Map(keys.map((k) => [k.id, `${k.name} (${k.prefix}…)`]));
    return <QuotaBars quotas={quotas} keyName={(id) => names.get(id) ?? id} />;
  } catch (error) {
    return <LoadError what="the limits" error={error} />;
  }
}
