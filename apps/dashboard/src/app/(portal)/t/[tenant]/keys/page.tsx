import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { LoadError } from '@/components/ui/load-error';
import { listKeys } from '@/lib/admin-api/portal';
import { portalSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { requireMembership } from '@/lib/tenant';
import { KeysPanel } from './keys-panel';

const section = portalSections.keys;

export const metadata: Metadata = { title: section.label };

export default async function Page({ params }: { params: Promise<{ tenant: string }> }) {
  const membership = await requireMembership(params);
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  let keys;
  try {
    keys = await listKeys(session.accessToken, membership.tenantSlug);
  } catch (error) {
    return (
      <>
        <PageHeader title={section.label} description={section.description} />
        <LoadError what="the keys" error={error} />
      </>
    );
  }
  const canWrite = membership.role !== 'viewer';
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <KeysPanel tenant={membership.tenantSlug} keys={keys} canWrite={canWrite} />
    </>
  );
}
