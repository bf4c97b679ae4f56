import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { LoadError } from '@/components/ui/load-error';
import { listTenants } from '@/lib/admin-api/portal';
import { getTenantSettings, listPlatformSettings } from '@/lib/admin-api/settings';
import { adminSections } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { PlatformSettingForm, TenantSettingsForm } from './settings-forms';
import { TenantPicker } from '@/components/tenant-picker';

const section = adminSections.settings;

export const metadata: Metadata = { title: section.label };

export default async function Page({ searchParams }: { searchParams: Promise<{ tenant?: string }> }) {
  const session = await getSession();
  if (session.status !== 'signed_in') return null;
  const wanted = (await searchParams).tenant;
  let data;
  try {
    const [tenants, platform] = await Promise.all([listTenants(session.accessToken), listPlatformSettings(session.accessToken)]);
    const chosen = tenants.find((t) => t.slug === wanted) ?? tenants[0];
    const settings = chosen ? await getTenantSettings(session.accessToken, chosen.slug) : undefined;
    data = { tenants, platform, chosen, settings };
  } catch (error) {
    return (
      <>
        <PageHeader title={section.label} description={section.description} />
        <LoadError what="the settings" error={error} />
      </>
    );
  }
  const { tenants, chosen, settings } = data;
  const known = ['cache.defaults', 'guardrails.defaults', 'keys.defaultExpiryDays', 'signup.open'];
  const platform = [...new Set([...known, ...data.platform.map((s) => s.key)])].map((key) => ({
    key,
    value: data.platform.find((s) => s.key === key)?.value,
  }));
  return (
    <>
      <PageHeader title={section.label} description="Each tenant’s cache, log retention and guardrails, and platform-wide defaults." />
      {chosen && settings ? (
        <section aria-labelledby="tenant-settings" className="mt-6">
          <h2 id="tenant-settings" className="text-base font-semibold text-zinc-900">Tenant policy</h2>
          <TenantPicker tenants={tenants} chosenId={chosen.id} basePath="/admin/settings" className="mt-3" />
          <TenantSettingsForm key={chosen.id} tenant={chosen.slug} settings={settings} />
        </section>
      ) : null}
      <section aria-labelledby="platform-settings" className="mt-10">
        <h2 id="platform-settings" className="text-base font-semibold text-zinc-900">Platform defaults</h2>
        <p className="mt-1 text-sm text-zinc-600">JSON values; a setting never saved shows <code>null</code> (the built-in default applies).</p>
        <div className="mt-3 grid gap-3 lg:grid-cols-2">
          {platform.map((s) => <PlatformSettingForm key={s.key} setting={{ key: s.key, value: JSON.stringify(s.value ?? null, null, 2) }} />)}
        </div>
      </section>
    </>
  );
}
