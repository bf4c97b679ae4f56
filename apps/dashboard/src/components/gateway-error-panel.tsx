import { Icon } from './icon';

export function GatewayErrorPanel({ title, detail, requestId }: { title: string; detail: string; requestId?: string }) {
  return (
    <div role="alert" className="rounded-xl border border-amber-300 bg-amber-50 p-5">
      <div className="flex gap-3">
        <Icon name="alert" className="mt-0.5 size-5 shrink-0 text-amber-600" />
        <div className="min-w-0">
          <h2 className="text-sm font-semibold text-amber-900">{title}</h2>
          <p className="mt-1 text-sm break-words text-amber-800">{detail}</p>
          {requestId ? <p className="mt-2 font-mono text-xs text-amber-700">Request ID: {requestId}</p> : null}
        </div>
      </div>
    </div>
  );
}
