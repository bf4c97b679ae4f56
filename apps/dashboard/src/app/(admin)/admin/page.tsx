import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { GatewayHealthCard, GatewayHealthSkeleton } from '@/components/gateway-health-card';
import { PageHeader } from '@/components/page-header';
import { SectionGrid } from '@/components/section-grid';
import { adminNavigation, adminSections } from '@/lib/sections';
import { RangePicker } from '@/components/usage/range-picker';
import { UsageSection, UsageSkeleton } from '@/components/usage/usage-section';
import { parseRange } from '@/lib/admin-api/analytics';
import { getSession, requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Overview' };

const ROLE_LABEL = { owner: 'Owner', admin: 'Admin', developer: 'Developer', viewer: 'Viewer' } as const;

export default async function AdminOverviewPage({ searchParams }: { searchParams: Promise<{ range?: string }> }) {
  const user = await requireUser();
  const session = await getSession();
  const range = parseRange((await searchParams).range);
  const upcoming = adminNavigation.flatMap((group) => group.sections).filter((section) => section.segment !== '');

  return (
    <>
      <PageHeader
        title={adminSections.overview.label}
        description={adminSections.overview.description}
        actions={<RangePicker basePath="/admin" current={range} />}
      />

      <section aria-labelledby="usage-title" className="mt-8">
        <h2 id="usage-title" className="sr-only">
          Platform usage
        </h2>
        {session.status === 'signed_in' ? (
          <Suspense key={range} fallback={<UsageSkeleton />}>
            <UsageSection token={session.accessToken} range={range} />
          </Suspense>
        ) : null}
      </section>

      <div className="mt-8 grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="session-title" className="rounded-xl border border-zinc-200 bg-white p-6 shadow-xs">
          <h2 id="session-title" className="text-sm font-semibold text-zinc-900">
            Signed in
          </h2>
          <dl className="mt-4 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-3 text-sm">
            <dt className="text-zinc-500">Email</dt>
            <dd className="break-all text-zinc-900">{user.email}</dd>
            {user.name ? (
              <>
                <dt className="text-zinc-500">Name</dt>
                <dd className="text-zinc-900">{user.name}</dd>
              </>
            ) : null}
            <dt className="text-zinc-500">Role</dt>
            <dd>
              <span className="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700 ring-1 ring-indigo-200 ring-inset">
                Platform admin
              </span>
            </dd>
            <dt className="text-zinc-500">Tenants</dt>
            <dd className="text-zinc-900">
              {user.memberships.length === 0 ? (
                <span className="text-zinc-500">Not a member of any tenant</span>
              ) : (
                <ul className="space-y-1">
                  {user.memberships.map((membership) => (
                    <li key={membership.tenantId}>
                      <Link
                        href={`/t/${encodeURIComponent(membership.tenantSlug)}`}
                        className="font-medium text-indigo-600 hover:text-indigo-500"
                      >
                        {membership.tenantName}
                      </Link>{' '}
                      <span className="text-zinc-500">· {ROLE_LABEL[membership.role]}</span>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
        </section>

        <Suspense fallback={<GatewayHealthSkeleton />}>
          <GatewayHealthCard />
        </Suspense>
      </div>

      <section aria-labelledby="roadmap-title" className="mt-10">
        <h2 id="roadmap-title" className="text-sm font-semibold text-zinc-900">
          Console sections
        </h2>
        <p className="mt-1 text-sm text-zinc-600">
          Everything the console manages; sections not built yet say so.
        </p>
        <SectionGrid basePath="/admin" sections={upcoming} />
      </section>
    </>
  );
}
