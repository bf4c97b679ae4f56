/** Shown while a page's data loads from the gateway (route-level Suspense). */
export function PageLoading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse space-y-6">
      <span className="sr-only">Loading…</span>
      <div className="h-8 w-48 rounded bg-zinc-200" />
      <div className="h-4 w-96 max-w-full rounded bg-zinc-100" />
      <div className="h-40 rounded-xl bg-zinc-100" />
      <div className="h-64 rounded-xl bg-zinc-100" />
    </div>
  );
}
