import { formatDate } from '@/components/ui/status-badge';
import type { Quota } from '@/lib/admin-api/quotas';

export function describeQuota(q: Quota, keyName: (id: string) => string): string {
  const what = q.metric === 'cost' ? `$${q.limit} budget` : `${Number(q.limit).toLocaleString('en')} ${q.metric}`;
  return `${what} per ${q.period}${q.scope === 'key' && q.apiKeyId ? ` · key ${keyName(q.apiKeyId)}` : ' · whole tenant'}`;
}

/** Each quota's use in the current period, as a labelled meter. */
export function QuotaBars({ quotas, keyName }: { quotas: Quota[]; keyName: (id: string) => string }) {
  if (quotas.length === 0) return <p className="text-sm text-zinc-600">No quotas or budgets: only the rate limits of the plan apply.</p>;
  return (
    <ul className="space-y-3">
      {quotas.map((q) => {
        const used = Number(q.used ?? 0);
        const limit = Number(q.limit);
        const pct = limit > 0 ? Math.min(100, (used / limit) * 100) : 0;
        const label = describeQuota(q, keyName);
        return (
          <li key={q.id} className="text-sm">
            <div className="flex flex-wrap justify-between gap-2">
              <span className="font-medium text-zinc-900">{label}{q.enabled ? '' : ' (disabled)'}</span>
              <span className="text-zinc-600">
                {q.metric === 'cost' ? `$${used.toFixed(4)}` : used.toLocaleString('en')} used ({pct.toFixed(0)}%)
                {q.resetsAt ? ` · resets ${formatDate(q.resetsAt)}` : ''}
              </span>
            </div>
            <div
              role="meter"
              aria-label={label}
              aria-valuemin={0}
              aria-valuemax={limit}
              aria-valuenow={used}
              className="mt-1 h-2 overflow-hidden rounded-full bg-zinc-100"
            >
              <div className={`h-full ${pct >= 90 ? 'bg-red-500' : pct >= 75 ? 'bg-amber-500' : 'bg-indigo-500'}`} style={{ width: `${pct}%` }} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}
