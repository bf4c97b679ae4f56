'use client';

import { useState } from 'react';

/** Client-side pages over a list the admin API returns whole. */
export function usePage<T>(items: readonly T[], size: number) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(page, pages - 1);
  return { items: items.slice(current * size, current * size + size), page: current, pages, total: items.length, setPage };
}

export function Pager({ page, pages, total, setPage, label }: { page: number; pages: number; total: number; setPage: (p: number) => void; label: string }) {
  if (pages <= 1) return null;
  return (
    <nav aria-label={`Pages of ${label}`} className="flex items-center justify-between border-t border-zinc-200 px-4 py-2 text-sm text-zinc-600">
      <span>
        Page {page + 1} of {pages} · {total} {label}
      </span>
      <span className="flex gap-2">
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)} className="rounded border border-zinc-300 px-2 py-0.5 disabled:opacity-50">
          Previous
        </button>
        <button type="button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)} className="rounded border border-zinc-300 px-2 py-0.5 disabled:opacity-50">
          Next
        </button>
      </span>
    </nav>
  );
}
