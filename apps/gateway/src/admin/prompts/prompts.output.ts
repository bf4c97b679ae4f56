import type { PromptOutput, PromptVersionOutput } from '@conduit/contracts';

interface VersionRow {
  version: number;
  messages: unknown;
  variables: string[];
  model: string;
  parameters: unknown;
  inputSchema: unknown;
  note: string;
  createdById: string | null;
  createdAt: Date;
}

interface TemplateRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  activeVersion: number | null;
  abSplit: unknown;
  archived: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function toPromptVersion(v: VersionRow): PromptVersionOutput {
  return {
    version: v.version,
    messages: v.messages as PromptVersionOutput['messages'],
    variables: v.variables,
    model: v.model,
    parameters: (v.parameters ?? {}) as Record<string, unknown>,
    inputSchema: (v.inputSchema ?? {}) as Record<string, unknown>,
    note: v.note,
    createdById: v.createdById,
    createdAt: v.createdAt.toISOString(),
  };
}

export function toPrompt(t: TemplateRow & { versions: { version: number }[] }, withVersions = false): PromptOutput {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    description: t.description,
    activeVersion: t.activeVersion,
    abSplit: Array.isArray(t.abSplit) ? (t.abSplit as PromptOutput['abSplit']) : [],
    archived: t.archived,
    latestVersion: t.versions[0]?.version ?? null,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    ...(withVersions ? { versions: (t.versions as VersionRow[]).map(toPromptVersion) } : {}),
  };
}
