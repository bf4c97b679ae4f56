import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { GatewayErrorPage } from '@/components/gateway-error-page';
import { AreaLink, ConsoleShell } from '@/components/shell/console-shell';
import { homePathFor } from '@/lib/navigation';
import { adminNavigation } from '@/lib/sections';
import { getSession } from '@/lib/session';

/** The platform admin console. Only platform admins get past this layout. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const session = await getSession();
  if (session.status !== 'signed_in') {
    return (
      <GatewayErrorPage title={session.title} detail={session.detail} requestId={session.requestId} />
    );
  }
  const { user } = session;
  if (user.platformRole !== 'admin') redirect(homePathFor(user));

  return (
    <ConsoleShell
      areaLabel="Admin console"
      basePath="/admin"
      navigation={adminNavigation}
      user={user}
      sidebarBottom={
        user.memberships.length > 0 ? (
          <div>
            <p className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-zinc-400">Developer portal</p>
            {user.memberships.map((membership) => (
              <AreaLink key={membership.tenantId} href={`/t/${encodeURIComponent(membership.tenantSlug)}`}>
                {membership.tenantName}
              </AreaLink>
            ))}
          </div>
        ) : undefined
      }
    >
      {children}
    </ConsoleShell>
  );
}
