import { GatewayError, PROMPT_VARIABLE } from '@conduit/contracts';
import type { PrismaClient } from '@conduit/db';
import { Ajv, type ValidateFunction } from 'ajv';

export interface LoadedVersion {
  version: number;
  messages: { role: 'system' | 'developer' | 'user' | 'assistant'; content: string }[];
  variables: string[];
  model: string;
  parameters: Record<string, unknown>;
  /** the input schema, compiled once per loaded version */
  validate: ValidateFunction;
}

export interface LoadedPrompt {
  slug: string;
  activeVersion: number | null;
  abSplit: { version: number; weight: number }[];
  archived: boolean;
  versions: Map<number, LoadedVersion>;
}

interface Cached {
  value: LoadedPrompt | null;
  loadedAt: number;
}

const REFRESH_AFTER_MS = 60_000;
const NEGATIVE_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

/**
 * Prompt templates of every tenant, loaded on first use and kept in process
 * (input schemas compiled with ajv once per version), dropped on a `prompt`
 * config change and refreshed every minute. When PostgreSQL is unreachable the
 * last known template keeps serving.
 */
export class PromptStore {
  private readonly entries = new Map<string, Cached>();
  private readonly inflight = new Map<string, Promise<LoadedPrompt | null>>();
  private readonly ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false });

  constructor(private readonly prisma: PrismaClient) {}

  async get(tenantId: string, slug: string): Promise<LoadedPrompt | null> {
    const id = `${tenantId}\u0000${slug}`;
    const hit = this.entries.get(id);
    const age = hit ? Date.now() - hit.loadedAt : Infinity;
    if (hit && age < (hit.value ? REFRESH_AFTER_MS : NEGATIVE_TTL_MS)) return hit.value;
    let p = this.inflight.get(id);
    if (!p) {
      p = this.load(tenantId, slug)
        .then((value) => {
          if (this.entries.size >= MAX_ENTRIES && !this.entries.has(id)) this.entries.delete(this.entries.keys().next().value as string);
          this.entries.set(id, { value, loadedAt: Date.now() });
          return value;
        })
        .catch((err: unknown) => {
          if (hit?.value) return hit.value;
          throw err;
        })
        .finally(() => this.inflight.delete(id));
      this.inflight.set(id, p);
    }
    return p;
  }

  /** Drops a tenant's template (or all of the tenant's, or everything). */
  invalidate(tenantId?: string, slug?: string) {
    if (tenantId === undefined) return this.entries.clear();
    if (slug !== undefined) return void this.entries.delete(`${tenantId}\u0000${slug}`);
    for (const k of this.entries.keys()) if (k.startsWith(`${tenantId}\u0000`)) this.entries.delete(k);
  }

  private async load(tenantId: string, slug: string): Promise<LoadedPrompt | null> {
    const t = await this.prisma.promptTemplate.findUnique({ where: { tenantId_slug: { tenantId, slug } }, include: { versions: true } });
    if (!t) return null;
    const versions = new Map<number, LoadedVersion>();
    for (const v of t.versions) {
      let validate: ValidateFunction;
      try {
        validate = this.ajv.compile((v.inputSchema ?? {}) as object);
      } catch {
        validate = Object.assign(() => false, { errors: [{ message: 'the input schema of this version does not compile' }] }) as unknown as ValidateFunction;
      }
      versions.set(v.version, {
        version: v.version,
        messages: v.messages as LoadedVersion['messages'],
        variables: v.variables,
        model: v.model,
        parameters: (v.parameters ?? {}) as Record<string, unknown>,
        validate,
      });
    }
    return { slug: t.slug, activeVersion: t.activeVersion, abSplit: Array.isArray(t.abSplit) ? (t.abSplit as LoadedPrompt['abSplit']) : [], archived: t.archived, versions };
  }
}

/** The version a run uses: the pinned one, else one drawn from the A/B split, else the active one. */
export function pickVersion(p: LoadedPrompt, pinned: number | null = null, random: () => number = Math.random): { version: LoadedVersion; variant: 'pinned' | 'ab' | 'active' } {
  if (pinned !== null) {
    const v = p.versions.get(pinned);
    if (!v) throw new GatewayError('prompt_not_found', `The prompt "${p.slug}" has no version ${pinned}.`);
    return { version: v, variant: 'pinned' };
  }
  const split = p.abSplit.filter((s) => s.weight > 0 && p.versions.has(s.version));
  if (split.length) {
    const total = split.reduce((n, s) => n + s.weight, 0);
    let r = random() * total;
    for (const s of split) {
      r -= s.weight;
      if (r < 0) return { version: p.versions.get(s.version)!, variant: 'ab' };
    }
    return { version: p.versions.get(split[split.length - 1]!.version)!, variant: 'ab' };
  }
  const v = p.activeVersion === null ? undefined : p.versions.get(p.activeVersion);
  if (!v) throw new GatewayError('prompt_not_found', `The prompt "${p.slug}" has no active version yet; activate one in the console, or call /v1/prompts/${p.slug}/versions/{n}/run.`);
  return { version: v, variant: 'active' };
}

function lookup(input: Record<string, unknown>, path: string): unknown {
  let v: unknown = input;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Fills `{{variables}}` from the input (strings as they are, other values as JSON); a missing variable is the caller's error. */
export function renderMessages(version: LoadedVersion, input: Record<string, unknown>): LoadedVersion['messages'] {
  const missing = new Set<string>();
  const out = version.messages.map((m) => ({
    role: m.role,
    content: m.content.replace(PROMPT_VARIABLE, (_all, name: string) => {
      const v = lookup(input, name);
      if (v === undefined || v === null) {
        missing.add(name);
        return '';
      }
      return typeof v === 'string' ? v : JSON.stringify(v);
    }),
  }));
  if (missing.size) {
    throw new GatewayError('prompt_input_invalid', `The input lacks ${[...missing].map((n) => `"${n}"`).join(', ')}, which the prompt uses.`, { param: [...missing][0] });
  }
  return out;
}
