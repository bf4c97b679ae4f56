'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { Icon, type IconName } from '@/components/icon';

export interface NavLink {
  href: string;
  label: string;
  icon: IconName;
  /** Only the exact path is "current" (area overviews); otherwise sub-paths count too. */
  exact: boolean;
}

export interface NavGroup {
  label?: string;
  links: NavLink[];
}

export function SidebarNav({ groups, label }: { groups: NavGroup[]; label: string }) {
  const pathname = usePathname();
  const isCurrent = (link: NavLink) =>
    link.exact ? pathname === link.href : pathname === link.href || pathname.startsWith(`${link.href}/`);

  return (
    <nav aria-label={label} className="px-3 py-3 md:py-4">
      <div className="flex gap-4 overflow-x-auto md:flex-col md:gap-5 md:overflow-visible">
        {groups.map((group, index) => (
          <div key={group.label ?? index} className="shrink-0">
            {group.label ? (
              <p className="mb-1 hidden px-3 text-xs font-semibold uppercase tracking-wide text-zinc-400 md:block">
                {group.label}
              </p>
            ) : null}
            <ul className="flex gap-1 md:flex-col">
              {group.links.map((link) => {
                const current = isCurrent(link);
                return (
                  <li key={link.href}>
                    <Link
                      href={link.href}
                      aria-current={current ? 'page' : undefined}
                      className={
                        'flex items-center gap-2.5 whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium transition-colors ' +
                        (current
                          ? 'bg-indigo-50 text-indigo-700'
                          : 'text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900')
                      }
                    >
                      <Icon name={link.icon} className={'size-5 ' + (current ? 'text-indigo-600' : 'text-zinc-400')} />
                      {link.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
      </div>
    </nav>
  );
}
