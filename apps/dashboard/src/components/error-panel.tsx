'use client';

import { useEffect } from 'react';

/** Shown by the areas' error boundaries when rendering a page failed unexpectedly. */
export function ErrorPanel({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-6">
      <h1 className="text-base font-semibold text-red-900">This page could not be displayed</h1>
      <p className="mt-1 text-sm text-red-800">
        Something went wrong while loading it. Try again; if it keeps happening, check the dashboard&apos;s and the
        gateway&apos;s logs.
      </p>
      {error.digest ? <p className="mt-2 font-mono text-xs text-red-700">Error reference: {error.digest}</p> : null}
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-500"
      >
        Try again
      </button>
    </div>
  );
}
