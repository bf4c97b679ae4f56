import Link from 'next/link';
import { USAGE_RANGES, type UsageRange } from '@/lib/admin-api/analytics';

export function RangePicker({ basePath, current }: { basePath: string; current: UsageRange }) {
  return (
    <nav aria-label="Period" className="flex gap-1 rounded-lg border border-zinc-200 bg-white p-1 text-sm">
      {USAGE_RANGES.map((r) => (
        <Link
          key={r.value}
          href={`${basePath}?range=${r.value}`}
          aria-current={r.value === current ? 'page' : undefined}
          className={`rounded-md px-2.5 py-1 ${r.value === current ? 'bg-indigo-600 text-white' : 'text-zinc-600 hover:bg-zinc-100'}`}
        >
          {r.label}
        </Link>
      ))}
    </nav>
  );
}
