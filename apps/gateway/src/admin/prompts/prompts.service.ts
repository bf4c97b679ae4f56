import { Injectable } from '@nestjs/common';
import {
  type createPromptInputSchema,
  type createPromptVersionInputSchema,
  GatewayError,
  type PromptOutput,
  type PromptVersionOutput,
  promptVariables,
  type updatePromptInputSchema,
} from '@conduit/contracts';
import { Ajv } from 'ajv';
import type { z } from 'zod';
import type { Actor, TenantScope } from '../../auth/access.guard.js';
import { AuditService } from '../../common/audit.service.js';
import { ConfigChangePublisher } from '../common/config-change.publisher.js';
import { PromptsRepository } from './prompts.repository.js';
import { toPrompt, toPromptVersion } from './prompts.output.js';

const invalid = (field: string, message: string) => new GatewayError('validation_failed', `Invalid request: ${field} ${message}`, { details: { fields: [{ field, message }] } });

/** Prompt templates of a tenant: versioned, one active version or an A/B split, served by /v1/prompts/{slug}/run. */
@Injectable()
export class PromptsService {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });

  constructor(
    private readonly repo: PromptsRepository,
    private readonly audit: AuditService,
    private readonly changes: ConfigChangePublisher,
  ) {}

  async list(scope: TenantScope): Promise<PromptOutput[]> {
    return (await this.repo.list(scope.tenantId)).map((t) => toPrompt(t));
  }

  async get(scope: TenantScope, slug: string): Promise<PromptOutput> {
    return toPrompt(await this.mustFind(scope, slug), true);
  }

  async create(scope: TenantScope, actor: Actor, input: z.output<typeof createPromptInputSchema>): Promise<PromptOutput> {
    if (input.version) this.checkVersion(input.version, 'version.');
    if (await this.repo.find(scope.tenantId, input.slug)) throw new GatewayError('conflict', `A prompt with the slug "${input.slug}" already exists in this tenant.`);
    const t = await this.repo.create({ tenantId: scope.tenantId, slug: input.slug, name: input.name, description: input.description });
    if (input.version) await this.repo.addVersion(t.id, this.versionData(input.version, actor), input.version.activate ?? true);
    const out = await this.get(scope, input.slug);
    await this.changes.publish({ kind: 'prompt', tenantId: scope.tenantId, slug: input.slug });
    await this.audit.change(actor, { action: 'prompt.create', tenantId: scope.tenantId, targetType: 'prompt', targetId: t.id, after: { ...out, versions: undefined } });
    return out;
  }

  async update(scope: TenantScope, actor: Actor, slug: string, input: z.output<typeof updatePromptInputSchema>): Promise<PromptOutput> {
    const before = await this.mustFind(scope, slug);
    const versions = new Set(before.versions.map((v) => v.version));
    if (input.activeVersion != null && !versions.has(input.activeVersion)) throw invalid('activeVersion', `is not a version of "${slug}"`);
    for (const s of input.abSplit ?? []) if (!versions.has(s.version)) throw invalid('abSplit', `names version ${s.version}, which "${slug}" does not have`);
    const after = await this.repo.update(before.id, input);
    await this.changes.publish({ kind: 'prompt', tenantId: scope.tenantId, slug });
    const out = toPrompt(after, true);
    await this.audit.change(actor, { action: 'prompt.update', tenantId: scope.tenantId, targetType: 'prompt', targetId: before.id, before: { ...toPrompt(before), versions: undefined }, after: { ...out, versions: undefined } });
    return out;
  }

  async addVersion(scope: TenantScope, actor: Actor, slug: string, input: z.output<typeof createPromptVersionInputSchema>): Promise<PromptVersionOutput> {
    const t = await this.mustFind(scope, slug);
    this.checkVersion(input, '');
    const v = await this.repo.addVersion(t.id, this.versionData(input, actor), input.activate ?? t.activeVersion === null);
    await this.changes.publish({ kind: 'prompt', tenantId: scope.tenantId, slug });
    const out = toPromptVersion(v);
    await this.audit.change(actor, { action: 'prompt.version.create', tenantId: scope.tenantId, targetType: 'prompt', targetId: t.id, after: { slug, version: out.version, model: out.model, activated: input.activate ?? t.activeVersion === null } });
    return out;
  }

  private versionData(input: z.output<typeof createPromptVersionInputSchema>, actor: Actor) {
    return {
      messages: input.messages,
      variables: promptVariables(input.messages),
      model: input.model,
      parameters: input.parameters as object,
      inputSchema: input.inputSchema as object,
      note: input.note,
      createdById: actor.user.id,
    };
  }

  /** The input schema must compile; parameters may not override what the template owns. */
  private checkVersion(input: z.output<typeof createPromptVersionInputSchema>, prefix: string) {
    try {
      this.ajv.compile(input.inputSchema);
    } catch (err) {
      throw invalid(`${prefix}inputSchema`, `is not a valid JSON Schema: ${(err as Error).message}`);
    }
    for (const k of ['model', 'messages', 'stream']) if (k in input.parameters) throw invalid(`${prefix}parameters`, `may not set "${k}" (the template owns it)`);
  }

  private async mustFind(scope: TenantScope, slug: string) {
    const t = await this.repo.find(scope.tenantId, slug);
    if (!t) throw new GatewayError('not_found', `No prompt "${slug}" in this tenant.`);
    return t;
  }
}
