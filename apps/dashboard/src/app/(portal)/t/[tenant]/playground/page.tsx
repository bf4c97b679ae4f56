import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { LoadError } from '@/components/ui/load-error';
import { listTenantModels } from '@/lib/admin-api/portal';
import { getConfig } from '@/lib/config';
import { portalSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { requireMembership } from '@/lib/tenant';
import { Playground } from './playground';

const section = portalSections.playground;

export const metadata: Metadata = { title: section.label };

export default async function Page({ params }: { params: Promise<{ tenant: string }> }) {
  const membership = await requireMembership(params);
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  let models;
  try {
    models = await listTenantModels(session.accessToken, membership.tenantSlug);
  } catch (error) {
    return (
      <>
        <PageHeader title={section.label} description={section.description} />
        <LoadError what="the models" error={error} />
      </>
    );
  }
  const callable = models
    .filter((m) => m.kind === 'chat' && (m.access === 'available' || m.access === 'granted'))
    .map((m) => ({ name: m.name, displayName: m.displayName, price: m.price }));
  return (
    <>
      <PageHeader title={section.label} description="Chat with a model through this gateway, with one of your keys. The key stays in this page's memory only." />
      <Playground tenant={membership.tenantSlug} models={callable} gatewayUrl={getConfig().GATEWAY_PUBLIC_URL ?? getConfig().GATEWAY_URL} />
    </>
  );
}
