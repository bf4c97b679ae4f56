import type { Metadata } from 'next';
import { RequestLogView } from '@/components/logs/request-log-view';
import { PageHeader } from '@/components/page-header';
import { LoadError } from '@/components/ui/load-error';
import { listKeys, listTenants } from '@/lib/admin-api/portal';
import { adminSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { TenantPicker } from '@/components/tenant-picker';

const section = adminSections.requests;

export const metadata: Metadata = { title: section.label };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  const search = await searchParams;
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
  const chosen = tenants.find((t) => t.slug === search.tenant) ?? tenants[0];
  const keys = chosen ? await listKeys(session.accessToken, chosen.slug).catch(() => []) : [];
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      {chosen ? (
        <>
          <TenantPicker tenants={tenants} chosenId={chosen.id} basePath="/admin/requests" className="mt-6" />
          <div className="mt-4">
            <RequestLogView
              token={session.accessToken}
              tenant={chosen.slug}
              basePath="/admin/requests"
              hidden={{ tenant: chosen.slug }}
              search={search}
              keyNames={new Map(keys.map((k) => [k.id, `${k.name} (${k.prefix}…)`]))}
            />
          </div>
        </>
      ) : (
        <p className="mt-6 text-sm text-zinc-600">No tenants yet: create one first.</p>
      )}
    </>
  );
}
