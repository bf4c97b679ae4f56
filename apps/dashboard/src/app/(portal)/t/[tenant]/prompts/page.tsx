import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { LoadError } from '@/components/ui/load-error';
import { listTenantModels } from '@/lib/admin-api/portal';
import { getPrompt, listPrompts, type Prompt } from '@/lib/admin-api/prompts';
import { getConfig } from '@/lib/config';
import { portalSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { requireMembership } from '@/lib/tenant';
import { PromptsPanel } from './prompts-panel';

const section = portalSections.prompts;

export const metadata: Metadata = { title: section.label };

export default async function Page({ params }: { params: Promise<{ tenant: string }> }) {
  const membership = await requireMembership(params);
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  const tenant = membership.tenantSlug;
  let prompts: Prompt[];
  try {
    const list = await listPrompts(session.accessToken, tenant);
    // each template with its versions (the list has only the version numbers)
    prompts = await Promise.all(list.filter((p) => !p.archived).map((p) => getPrompt(session.accessToken, tenant, p.slug)));
  } catch (error) {
    return (
      <>
        <PageHeader title={section.label} description={section.description} />
        <LoadError what="the prompts" error={error} />
      </>
    );
  }
  const models = await listTenantModels(session.accessToken, tenant).catch(() => []);
  const callable = models.filter((m) => m.kind === 'chat' && (m.access === 'available' || m.access === 'granted')).map((m) => m.name);
  const { GATEWAY_URL, GATEWAY_PUBLIC_URL } = getConfig();
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <PromptsPanel
        tenant={tenant}
        prompts={prompts}
        models={callable}
        gatewayUrl={GATEWAY_PUBLIC_URL ?? GATEWAY_URL}
        canWrite={membership.role !== 'viewer'}
      />
    </>
  );
}
