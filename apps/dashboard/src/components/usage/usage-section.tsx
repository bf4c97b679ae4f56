import { LoadError } from '@/components/ui/load-error';
import { usageSeries, usageSummary, type UsageRange } from '@/lib/admin-api/analytics';
import { listKeys, listTenants } from '@/lib/admin-api/portal';
import { TopTable, UsageTotals } from './usage-totals';
import { UsageCharts } from './usage-charts';

/**
 * Usage over a period: totals, charts over time and the top tenants / models /
 * keys. `tenant` set: one tenant (portal); otherwise the whole platform.
 */
export async function UsageSection({ token, range, tenant }: { token: string; range: UsageRange; tenant?: string }) {
  let loaded;
  try {
    const [series, byModel, byKey, byTenant, names] = await Promise.all([
      usageSeries(token, range, { tenant }),
      usageSummary(token, range, { tenant, groupBy: 'model' }),
      usageSummary(token, range, { tenant, groupBy: 'key' }),
      tenant ? undefined : usageSummary(token, range, { groupBy: 'tenant' }),
      tenant ? listKeys(token, tenant).then((keys) => new Map(keys.map((k) => [k.id, `${k.name} (${k.prefix}…)`]))) : listTenants(token).then((ts) => new Map(ts.map((t) => [t.id, t.name]))),
    ]);
    loaded = { series, byModel, byKey, byTenant, names };
  } catch (error) {
    return <LoadError what="usage" error={error} />;
  }
  const { series, byModel, byKey, byTenant, names } = loaded;
  const nameOf = (key: string) => names.get(key) ?? key;
  // platform view: name the top keys from the keys of the busiest tenants (best effort)
  const keyNames = new Map<string, string>();
  if (!tenant && byTenant && byKey.groups.length > 0) {
    const busiest = [...byTenant.groups].sort((a, b) => b.requests - a.requests).slice(0, 5);
    const lists = await Promise.all(busiest.map((g) => listKeys(token, g.key).catch(() => [])));
    busiest.forEach((g, i) => {
      for (const k of lists[i]!) keyNames.set(k.id, `${k.name} (${nameOf(g.key)})`);
    });
  }
  return (
    <div className="space-y-6">
      <UsageTotals totals={byModel.totals} />
      {byModel.totals.requests === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-8 text-center text-sm text-zinc-600">
          No requests in this period yet. Usage appears here a few seconds after calls go through the gateway (the worker aggregates it).
        </p>
      ) : null}
      <UsageCharts points={series.points} granularity={series.granularity} />
      <div className={`grid gap-4 ${byTenant ? 'lg:grid-cols-3' : 'lg:grid-cols-2'}`}>
        {byTenant ? <TopTable title="Top tenants" rows={byTenant.groups} nameOf={nameOf} /> : null}
        <TopTable title="Top models" rows={byModel.groups} nameOf={(k) => k} />
        <TopTable title="Top keys" rows={byKey.groups} nameOf={tenant ? nameOf : (k) => keyNames.get(k) ?? `key ${k.slice(0, 10)}…`} />
      </div>
    </div>
  );
}

export function UsageSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading usage" className="space-y-6">
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="h-16 animate-pulse rounded-xl bg-zinc-100" />
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="h-64 animate-pulse rounded-xl bg-zinc-100" />
        ))}
      </div>
    </div>
  );
}
