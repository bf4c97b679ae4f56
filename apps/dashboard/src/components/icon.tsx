/** A small, dependency-free outline icon set (24×24, stroke). */
const paths = {
  overview: 'M4 5h7v7H4zM13 5h7v4h-7zM13 11h7v8h-7zM4 14h7v5H4z',
  tenants: 'M4 20V6l8-3v17M12 20V9l8 3v8M3 20h18M7 9h2M7 13h2M7 17h2M15 14h2M15 17h2',
  members:
    'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14.5a6.5 6.5 0 0 1 3.5 5.5',
  providers: 'M4 5h16v5H4zM4 14h16v5H4zM8 7.5h.01M8 16.5h.01M12 10v4',
  models: 'M12 3l8 4.5v9L12 21l-8-4.5v-9L12 3zM12 12l8-4.5M12 12v9M12 12L4 7.5',
  quotas: 'M4 16a8 8 0 1 1 16 0M12 16l4-5M3 20h18',
  approvals: 'M9 4h6v3H9zM7 5.5H5v15h14v-15h-2M9 13.5l2 2 4-4',
  requests: 'M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01',
  audit: 'M12 3l8 3v6c0 4.5-3.4 8.2-8 9-4.6-.8-8-4.5-8-9V6l8-3zM9 12l2 2 4-4',
  settings: 'M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1M15 4v4M9 10v4M17 16v4',
  keys: 'M8 19a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM10.8 12.2L20 3M16 7l3 3M18 5l2 2',
  usage: 'M5 20V11M11 20V5M17 20v-7M3 20h18',
  playground: 'M4 5h16v14H4zM8 10l2.5 2L8 14M13 14h3',
  signOut: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h11',
  quickstart: 'M8 8l-4 4 4 4M16 8l4 4-4 4M13.5 5l-3 14',
  prompts: 'M6 3h9l4 4v14H6zM15 3v4h4M9 11h2M13 11h3M9 15h7M9 19h4',
  chevron: 'M8 10l4 4 4-4',
  external: 'M14 4h6v6M20 4l-9 9M18 14v6H4V6h6',
  alert: 'M12 4l9 16H3L12 4zM12 10v4M12 17h.01',
  check: 'M5 12l5 5 9-10',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, className = 'size-5' }: { name: IconName; className?: string }) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.6}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      className={className}
    >
      <path d={paths[name]} />
    </svg>
  );
}
