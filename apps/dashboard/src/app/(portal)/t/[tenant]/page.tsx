import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { SectionGrid } from '@/components/section-grid';
import { portalNavigation, portalSections } from '@/lib/sections';
import { requireMembership, ROLE_LABEL } from '@/lib/tenant';

export const metadata: Metadata = { title: 'Overview' };

const ROLE_CAN: Record<keyof typeof ROLE_LABEL, string> = {
  owner: 'As an owner you manage this tenant, its members and its keys, and use every model it has access to.',
  admin: 'As an admin you manage this tenant’s members and keys, and use every model it has access to.',
  developer: 'As a developer you create and rotate your own keys, request access to models, and read your usage.',
  viewer: 'As a viewer you can read this tenant’s usage and requests, but not create keys.',
};

export default async function PortalOverviewPage({ params }: { params: Promise<{ tenant: string }> }) {
  const membership = await requireMembership(params);
  const basePath = `/t/${encodeURIComponent(membership.tenantSlug)}`;
  const sections = portalNavigation.flatMap((group) => group.sections).filter((section) => section.segment !== '');

  return (
    <>
      <PageHeader title={membership.tenantName} description={portalSections.overview.description} />

      <section aria-labelledby="membership-title" className="mt-8 rounded-xl border border-zinc-200 bg-white p-6 shadow-xs">
        <h2 id="membership-title" className="text-sm font-semibold text-zinc-900">
          Your membership
        </h2>
        <dl className="mt-4 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-3 text-sm">
          <dt className="text-zinc-500">Tenant</dt>
          <dd className="text-zinc-900">
            {membership.tenantName} <span className="font-mono text-xs text-zinc-500">({membership.tenantSlug})</span>
          </dd>
          <dt className="text-zinc-500">Role</dt>
          <dd className="text-zinc-900">{ROLE_LABEL[membership.role]}</dd>
        </dl>
        <p className="mt-4 text-sm text-zinc-600">{ROLE_CAN[membership.role]}</p>
      </section>

      <section aria-labelledby="portal-sections-title" className="mt-10">
        <h2 id="portal-sections-title" className="text-sm font-semibold text-zinc-900">
          Portal sections
        </h2>
        <p className="mt-1 text-sm text-zinc-600">
          Everything you can do in this tenant.
        </p>
        <SectionGrid basePath={basePath} sections={sections} />
      </section>
    </>
  );
}
