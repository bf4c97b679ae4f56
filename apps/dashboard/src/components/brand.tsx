export function BrandMark({ className = 'size-8' }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" className={className}>
      <rect width="32" height="32" rx="8" className="fill-indigo-600" />
      <path
        d="M9 11h8a4 4 0 0 1 0 8h-2M23 21h-8a4 4 0 0 1 0-8h2"
        fill="none"
        stroke="white"
        strokeWidth="2.5"
        strokeLinecap="round"
      />
    </svg>
  );
}

export function Brand({ subtitle }: { subtitle?: string }) {
  return (
    <span className="flex items-center gap-2.5">
      <BrandMark />
      <span className="flex flex-col leading-tight">
        <span className="text-sm font-semibold tracking-tight text-zinc-900">Conduit</span>
        {subtitle ? <span className="text-xs text-zinc-500">{subtitle}</span> : null}
      </span>
    </span>
  );
}
