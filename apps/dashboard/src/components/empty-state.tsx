import { Icon, type IconName } from './icon';

/**
 * The honest placeholder for a section that is not built yet: what it will
 * do, and that it is not available in this release.
 */
export function NotAvailableYet({ icon, title, planned }: { icon: IconName; title: string; planned: readonly string[] }) {
  return (
    <section
      aria-labelledby="not-available-title"
      className="mt-8 rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-12 text-center"
    >
      <span className="mx-auto flex size-12 items-center justify-center rounded-full bg-zinc-100 text-zinc-500">
        <Icon name={icon} className="size-6" />
      </span>
      <h2 id="not-available-title" className="mt-4 text-base font-semibold text-zinc-900">
        {title} is not available yet
      </h2>
      <p className="mt-1 text-sm text-zinc-600">This part of Conduit is coming in a later release. Nothing here is simulated.</p>
      {planned.length > 0 ? (
        <div className="mx-auto mt-6 max-w-md text-left">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Planned</h3>
          <ul className="mt-2 space-y-1.5 text-sm text-zinc-700">
            {planned.map((item) => (
              <li key={item} className="flex gap-2">
                <span aria-hidden="true" className="mt-2 size-1.5 shrink-0 rounded-full bg-zinc-300" />
                {item}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
