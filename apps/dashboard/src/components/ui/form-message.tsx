/** The outcome of a form: an error (what happened, what to do) or a confirmation. */
export function FormMessage({ result }: { result: { status: string; message?: string; requestId?: string } }) {
  if (result.status === 'error') {
    return (
      <div role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
        {result.message}
        {result.requestId ? <span className="mt-1 block font-mono text-xs text-red-600">Request id: {result.requestId}</span> : null}
      </div>
    );
  }
  if (result.status === 'ok' && result.message) {
    return (
      <p role="status" className="mt-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
        {result.message}
      </p>
    );
  }
  return null;
}

export const inputClass =
  'block w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-2 focus:outline-indigo-500/30';
export const primaryButtonClass =
  'rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60';
export const secondaryButtonClass =
  'rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-sm font-medium text-zinc-700 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60';
export const dangerButtonClass =
  'rounded-md border border-red-300 bg-white px-2.5 py-1 text-sm font-medium text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-red-600 disabled:opacity-60';
