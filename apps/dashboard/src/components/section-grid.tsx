import Link from 'next/link';
import { Icon } from '@/components/icon';
import type { Section } from '@/lib/sections';

/** Cards linking to an area's sections; those not built yet (with a `planned` list) say so. */
export function SectionGrid({ basePath, sections }: { basePath: string; sections: readonly Section[] }) {
  return (
    <ul className="mt-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {sections.map((section) => (
        <li key={section.segment}>
          <Link
            href={`${basePath}/${section.segment}`}
            className="flex h-full gap-3 rounded-lg border border-zinc-200 bg-white p-4 hover:border-zinc-300 hover:shadow-xs"
          >
            <Icon name={section.icon} className="size-5 shrink-0 text-zinc-400" />
            <span>
              <span className="flex flex-wrap items-center gap-2 text-sm font-medium text-zinc-900">
                {section.label}
                {section.planned.length > 0 ? (
                  <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-[11px] font-medium text-zinc-500">
                    Not available yet
                  </span>
                ) : null}
              </span>
              <span className="mt-1 block text-xs text-zinc-500">{section.description}</span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
