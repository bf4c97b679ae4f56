import Link from 'next/link';
import { inputClass, primaryButtonClass, secondaryButtonClass } from '@/components/ui/form-message';
import { LoadError } from '@/components/ui/load-error';
import { formatDate, StatusBadge } from '@/components/ui/status-badge';
import { getRequestLog, type RequestLog, type RequestLogFilters, searchRequestLogs } from '@/lib/admin-api/logs';

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

export function readLogFilters(search: Search): RequestLogFilters & { detail?: string } {
  const status = one(search.status);
  const day = (v?: string) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
  const from = day(one(search.from));
  const to = day(one(search.to));
  return {
    model: one(search.model),
    status: status === 'success' || status === 'error' || status === 'aborted' ? status : undefined,
    apiKeyId: one(search.apiKeyId),
    requestId: one(search.requestId),
    from: from ? `${from}T00:00:00.000Z` : undefined,
    to: to ? new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000).toISOString() : undefined,
    cursor: one(search.cursor),
    detail: one(search.detail),
  };
}

/**
 * A tenant's request log: filters (a GET form, so every view has a URL), a
 * table with cursor pages, and the detail of one request.
 */
export async function RequestLogView({
  token,
  tenant,
  basePath,
  search,
  hidden = {},
  keyNames,
}: {
  token: string;
  tenant: string;
  basePath: string;
  search: Search;
  hidden?: Record<string, string>;
  keyNames?: Map<string, string>;
}) {
  const filters = readLogFilters(search);
  const { detail, ...query } = filters;
  let data;
  try {
    const [page, selected] = await Promise.all([
      searchRequestLogs(token, tenant, query),
      detail ? getRequestLog(token, tenant, detail).catch(() => null) : undefined,
    ]);
    data = { page, selected };
  } catch (error) {
    return <LoadError what="the request log" error={error} />;
  }
  const keep = (extra: Record<string, string | undefined>) => {
    const q = new URLSearchParams(hidden);
    for (const name of ['model', 'status', 'apiKeyId', 'requestId', 'from', 'to'] as const) {
      const v = one(search[name]);
      if (v) q.set(name, v);
    }
    for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
    return `${basePath}?${q.toString()}`;
  };
  const keyName = (id: string | null) => (id ? (keyNames?.get(id) ?? id.slice(0, 10)) : '—');

  return (
    <div className="space-y-5">
      <form method="get" action={basePath} aria-label="Filter requests" className="grid gap-3 rounded-xl border border-zinc-200 bg-white p-4 shadow-xs sm:grid-cols-3 lg:grid-cols-6">
        {Object.entries(hidden).map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <Field id="f-model" label="Model">
          <input id="f-model" name="model" defaultValue={one(search.model)} className={inputClass} />
        </Field>
        <Field id="f-status" label="Status">
          <select id="f-status" name="status" defaultValue={one(search.status) ?? ''} className={inputClass}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="error">Error</option>
            <option value="aborted">Aborted</option>
          </select>
        </Field>
        <Field id="f-key" label="Key">
          {keyNames && keyNames.size > 0 ? (
            <select id="f-key" name="apiKeyId" defaultValue={one(search.apiKeyId) ?? ''} className={inputClass}>
              <option value="">Any</option>
              {[...keyNames].map(([id, name]) => (
                <option key={id} value={id}>{name}</option>
              ))}
            </select>
          ) : (
            <input id="f-key" name="apiKeyId" placeholder="key id" defaultValue={one(search.apiKeyId)} className={inputClass} />
          )}
        </Field>
        <Field id="f-from" label="From (UTC day)">
          <input id="f-from" type="date" name="from" defaultValue={one(search.from)} className={inputClass} />
        </Field>
        <Field id="f-to" label="To (UTC day)">
          <input id="f-to" type="date" name="to" defaultValue={one(search.to)} className={inputClass} />
        </Field>
        <div className="flex items-end gap-2">
          <button type="submit" className={primaryButtonClass}>Filter</button>
          <Link href={`${basePath}${Object.keys(hidden).length ? `?${new URLSearchParams(hidden)}` : ''}`} className={secondaryButtonClass}>
            Reset
          </Link>
        </div>
      </form>

      {data.selected ? <RequestDetail log={data.selected} keyName={keyName} closeHref={keep({ cursor: filters.cursor })} /> : null}
      {detail && data.selected === null ? (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Request {detail} was not found in this tenant&apos;s log (it may be older than the retention period).
        </p>
      ) : null}

      {data.page.items.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
          No requests match. Calls appear here a few seconds after they go through the gateway; widen the filters or reset them.
        </p>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white">
          <table className="min-w-full divide-y divide-zinc-200 text-sm">
            <caption className="sr-only">Requests, newest first</caption>
            <thead className="bg-zinc-50 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500">
              <tr>
                <th scope="col" className="px-3 py-2">Time</th>
                <th scope="col" className="px-3 py-2">Model</th>
                <th scope="col" className="px-3 py-2">Key</th>
                <th scope="col" className="px-3 py-2">Status</th>
                <th scope="col" className="px-3 py-2 text-right">Tokens in / out</th>
                <th scope="col" className="px-3 py-2 text-right">Latency</th>
                <th scope="col" className="px-3 py-2 text-right">Cost</th>
                <th scope="col" className="px-3 py-2"><span className="sr-only">Detail</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {data.page.items.map((log) => (
                <tr key={log.id} className={log.requestId === detail ? 'bg-indigo-50' : undefined}>
                  <td className="px-3 py-2 whitespace-nowrap text-zinc-600">{formatDate(log.createdAt)}</td>
                  <td className="px-3 py-2 font-mono text-zinc-900">{log.model}{log.stream ? <span className="ml-1 text-xs text-zinc-400">stream</span> : null}</td>
                  <td className="px-3 py-2 text-zinc-600">{keyName(log.apiKeyId)}</td>
                  <td className="px-3 py-2"><StatusBadge status={log.status} /> <span className="text-xs text-zinc-500">{log.httpStatus}</span></td>
                  <td className="px-3 py-2 text-right font-mono">{log.promptTokens} / {log.completionTokens}</td>
                  <td className="px-3 py-2 text-right font-mono">{log.latencyMs} ms</td>
                  <td className="px-3 py-2 text-right font-mono">${Number(log.costUsd).toFixed(6)}</td>
                  <td className="px-3 py-2 text-right">
                    <Link href={keep({ cursor: filters.cursor, detail: log.requestId })} className="text-indigo-600 hover:text-indigo-500" aria-label={`Details of request ${log.requestId}`}>
                      Details
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav aria-label="Pages of requests" className="flex justify-between border-t border-zinc-200 px-4 py-2 text-sm">
            {filters.cursor ? <Link href={keep({})} className="text-indigo-600">Newest</Link> : <span />}
            {data.page.nextCursor ? <Link href={keep({ cursor: data.page.nextCursor })} className="text-indigo-600">Older requests →</Link> : <span className="text-zinc-400">End of the log</span>}
          </nav>
        </div>
      )}
    </div>
  );
}

function Field({ id, label, children }: { id: string; label: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600">{label}</label>
      <div className="mt-1">{children}</div>
    </div>
  );
}

function RequestDetail({ log, keyName, closeHref }: { log: RequestLog; keyName: (id: string | null) => string; closeHref: string }) {
  const rows: [string, React.ReactNode][] = [
    ['Request id', <span key="id" className="font-mono text-xs">{log.requestId}</span>],
    ['Time', formatDate(log.createdAt)],
    ['Endpoint', log.endpoint],
    ['Model', log.model],
    ['Key', keyName(log.apiKeyId)],
    ['Provider / deployment', `${log.providerId ?? '—'} / ${log.deploymentId ?? '—'}`],
    ['Status', `${log.status} (HTTP ${log.httpStatus})`],
    ['Tokens', `${log.promptTokens} prompt (${log.cachedTokens} cached) · ${log.completionTokens} completion (${log.reasoningTokens} reasoning)`],
    ['Cost', `$${log.costUsd}`],
    ['Latency', `${log.latencyMs} ms${log.ttftMs !== null ? ` · first token ${log.ttftMs} ms` : ''}`],
    ['Attempts / fallbacks', `${log.attempts} / ${log.fallbacks}`],
    ['Cache', log.cacheHit ? 'hit' : 'miss'],
    ['Streamed', log.stream ? 'yes' : 'no'],
  ];
  if (log.errorCategory || log.errorMessage) rows.push(['Error', `${log.errorCategory ?? ''} ${log.errorCode ?? ''}: ${log.errorMessage ?? ''}`]);
  return (
    <section aria-labelledby="detail-title" className="rounded-xl border border-indigo-200 bg-white p-5 shadow-xs">
      <div className="flex items-center justify-between">
        <h2 id="detail-title" className="text-base font-semibold text-zinc-900">Request detail</h2>
        <Link href={closeHref} className="text-sm text-indigo-600">Close</Link>
      </div>
      <dl className="mt-3 grid gap-x-6 gap-y-1.5 text-sm sm:grid-cols-[max-content_1fr]">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-zinc-500">{k}</dt>
            <dd className="text-zinc-900">{v}</dd>
          </div>
        ))}
      </dl>
      {log.requestBody !== undefined || log.responseBody !== undefined ? (
        <div className="mt-4 grid gap-3 lg:grid-cols-2">
          <pre className="max-h-64 overflow-auto rounded-md bg-zinc-950 p-3 text-xs text-zinc-100" aria-label="Request body">{JSON.stringify(log.requestBody, null, 2)}</pre>
          <pre className="max-h-64 overflow-auto rounded-md bg-zinc-950 p-3 text-xs text-zinc-100" aria-label="Response body">{JSON.stringify(log.responseBody, null, 2)}</pre>
        </div>
      ) : (
        <p className="mt-3 text-xs text-zinc-500">Bodies are not logged for this tenant (a tenant setting).</p>
      )}
    </section>
  );
}
