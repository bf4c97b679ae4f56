import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { LoadError } from '@/components/ui/load-error';
import { listAccessRequests, listTenantModels } from '@/lib/admin-api/portal';
import { portalSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { requireMembership } from '@/lib/tenant';
import { ModelsPanel } from './models-panel';

const section = portalSections.models;

export const metadata: Metadata = { title: section.label };

export default async function Page({ params }: { params: Promise<{ tenant: string }> }) {
  const membership = await requireMembership(params);
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  let data;
  try {
    const [models, requests] = await Promise.all([
      listTenantModels(session.accessToken, membership.tenantSlug),
      listAccessRequests(session.accessToken, membership.tenantSlug, true),
    ]);
    data = { models, requests };
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
      <ModelsPanel tenant={membership.tenantSlug} canRequest={membership.role !== 'viewer'} {...data} />
    </>
  );
}
