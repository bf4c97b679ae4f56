import Link from 'next/link';
import type { ReactNode } from 'react';
import { Brand } from '@/components/brand';
import type { SessionUser } from '@/lib/admin-api/auth';
import type { SectionGroup } from '@/lib/sections';
import { SidebarNav, type NavGroup } from './sidebar-nav';
import { SignOutButton } from './sign-out-button';

export interface ConsoleShellProps {
  /** Shown under the brand: "Admin console", or the tenant's name. */
  areaLabel: string;
  /** Root path of the area, e.g. `/admin` or `/t/acme`. */
  basePath: string;
  navigation: readonly SectionGroup[];
  user: SessionUser;
  /** Extra sidebar content above the navigation (e.g. the tenant switcher). */
  sidebarTop?: ReactNode;
  /** Links to the user's other areas, at the bottom of the sidebar. */
  sidebarBottom?: ReactNode;
  children: ReactNode;
}

/** The frame of every signed-in page: sidebar navigation, a header with the user, and the content. */
export function ConsoleShell({ areaLabel, basePath, navigation, user, sidebarTop, sidebarBottom, children }: ConsoleShellProps) {
  const groups: NavGroup[] = navigation.map((group) => ({
    label: group.label,
    links: group.sections.map((section) => ({
      href: section.segment ? `${basePath}/${section.segment}` : basePath,
      label: section.label,
      icon: section.icon,
      exact: section.segment === '',
    })),
  }));

  return (
    <div className="min-h-screen md:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <aside className="flex flex-col border-b border-zinc-200 bg-white md:fixed md:inset-y-0 md:w-64 md:border-r md:border-b-0">
        <div className="flex h-16 shrink-0 items-center border-b border-zinc-200 px-5">
          <Link href={basePath} className="rounded-md">
            <Brand subtitle={areaLabel} />
          </Link>
        </div>
        {sidebarTop}
        <div className="md:flex-1 md:overflow-y-auto">
          <SidebarNav groups={groups} label={`${areaLabel} navigation`} />
        </div>
        {sidebarBottom ? <div className="hidden border-t border-zinc-200 p-3 md:block">{sidebarBottom}</div> : null}
      </aside>

      <div className="flex min-w-0 flex-1 flex-col md:pl-64">
        <header className="sticky top-0 z-10 flex h-16 items-center justify-end gap-4 border-b border-zinc-200 bg-white/90 px-4 backdrop-blur sm:px-6">
          <div className="min-w-0 text-right" aria-label="Signed in user">
            {user.name ? <p className="truncate text-sm font-medium text-zinc-900">{user.name}</p> : null}
            <p className={'truncate ' + (user.name ? 'text-xs text-zinc-500' : 'text-sm font-medium text-zinc-900')}>
              {user.email}
            </p>
          </div>
          <SignOutButton />
        </header>
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6 lg:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}

export function AreaLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link
      href={href}
      className="flex items-center justify-between rounded-md px-3 py-2 text-sm text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900"
    >
      {children}
      <span aria-hidden="true">→</span>
    </Link>
  );
}
