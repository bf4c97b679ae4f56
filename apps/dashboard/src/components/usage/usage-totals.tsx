import type { UsageMetrics } from '@/lib/admin-api/analytics';

/** The period's headline numbers. */
export function UsageTotals({ totals }: { totals: UsageMetrics }) {
  const items: [string, string][] = [
    ['Requests', totals.requests.toLocaleString('en')],
    ['Errors', `${totals.errors.toLocaleString('en')} (${(totals.errorRate * 100).toFixed(1)}%)`],
    ['Tokens', totals.totalTokens.toLocaleString('en')],
    ['Cost', `$${Number(totals.costUsd).toFixed(4)}`],
    ['Avg latency', totals.avgLatencyMs === null ? '—' : `${Math.round(totals.avgLatencyMs)} ms`],
    ['p95 latency', totals.p95LatencyMs === null ? '—' : `≤ ${totals.p95LatencyMs} ms`],
  ];
  return (
    <dl aria-label="Totals for the period" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
      {items.map(([name, value]) => (
        <div key={name} className="rounded-xl border border-zinc-200 bg-white px-4 py-3 shadow-xs">
          <dt className="text-xs font-medium text-zinc-500">{name}</dt>
          <dd className="mt-1 text-lg font-semibold text-zinc-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** "Top N by …" — a small ranked table. */
export function TopTable({ title, rows, nameOf }: { title: string; rows: (UsageMetrics & { key: string })[]; nameOf: (key: string) => string }) {
  const top = [...rows].sort((a, b) => Number(b.costUsd) - Number(a.costUsd) || b.requests - a.requests).slice(0, 5);
  return (
    <section aria-label={title} className="rounded-xl border border-zinc-200 bg-white p-4 shadow-xs">
      <h3 className="text-sm font-semibold text-zinc-900">{title}</h3>
      {top.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-500">No traffic in this period.</p>
      ) : (
        <table className="mt-2 w-full text-sm">
          <thead className="text-left text-xs text-zinc-500">
            <tr>
              <th scope="col" className="py-1 font-medium">Name</th>
              <th scope="col" className="py-1 text-right font-medium">Requests</th>
              <th scope="col" className="py-1 text-right font-medium">Tokens</th>
              <th scope="col" className="py-1 text-right font-medium">Cost</th>
            </tr>
          </thead>
          <tbody>
            {top.map((r) => (
              <tr key={r.key} className="border-t border-zinc-100">
                <td className="max-w-40 truncate py-1 text-zinc-900">{nameOf(r.key)}</td>
                <td className="py-1 text-right font-mono">{r.requests}</td>
                <td className="py-1 text-right font-mono">{r.totalTokens}</td>
                <td className="py-1 text-right font-mono">${Number(r.costUsd).toFixed(4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
