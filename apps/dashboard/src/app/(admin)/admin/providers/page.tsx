import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { LoadError } from '@/components/ui/load-error';
import { listProviders } from '@/lib/admin-api/providers';
import { adminSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { AddProviderForm, ProviderCard } from './providers-panel';

const section = adminSections.providers;

export const metadata: Metadata = { title: section.label };

export default async function Page() {
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  let providers;
  try {
    providers = await listProviders(session.accessToken);
  } catch (error) {
    return (
      <>
        <PageHeader title={section.label} description={section.description} />
        <LoadError what="the providers" error={error} />
      </>
    );
  }
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <div className="mt-6 space-y-4">
        {providers.length === 0 ? (
          <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">No providers yet. Add one below.</p>
        ) : (
          providers.map((p) => <ProviderCard key={p.id} provider={p} />)
        )}
        <AddProviderForm />
      </div>
    </>
  );
}
