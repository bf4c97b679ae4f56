import Link from 'next/link';

/** The tenant switcher of per-tenant admin pages: one link per tenant, the chosen one marked. */
export function TenantPicker({ tenants, chosenId, basePath, className = 'mt-6' }: { tenants: { id: string; slug: string; name: string }[]; chosenId: string; basePath: string; className?: string }) {
  return (
    <nav aria-label="Tenant" className={`${className} flex flex-wrap gap-1 text-sm`}>
      {tenants.map((t) => (
        <Link
          key={t.id}
          href={`${basePath}?tenant=${encodeURIComponent(t.slug)}`}
          aria-current={t.id === chosenId ? 'page' : undefined}
          className={`rounded-md px-2.5 py-1 ${t.id === chosenId ? 'bg-indigo-600 text-white' : 'border border-zinc-200 bg-white text-zinc-700 hover:bg-zinc-50'}`}
        >
          {t.name}
        </Link>
      ))}
    </nav>
  );
}
