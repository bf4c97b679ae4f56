import type { IconName } from '@/components/icon';

/**
 * Every section of the console and the portal: the sidebar and the pages are
 * both built from this list, so a link never points at a page that does not
 * exist. `planned` is what a section not built yet will do (empty once built).
 */
export interface Section {
  /** Path below the area root ('' is the area's overview). */
  segment: string;
  label: string;
  icon: IconName;
  description: string;
  planned: readonly string[];
}

export interface SectionGroup {
  label?: string;
  sections: readonly Section[];
}

export const adminSections = {
  overview: {
    segment: '',
    label: 'Overview',
    icon: 'overview',
    description: 'Traffic, tokens, cost, latency and errors across the platform, the top tenants, models and keys, and the health of the gateway.',
    planned: [],
  },
  tenants: {
    segment: 'tenants',
    label: 'Tenants',
    icon: 'tenants',
    description: 'The organisations that use this gateway. Every key, route, budget and log belongs to one tenant.',
    planned: [],
  },
  members: {
    segment: 'members',
    label: 'Members',
    icon: 'members',
    description: 'People who can sign in, and their roles in each tenant.',
    planned: [],
  },
  providers: {
    segment: 'providers',
    label: 'Providers',
    icon: 'providers',
    description: 'Upstream model providers and the credentials Conduit uses to call them.',
    planned: [],
  },
  models: {
    segment: 'models',
    label: 'Models & routes',
    icon: 'models',
    description: 'The model catalogue applications can call, and how each model is routed to deployments.',
    planned: [],
  },
  quotas: {
    segment: 'quotas',
    label: 'Quotas & budgets',
    icon: 'quotas',
    description: 'Limits that keep spend and traffic in bounds.',
    planned: [],
  },
  approvals: {
    segment: 'approvals',
    label: 'Approvals',
    icon: 'approvals',
    description: 'Requests from developers for approval-required models, quota increases and new keys, across every tenant.',
    planned: [],
  },
  requests: {
    segment: 'requests',
    label: 'Request logs',
    icon: 'requests',
    description: 'Every call through the gateway: who made it, which model and provider served it, tokens, latency and cost.',
    planned: [],
  },
  audit: {
    segment: 'audit',
    label: 'Audit log',
    icon: 'audit',
    description: 'Every administrative action, who performed it, and when.',
    planned: [],
  },
  settings: {
    segment: 'settings',
    label: 'Settings',
    icon: 'settings',
    description: 'Each tenant’s cache, log retention, guardrails and access policy, and platform-wide defaults.',
    planned: [],
  },
} as const satisfies Record<string, Section>;

export const adminNavigation: readonly SectionGroup[] = [
  { sections: [adminSections.overview] },
  { label: 'Organisation', sections: [adminSections.tenants, adminSections.members] },
  {
    label: 'Gateway',
    sections: [adminSections.providers, adminSections.models, adminSections.quotas, adminSections.approvals],
  },
  { label: 'Observability', sections: [adminSections.requests, adminSections.audit] },
  { label: 'Platform', sections: [adminSections.settings] },
];

export const portalSections = {
  overview: {
    segment: '',
    label: 'Overview',
    icon: 'overview',
    description: 'Your membership in this tenant, and what the portal will let you do.',
    planned: [],
  },
  keys: {
    segment: 'keys',
    label: 'Keys',
    icon: 'keys',
    description: 'API keys your applications use to call the gateway on behalf of this tenant.',
    planned: [],
  },
  models: {
    segment: 'models',
    label: 'Models',
    icon: 'models',
    description: 'The models this tenant can call, access you can request, and quota increases — with the status of your requests.',
    planned: [],
  },
  usage: {
    segment: 'usage',
    label: 'Usage',
    icon: 'usage',
    description: 'Tokens, requests and cost for this tenant over time.',
    planned: [],
  },
  quickstart: {
    segment: 'quickstart',
    label: 'Quickstart',
    icon: 'quickstart',
    description: 'Call this gateway from your code: ready-to-copy snippets for curl, the OpenAI SDK and the Anthropic SDK.',
    planned: [],
  },
  prompts: {
    segment: 'prompts',
    label: 'Prompts',
    icon: 'prompts',
    description: 'Versioned prompt templates with {{variables}}: your applications run them by slug, and you choose which version is live.',
    planned: [],
  },
  playground: {
    segment: 'playground',
    label: 'Playground',
    icon: 'playground',
    description: 'Try requests against the models available to this tenant, straight from the browser.',
    planned: [],
  },
  requests: {
    segment: 'requests',
    label: 'Requests',
    icon: 'requests',
    description: 'Recent calls made with this tenant’s keys.',
    planned: [],
  },
} as const satisfies Record<string, Section>;

export const portalNavigation: readonly SectionGroup[] = [
  {
    sections: [
      portalSections.overview,
      portalSections.keys,
      portalSections.models,
      portalSections.usage,
      portalSections.quickstart,
      portalSections.prompts,
      portalSections.playground,
      portalSections.requests,
    ],
  },
];
