import Link from 'next/link';
import type { ReactNode } from 'react';
import { GatewayErrorPage } from '@/components/gateway-error-page';
import { Icon } from '@/components/icon';
import { AreaLink, ConsoleShell } from '@/components/shell/console-shell';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { StandaloneNotice } from '@/components/standalone-notice';
import { homePathFor } from '@/lib/navigation';
import { portalNavigation } from '@/lib/sections';
import { getSession } from '@/lib/session';
import { ROLE_LABEL } from '@/lib/tenant';

/** The developer portal of one tenant. Only that tenant's members get past this layout. */
export default async function PortalLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenant: string }>;
}) {
  const session = await getSession();
  if (session.status !== 'signed_in') {
    return (
      <GatewayErrorPage title={session.title} detail={session.detail} requestId={session.requestId} />
    );
  }
  const { user } = session;
  const slug = decodeURIComponent((await params).tenant);
  const membership = user.memberships.find((candidate) => candidate.tenantSlug === slug);

  if (!membership) {
    return (
      <StandaloneNotice>
        <div role="alert" className="rounded-xl border border-zinc-200 bg-white p-6 shadow-xs">
          <h1 className="text-base font-semibold text-zinc-900">You don&apos;t have access to this tenant</h1>
          <p className="mt-1 text-sm text-zinc-600">
            {user.email} is not a member of a tenant called &ldquo;{slug}&rdquo;. Ask one of its admins to add you, or
            check the address.
          </p>
          <div className="mt-5 flex items-center gap-3">
            <Link
              href={homePathFor(user)}
              className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500"
            >
              Go to your home page
            </Link>
            <SignOutButton />
          </div>
        </div>
      </StandaloneNotice>
    );
  }

  const basePath = `/t/${encodeURIComponent(membership.tenantSlug)}`;
  const others = user.memberships.filter((candidate) => candidate.tenantId !== membership.tenantId);

  return (
    <ConsoleShell
      areaLabel="Developer portal"
      basePath={basePath}
      navigation={portalNavigation}
      user={user}
      sidebarTop={
        <div className="border-b border-zinc-200 px-3 py-3">
          {others.length === 0 ? (
            <TenantBadge name={membership.tenantName} role={ROLE_LABEL[membership.role]} />
          ) : (
            <details className="group relative">
              <summary className="flex cursor-pointer list-none items-center justify-between rounded-md hover:bg-zinc-50 [&::-webkit-details-marker]:hidden">
                <TenantBadge name={membership.tenantName} role={ROLE_LABEL[membership.role]} />
                <Icon name="chevron" className="mr-2 size-4 text-zinc-400 group-open:rotate-180" />
              </summary>
              <div className="mt-1 rounded-md border border-zinc-200 bg-white p-1 shadow-sm">
                <p className="px-2 py-1 text-xs font-semibold uppercase tracking-wide text-zinc-400">Switch tenant</p>
                <ul>
                  {others.map((other) => (
                    <li key={other.tenantId}>
                      <Link
                        href={`/t/${encodeURIComponent(other.tenantSlug)}`}
                        className="flex justify-between rounded px-2 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100"
                      >
                        <span className="truncate">{other.tenantName}</span>
                        <span className="text-xs text-zinc-400">{ROLE_LABEL[other.role]}</span>
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            </details>
          )}
        </div>
      }
      sidebarBottom={user.platformRole === 'admin' ? <AreaLink href="/admin">Admin console</AreaLink> : undefined}
    >
      {children}
    </ConsoleShell>
  );
}

function TenantBadge({ name, role }: { name: string; role: string }) {
  return (
    <div className="flex min-w-0 items-center gap-2.5 px-2 py-1">
      <span
        aria-hidden="true"
        className="flex size-8 shrink-0 items-center justify-center rounded-md bg-zinc-900 text-sm font-semibold text-white"
      >
        {name.slice(0, 1).toUpperCase()}
      </span>
      <span className="min-w-0">
        <span className="block truncate text-sm font-medium text-zinc-900">{name}</span>
        <span className="block text-xs text-zinc-500">{role}</span>
      </span>
    </div>
  );
}
