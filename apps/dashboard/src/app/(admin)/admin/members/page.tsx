import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { LoadError } from '@/components/ui/load-error';
import { listMembers, listUsers } from '@/lib/admin-api/org';
import { listTenants } from '@/lib/admin-api/portal';
import { adminSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { AccountsTable, MembersPanel } from './members-panel';
import { TenantPicker } from '@/components/tenant-picker';

const section = adminSections.members;

export const metadata: Metadata = { title: section.label };

export default async function Page({ searchParams }: { searchParams: Promise<{ tenant?: string }> }) {
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  const wanted = (await searchParams).tenant;
  let data;
  try {
    const [tenants, users] = await Promise.all([listTenants(session.accessToken), listUsers(session.accessToken)]);
    const chosen = tenants.find((t) => t.slug === wanted) ?? tenants[0];
    const members = chosen ? await listMembers(session.accessToken, chosen.slug) : [];
    data = { tenants, users, chosen, members };
  } catch (error) {
    return (
      <>
        <PageHeader title={section.label} description={section.description} />
        <LoadError what="the members" error={error} />
      </>
    );
  }
  const { tenants, users, chosen, members } = data;
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      {chosen ? (
        <>
          <TenantPicker tenants={tenants} chosenId={chosen.id} basePath="/admin/members" className="mt-6" />
          <MembersPanel tenant={chosen.slug} tenantName={chosen.name} members={members} />
        </>
      ) : (
        <p className="mt-6 text-sm text-zinc-600">No tenants yet: create one on the Tenants page first.</p>
      )}
      <AccountsTable users={users} selfId={session.user.id} />
    </>
  );
}
