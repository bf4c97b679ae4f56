import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { LoadError } from '@/components/ui/load-error';
import { listTenants } from '@/lib/admin-api/portal';
import { adminSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { TenantsPanel } from './tenants-panel';

const section = adminSections.tenants;

export const metadata: Metadata = { title: section.label };

export default async function Page() {
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  let tenants;
  try {
    tenants = await listTenants(session.accessToken);
  } catch (error) {
    return (
      <>
        <PageHeader title={section.label} description={section.description} />
        <LoadError what="the tenants" error={error} />
      </>
    );
  }
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <TenantsPanel tenants={tenants} />
    </>
  );
}
