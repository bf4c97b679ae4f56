import { fetchGatewayHealth } from '@/lib/admin-api/health';
import { getConfig } from '@/lib/config';

const STATE = {
  ready: { label: 'Ready', dot: 'bg-emerald-500', badge: 'bg-emerald-50 text-emerald-700 ring-emerald-200' },
  not_ready: { label: 'Not ready', dot: 'bg-amber-500', badge: 'bg-amber-50 text-amber-800 ring-amber-200' },
  unreachable: { label: 'Unreachable', dot: 'bg-red-500', badge: 'bg-red-50 text-red-700 ring-red-200' },
} as const;

/** Gateway readiness (`GET {GATEWAY_URL}/ready`), fetched on the server for every view. */
export async function GatewayHealthCard() {
  const health = await fetchGatewayHealth();
  const style = STATE[health.state];
  const { GATEWAY_URL } = getConfig();

  return (
    <section aria-labelledby="gateway-health-title" className="rounded-xl border border-zinc-200 bg-white p-6 shadow-xs">
      <div className="flex items-start justify-between gap-4">
        <h2 id="gateway-health-title" className="text-sm font-semibold text-zinc-900">
          Gateway health
        </h2>
        <span
          className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${style.badge}`}
        >
          <span aria-hidden="true" className={`size-1.5 rounded-full ${style.dot}`} />
          {style.label}
        </span>
      </div>

      <dl className="mt-4 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-3 text-sm">
        <dt className="text-zinc-500">Gateway</dt>
        <dd className="break-all font-mono text-xs leading-5 text-zinc-900">{GATEWAY_URL}</dd>
        {health.state === 'unreachable' ? (
          <>
            <dt className="text-zinc-500">Problem</dt>
            <dd className="text-zinc-900">
              No answer from <code className="font-mono text-xs">/ready</code> ({health.reason}). Check that the gateway
              is running and that GATEWAY_URL points at it.
            </dd>
          </>
        ) : (
          <>
            <dt className="text-zinc-500">Readiness</dt>
            <dd className="text-zinc-900">
              HTTP {health.httpStatus}
              {health.summary ? ` · ${health.summary}` : ''} · {health.latencyMs} ms
            </dd>
            {health.checks.length > 0 ? (
              <>
                <dt className="text-zinc-500">Dependencies</dt>
                <dd>
                  <ul className="space-y-1">
                    {health.checks.map((check) => (
                      <li key={check.name} className="flex items-center gap-2">
                        <span
                          aria-hidden="true"
                          className={`size-1.5 rounded-full ${check.ok ? 'bg-emerald-500' : 'bg-red-500'}`}
                        />
                        <span className="text-zinc-900 capitalize">{check.name}</span>
                        <span className="text-zinc-500">{check.detail}</span>
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            ) : null}
          </>
        )}
      </dl>
      <p className="mt-4 text-xs text-zinc-500">Checked when this page was loaded.</p>
    </section>
  );
}

export function GatewayHealthSkeleton() {
  return (
    <section aria-label="Gateway health (loading)" className="rounded-xl border border-zinc-200 bg-white p-6 shadow-xs">
      <div className="h-4 w-32 animate-pulse rounded bg-zinc-200" />
      <div className="mt-6 space-y-3">
        <div className="h-3 w-3/4 animate-pulse rounded bg-zinc-100" />
        <div className="h-3 w-1/2 animate-pulse rounded bg-zinc-100" />
      </div>
    </section>
  );
}
