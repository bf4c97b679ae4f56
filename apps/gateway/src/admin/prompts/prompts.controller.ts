import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createPromptInputSchema, createPromptVersionInputSchema, updatePromptInputSchema } from '@conduit/contracts';
import { Access, type Actor, CurrentActor, Tenant, type TenantScope } from '../../auth/access.guard.js';
import { parseInput } from '../../common/validation.js';
import { Doc } from '../common/docs.js';
import { PromptsService } from './prompts.service.js';

@ApiTags('prompts')
@Controller('admin/tenants/:tenantId/prompts')
export class PromptsController {
  constructor(private readonly prompts: PromptsService) {}

  @Get()
  @Access('viewer')
  @Doc({ summary: "The tenant's prompt templates, with their active version, A/B split and latest version." })
  list(@Tenant() t: TenantScope) {
    return this.prompts.list(t);
  }

  @Post()
  @Access('developer')
  @Doc({ summary: 'Create a prompt template (optionally with its first version, which becomes active).', body: createPromptInputSchema, status: 201, errors: [409] })
  create(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Body() body: unknown) {
    return this.prompts.create(t, a, parseInput(createPromptInputSchema, body));
  }

  @Get(':slug')
  @Access('viewer')
  @Doc({ summary: 'A prompt template with every version, newest first.', errors: [404] })
  get(@Tenant() t: TenantScope, @Param('slug') slug: string) {
    return this.prompts.get(t, slug);
  }

  @Patch(':slug')
  @Access('developer')
  @Doc({ summary: 'Rename, describe or archive a template; set its active version or an A/B split between versions.', body: updatePromptInputSchema, errors: [404] })
  update(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('slug') slug: string, @Body() body: unknown) {
    return this.prompts.update(t, a, slug, parseInput(updatePromptInputSchema, body));
  }

  @Post(':slug/versions')
  @Access('developer')
  @Doc({ summary: 'Add a version (messages with {{variables}}, model, parameters, input JSON Schema); `activate` makes it the active one.', body: createPromptVersionInputSchema, status: 201, errors: [404] })
  addVersion(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('slug') slug: string, @Body() body: unknown) {
    return this.prompts.addVersion(t, a, slug, parseInput(createPromptVersionInputSchema, body));
  }
}
