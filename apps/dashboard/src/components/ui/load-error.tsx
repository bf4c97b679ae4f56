import { describeGatewayError } from '@/lib/session';

/** A page's data could not be loaded: what happened, and what to do. */
export function LoadError({ what, error }: { what: string; error: unknown }) {
  const described = describeGatewayError(error);
  return (
    <div role="alert" className="mt-6 rounded-xl border border-red-200 bg-red-50 p-5">
      <h2 className="text-sm font-semibold text-red-900">Could not load {what}</h2>
      <p className="mt-1 text-sm text-red-800">
        {described.title}: {described.detail} Reload the page to try again.
      </p>
      {described.requestId ? <p className="mt-1 font-mono text-xs text-red-700">Request id: {described.requestId}</p> : null}
    </div>
  );
}
