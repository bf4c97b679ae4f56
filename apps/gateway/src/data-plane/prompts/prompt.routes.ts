import { Injectable, type OnModuleInit } from '@nestjs/common';
import { GatewayError } from '@conduit/contracts';
import type { DataPlaneReply, DataPlaneRequest } from '../front-door.js';
import { PrismaService } from '../../infra/prisma.service.js';
import { DataPlaneRoutes } from '../data-plane.routes.js';
import { DataPlane } from '../data-plane.service.js';
import { validateChat } from '../validate.js';
import { pickVersion, PromptStore, renderMessages } from './prompt-store.js';

/**
 * Published prompts: `POST /v1/prompts/{slug}/run` (the active version, or one
 * drawn from the A/B split) and `POST /v1/prompts/{slug}/versions/{n}/run`. The
 * body is the prompt's input, validated against the version's JSON Schema; the
 * rendered messages then run the chat pipeline (guardrails, limits, cache,
 * routing, usage with `metadata.prompt`). `?stream=true` (or
 * `Accept: text/event-stream`) streams the answer as chat completion chunks.
 */
@Injectable()
export class PromptRoutes implements OnModuleInit {
  readonly store: PromptStore;

  constructor(
    private readonly dp: DataPlane,
    private readonly chat: DataPlaneRoutes,
    prisma: PrismaService,
  ) {
    this.store = new PromptStore(prisma.client);
  }

  onModuleInit() {
    this.dp.configListeners.add((change) => {
      if (change === null) this.store.invalidate();
      else if (change.kind === 'prompt') this.store.invalidate(change.tenantId, change.slug);
    });
    const onError = (err: unknown, req: DataPlaneRequest, reply: DataPlaneReply) => this.dp.fail(reply, this.dp.newContext(req, '/v1/prompts/{slug}/run'), err);
    this.dp
      .frontDoor()
      .route(['POST'], '/v1/prompts/:slug/run', (req, reply) => this.run(req, reply, null), onError)
      .route(['POST'], '/v1/prompts/:slug/versions/:version/run', (req, reply) => this.run(req, reply, req.params['version']!), onError);
  }

  private async run(req: DataPlaneRequest, reply: DataPlaneReply, pinned: string | null) {
    const slug = req.params['slug']!;
    // a fixed endpoint name (metrics labels stay bounded); the slug goes to metadata.prompt
    const ctx = this.dp.newContext(req, pinned === null ? '/v1/prompts/{slug}/run' : '/v1/prompts/{slug}/versions/{n}/run');
    (ctx.metadata ??= {})['prompt'] = { slug };
    try {
      await this.dp.authenticate(req, reply, ctx);
      let version: number | null = null;
      if (pinned !== null) {
        version = /^[1-9]\d{0,8}$/.test(pinned) ? Number(pinned) : NaN;
        if (Number.isNaN(version)) throw new GatewayError('validation_failed', `"${pinned}" is not a version number.`, { param: 'version' });
      }
      const input = req.body ?? {};
      if (typeof input !== 'object' || Array.isArray(input)) throw new GatewayError('prompt_input_invalid', 'The request body must be a JSON object: the prompt\'s input.', { param: 'body' });
      const prompt = await this.store.get(ctx.tenant!.id, slug).catch(() => {
        throw new GatewayError('service_unavailable', 'Prompt templates cannot be loaded right now (the database is unreachable); retry shortly.', { headers: { 'retry-after': '2' } });
      });
      if (!prompt || prompt.archived) throw new GatewayError('prompt_not_found', `No published prompt "${slug}" in this tenant.`, { param: 'slug' });
      const picked = pickVersion(prompt, version);
      (ctx.metadata ??= {})['prompt'] = { slug, version: picked.version.version, variant: picked.variant };
      reply.header('x-conduit-prompt-version', String(picked.version.version));
      const v = picked.version;
      if (!v.validate(input)) {
        const errors = (v.validate.errors ?? []).map((e) => `${e.instancePath || '(input)'} ${e.message ?? 'is invalid'}`);
        throw new GatewayError('prompt_input_invalid', `The input does not match the prompt's schema: ${errors.join('; ')}.`, {
          param: (v.validate.errors?.[0]?.instancePath || '').replace(/^\//, '') || null,
          details: v.validate.errors,
        });
      }
      const query = req.query;
      const stream = query['stream'] === 'true' || query['stream'] === '1' || (req.headers.accept ?? '').includes('text/event-stream');
      const body = validateChat({ ...v.parameters, model: v.model, messages: renderMessages(v, input as Record<string, unknown>), stream });
      await this.chat.runChat(req, reply, ctx, body);
    } catch (err) {
      this.dp.fail(reply, ctx, err);
    }
  }
}
