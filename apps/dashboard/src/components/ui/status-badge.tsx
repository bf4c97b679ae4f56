const TONES: Record<string, string> = {
  active: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  available: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  granted: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  approved: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  pending: 'bg-amber-50 text-amber-800 ring-amber-600/20',
  requires_approval: 'bg-zinc-50 text-zinc-700 ring-zinc-500/20',
  rejected: 'bg-red-50 text-red-700 ring-red-600/20',
  revoked: 'bg-red-50 text-red-700 ring-red-600/20',
  expired: 'bg-zinc-100 text-zinc-600 ring-zinc-500/20',
  suspended: 'bg-red-50 text-red-700 ring-red-600/20',
  disabled: 'bg-red-50 text-red-700 ring-red-600/20',
  success: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  error: 'bg-red-50 text-red-700 ring-red-600/20',
  aborted: 'bg-zinc-100 text-zinc-600 ring-zinc-500/20',
  cancelled: 'bg-zinc-100 text-zinc-600 ring-zinc-500/20',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[status] ?? TONES.expired}`}>
      {status.replace(/_/g, ' ')}
    </span>
  );
}

export function formatDate(value: string | null | undefined, empty = '—'): string {
  if (!value) return empty;
  return new Date(value).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
