import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CONFIG_CHANGES_CHANNEL, type ConfigChange, configChangeSchema, GatewayError, type UsageEvent, usageEventsQueue } from '@conduit/contracts';
import { SecretBox } from '@conduit/db';
import { type AbortSignalLike, type ChatChunk, type ChatRequest, closePools, type Usage } from '@conduit/providers';
import { startSimulator, type SimulatorHandle } from '@conduit/providers/simulators';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import path from 'node:path';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config.js';
import { PrismaService } from '../infra/prisma.service.js';
import { RedisService } from '../infra/redis.service.js';
import { AccessCache, type KeyEntry, type TenantEntry } from './access-cache.js';
import { type CatalogueSnapshot, type DeploymentEntry, loadCatalogue, type ModelEntry, priceAt, visibleTo } from './catalogue.js';
import { type Admission, Limiter } from './limits/limiter.js';
import { type CacheDecision, cacheMode, ResponseCache } from './cache/response-cache.js';
import { CircuitBreakers } from './circuit-breaker.js';
import { type ExecutionTrace, Executor } from './executor.js';
import { type DataPlaneReply, type DataPlaneRequest, FrontDoor } from './front-door.js';
import { type RenderedError, renderError } from './openai-errors.js';
import { usageFigures, usdToNanoRounded } from './pricing.js';
import { write } from './http.js';
import { Router } from './router.js';
import { HealthChecker } from './health-checker.js';
import { DataPlaneMetrics } from './metrics.js';
import { UsageEmitter } from './usage-emitter.js';

/** An error as a surface sends it. */
export interface WireError {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' };

/** What the handlers know about a request while it runs; becomes its usage event. */
export interface RequestContext {
  requestId: string;
  endpoint: string;
  createdAt: Date;
  startedAt: number;
  key?: KeyEntry;
  tenant?: TenantEntry;
  model: string;
  stream: boolean;
  trace: ExecutionTrace;
  ttftMs: number | null;
  /** limits and quotas reserved for this request, settled with its usage event */
  admission?: Admission;
  /** goes to the usage event's `metadata` (guardrail decisions, prompt template and variant) */
  metadata?: Record<string, unknown>;
  /** tokens and cost already spent when an answer is refused after the call (output guardrail): recorded by `fail` */
  spent?: { promptTokens?: number; completionTokens?: number; cachedTokens?: number; reasoningTokens?: number; costUsd?: string };
}

/** The response cache's answer for a request: the stored answer, or whether to store this one. */
export interface CacheLookup<T> {
  hit?: T;
  decision: CacheDecision | null;
}

/** What a request may use at most, estimated before the call without tokenizing. */
export interface UsageBound {
  promptTokens: number;
  maxOutputTokens: number;
}

/**
 * The data plane's shared state: the catalogue snapshot, the key/tenant cache,
 * routing, execution and usage emission. Kept current over Redis pub/sub; never
 * queries PostgreSQL per request once a key has been seen.
 */
@Injectable()
export class DataPlane implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('DataPlane');
  catalogue: CatalogueSnapshot = { models: new Map(), loadedAt: 0 };
  readonly access: AccessCache;
  readonly breakers: CircuitBreakers;
  readonly router: Router;
  readonly executor: Executor;
  readonly metrics = new DataPlaneMetrics();
  readonly health: HealthChecker;
  readonly limiter: Limiter;
  readonly cache: ResponseCache;
  usage!: UsageEmitter;
  /** other data-plane caches (prompt templates) told of every config change; `null` = reconnected, anything may have changed */
  readonly configListeners = new Set<(change: ConfigChange | null) => void>();
  /** every origin some tenant allows: enough to answer a CORS preflight, which carries no key */
  private corsOrigins = new Set<string>();
  private queue!: Queue;
  private queueConnection: Redis | undefined;
  private subscriber!: Redis;
  private simulator: SimulatorHandle | undefined;
  private readonly secrets: SecretBox;
  private reloadTimer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private everConnected = false;

  constructor(
    @Inject(GATEWAY_CONFIG) readonly config: GatewayConfig,
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.secrets = new SecretBox(config.CONDUIT_ENCRYPTION_KEYS);
    this.access = new AccessCache(prisma.client, (what, err) => this.logger.warn(`${what} failed: ${(err as Error).message}`));
    this.breakers = new CircuitBreakers(
      { failureThreshold: config.CIRCUIT_FAILURE_THRESHOLD, openMs: config.CIRCUIT_OPEN_MS, maxOpenMs: Math.max(config.CIRCUIT_OPEN_MS, 120_000) },
      (id, state) => {
        this.metrics.circuitChanged(id, state);
        this.logger.log(`circuit of deployment ${id} is now ${state}`);
      },
    );
    this.router = new Router(this.breakers);
    this.limiter = new Limiter(
      redis.client,
      redis.prefix.replace(/:$/, ''),
      { rpm: config.GLOBAL_RPM ?? null, tpm: config.GLOBAL_TPM ?? null, concurrency: config.GLOBAL_CONCURRENCY ?? null },
      config.RESERVATION_TTL_MS,
      (message) => this.logger.warn(message),
    );
    this.cache = new ResponseCache(redis.client, redis.prefix.replace(/:$/, ''), config.CACHE_MAX_ENTRY_BYTES);
    this.health = new HealthChecker(() => this.catalogue, this.breakers, config.HEALTH_CHECK_INTERVAL_MS, (id, ok, detail) => {
      if (!ok) this.logger.warn(`health check of deployment ${id} failed: ${detail}`);
    });
    this.executor = new Executor(this.breakers, this.router.latency, (d, e) =>
      this.metrics.upstreamErrors.inc({ provider: d.providerSlug, category: e.category }),
    );
  }

  async onModuleInit() {
    const prefix = this.redis.prefix.replace(/:$/, '');
    const queueConnection = (this.queueConnection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 }));
    queueConnection.on('error', () => undefined); // the emitter reports what matters: batches that could not be sent
    this.queue = new Queue(usageEventsQueue.name, {
      connection: queueConnection,
      prefix: prefix ? `${prefix}:bull` : 'bull',
      defaultJobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { count: 1000 }, removeOnFail: false },
    });
    this.queue.on('error', () => undefined);
    this.usage = new UsageEmitter(this.queue, {
      maxBatch: this.config.USAGE_BATCH_SIZE,
      flushEveryMs: this.config.USAGE_FLUSH_MS,
      maxBuffered: this.config.USAGE_MAX_BUFFERED,
      spillDir: path.resolve(this.config.USAGE_SPILL_DIR),
      onError: (what, err) => this.logger.warn(`${what} failed: ${(err as Error).message}`),
    });
    await this.subscribe();
    await this.reloadCatalogue(true);
    this.flushTimer = setInterval(() => void this.access.flushLastUsed(), 5_000);
    this.flushTimer.unref();
    this.health.start();
  }

  async onApplicationShutdown() {
    this.health.stop();
    clearInterval(this.flushTimer);
    clearTimeout(this.reloadTimer);
    await this.limiter.close(); // settlements in the batch and unused allowances go back
    await this.access.flushLastUsed().catch(() => undefined);
    await this.usage?.close(); // what Redis did not take is on disk now
    // BullMQ waits for a connection to close gracefully: do not let a dead Redis hold the shutdown
    await Promise.race([this.queue?.close().catch(() => undefined), new Promise((r) => setTimeout(r, 2_000).unref())]);
    this.queueConnection?.disconnect();
    this.subscriber?.disconnect();
    await this.simulator?.close();
    await closePools();
  }

  fastify(): FastifyInstance {
    return this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
  }

  /** Where the data plane's routes go: `/v1/...`, answered ahead of Fastify (front-door.ts). */
  frontDoor(): FrontDoor {
    return FrontDoor.of(this.fastify().server);
  }

  // ───────────────────────────── configuration ─────────────────────────────

  private async subscribe() {
    this.subscriber = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null, connectTimeout: 2000, retryStrategy: (n) => Math.min(n * 200, 2000) });
    this.subscriber.on('error', () => undefined);
    const channel = this.redis.key(CONFIG_CHANGES_CHANNEL);
    this.subscriber.on('ready', () => {
      // After a reconnect, invalidations may have been missed while away.
      if (this.everConnected) {
        this.access.invalidateAll();
        this.scheduleCatalogueReload();
        for (const listener of this.configListeners) listener(null);
      }
      this.everConnected = true;
    });
    this.subscriber.on('message', (_channel, message) => {
      let change;
      try {
        change = configChangeSchema.parse(JSON.parse(message));
      } catch {
        this.logger.warn(`ignored a malformed config change: ${message.slice(0, 200)}`);
        return;
      }
      switch (change.kind) {
        case 'api_key':
          this.access.invalidateKey(change.keyId, change.keyHash);
          break;
        case 'tenant':
          this.access.invalidateTenant(change.tenantId);
          this.scheduleCatalogueReload(); // CORS origins may have changed
          break;
        case 'grant':
        case 'quota':
          this.access.invalidateTenant(change.tenantId);
          break;
        case 'catalogue':
          this.scheduleCatalogueReload();
          break;
      }
      for (const listener of this.configListeners) listener(change);
    });
    // ioredis subscribes again by itself after every reconnect; do not hold the boot
    // hostage to a Redis that is down (the gateway still serves what it can).
    const subscribed = this.subscriber.subscribe(channel).catch((err: unknown) => {
      this.logger.warn(`cannot subscribe to config changes (${(err as Error).message})`);
    });
    const waited = await Promise.race([subscribed.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 2_000).unref())]);
    if (!waited) this.logger.warn('Redis is not answering: config changes will apply once it is back');
  }

  private scheduleCatalogueReload() {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reloadCatalogue(false), 50);
  }

  /** Rebuilds the catalogue snapshot; on failure keeps serving the previous one and retries. */
  async reloadCatalogue(initial: boolean) {
    try {
      if (!this.simulator && (await this.prisma.client.provider.count({ where: { type: 'simulator', enabled: true } }))) {
        this.simulator = await startSimulator({ provider: 'openai', port: this.config.SIMULATOR_PORT, host: '127.0.0.1' });
        this.logger.log(`built-in simulator provider listening on ${this.simulator.baseUrl}`);
      }
      const withCors = await this.prisma.client.tenant.findMany({ where: { status: 'active' }, select: { settings: true } });
      this.corsOrigins = new Set(withCors.flatMap((t) => ((t.settings as { corsOrigins?: unknown })?.corsOrigins as string[] | undefined) ?? []));
      this.catalogue = await loadCatalogue(this.prisma.client, {
        secrets: this.secrets,
        simulatorBaseUrl: this.simulator?.baseUrl,
        onWarning: (message, details) => this.logger.warn(`${message} ${JSON.stringify(details)}`),
      });
    } catch (err) {
      this.logger.error(`catalogue ${initial ? 'load' : 'reload'} failed: ${(err as Error).message}; retrying in 2 s`);
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => void this.reloadCatalogue(initial), 2_000);
      this.reloadTimer.unref();
    }
  }

  // ───────────────────────────── per request ─────────────────────────────

  /** Lets a browser app read the answer when its origin is allowed (by the tenant, or by any tenant before auth). */
  allowOrigin(req: DataPlaneRequest, reply: DataPlaneReply, allowed: Iterable<string> = this.corsOrigins) {
    const origin = req.headers.origin;
    if (!origin) return;
    const list = allowed instanceof Set ? allowed : new Set(allowed);
    if (!list.has(origin) && !list.has('*')) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
    reply.header('access-control-expose-headers', 'x-request-id, x-conduit-provider, x-conduit-deployment, x-conduit-attempts, x-conduit-fallbacks, x-conduit-cost-usd, x-conduit-cache, x-conduit-guardrails, x-conduit-prompt-version, retry-after, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests, x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens');
  }

  /** Answers a CORS preflight without authentication or any other pipeline step. */
  preflight(req: DataPlaneRequest, reply: DataPlaneReply) {
    const origin = req.headers.origin;
    if (origin && (this.corsOrigins.has(origin) || this.corsOrigins.has('*'))) {
      reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'Origin');
      reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
      const asked = req.headers['access-control-request-headers'];
      reply.header('access-control-allow-headers', typeof asked === 'string' && asked ? asked : 'authorization, content-type, x-api-key, anthropic-version');
      reply.header('access-control-max-age', '600');
    }
    return reply.status(204).send();
  }

  /** Authenticates the caller's key: `Authorization: Bearer …` or `x-api-key`. */
  async authenticate(req: DataPlaneRequest, reply: DataPlaneReply, ctx: RequestContext): Promise<void> {
    const auth = req.headers.authorization;
    let secret: string | undefined;
    if (typeof auth === 'string' && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') secret = auth.slice(7).trim();
    else if (typeof req.headers['x-api-key'] === 'string') secret = req.headers['x-api-key'].trim();
    if (!secret) {
      throw new GatewayError('missing_api_key', 'No API key was sent. Send it as `Authorization: Bearer <key>` (or `x-api-key: <key>`).');
    }
    let found;
    try {
      const resolving = this.access.resolve(secret); // a cached key answers at once
      found = resolving instanceof Promise ? await resolving : resolving;
    } catch {
      throw new GatewayError('service_unavailable', 'The gateway cannot verify API keys right now (its database is unreachable); retry shortly.', {
        headers: { 'retry-after': '2' },
      });
    }
    if (!found) throw new GatewayError('invalid_api_key', 'The API key is not valid. Check it, or create a new one in the developer portal.');
    const { key, tenant } = found;
    if (key.status === 'revoked') throw new GatewayError('api_key_revoked', 'This API key was revoked. Create a new one in the developer portal.');
    if (key.status === 'pending') throw new GatewayError('api_key_pending_approval', 'This API key is waiting for an admin to approve it.');
    if (key.expiresAt !== null && key.expiresAt <= Date.now()) {
      throw new GatewayError('api_key_expired', `This API key expired at ${new Date(key.expiresAt).toISOString()}. Rotate it or create a new one.`);
    }
    if (tenant.status !== 'active') throw new GatewayError('tenant_suspended', `The tenant "${tenant.slug}" is suspended. Contact your platform admin.`);
    ctx.key = key;
    ctx.tenant = tenant;
    this.allowOrigin(req, reply, tenant.settings.corsOrigins);
    this.access.lastUsed.set(key.id, Date.now());
  }

  /** Whether this key may call this model at all (visibility, key restrictions, approvals). */
  mayUse(model: ModelEntry, key: KeyEntry, tenant: TenantEntry): 'ok' | 'hidden' | 'not_allowed' | 'needs_approval' {
    if (!visibleTo(model, tenant.id)) return 'hidden';
    if (key.allowedModels.size > 0 && !key.allowedModels.has(model.name)) return 'not_allowed';
    if (model.requiresApproval && !tenant.tenantGrants.has(model.id) && !tenant.keyGrants.get(key.id)?.has(model.id)) return 'needs_approval';
    return 'ok';
  }

  /**
   * Checks and reserves every rate limit, concurrency limit and quota of the request in
   * one Redis round trip; returns the candidates re-ordered for deployment capacity.
   * When Redis is unreachable the tenant's policy decides: serve (fail-open, the worker
   * reconciles counters from PostgreSQL later) or refuse with 503 (fail-closed).
   */
  async admit(ctx: RequestContext, reply: DataPlaneReply, model: ModelEntry, bound: UsageBound, candidates: DeploymentEntry[]): Promise<DeploymentEntry[]> {
    const maxOut = bound.maxOutputTokens > 0 ? bound.maxOutputTokens : 0;
    const price = priceAt(model, candidates[0], ctx.createdAt.getTime());
    const usd = price ? (bound.promptTokens * price.input + maxOut * price.output) / 1_000_000 : 0;
    const costNano = usdToNanoRounded(usd);
    const estimate = { promptTokens: bound.promptTokens, tokens: bound.promptTokens + maxOut, costNano };
    try {
      const { admission, candidates: ordered } = await this.limiter.admit(ctx.requestId, ctx.key!, ctx.tenant!, model, estimate, candidates);
      ctx.admission = admission;
      reply.headers(admission.headers);
      return ordered;
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      if (ctx.tenant!.settings.redisFailMode === 'closed') {
        throw new GatewayError('limits_unavailable', 'Rate limits and budgets cannot be checked right now (Redis is unreachable) and this tenant is set to refuse traffic then. Retry shortly.', {
          headers: { 'retry-after': '2' },
        });
      }
      this.logger.warn(`limits skipped (fail-open) for ${ctx.requestId}: ${(err as Error).message}`);
      return candidates;
    }
  }

  /**
   * Looks the request up in the tenant's response cache. Returns the stored answer
   * (and sets `x-conduit-cache: HIT`), or the decision to store this answer later
   * (MISS), or nothing when the request is not cacheable (BYPASS).
   */
  cacheLookup<T>(req: DataPlaneRequest, reply: DataPlaneReply, ctx: RequestContext, body: Record<string, unknown>): CacheLookup<T> | Promise<CacheLookup<T>> {
    const decision = this.cache.decide(ctx.tenant!, ctx.endpoint, ctx.model, body, cacheMode(req.headers['x-conduit-cache']), ctx.stream);
    if (!decision) {
      reply.header('x-conduit-cache', 'BYPASS');
      return { decision }; // not cacheable: no promise to wait for
    }
    return this.cacheRead<T>(reply, ctx, decision);
  }

  private async cacheRead<T>(reply: DataPlaneReply, ctx: RequestContext, decision: CacheDecision): Promise<CacheLookup<T>> {
    const hit = await this.cache.get<T>(decision);
    reply.header('x-conduit-cache', hit === undefined ? 'MISS' : 'HIT');
    if (hit !== undefined) this.emitUsage(ctx, { status: 'success', httpStatus: 200, cacheHit: true, costUsd: '0' });
    return { hit, decision };
  }

  /** The reservation size when a request does not set max_tokens. */
  maxOutput(model: ModelEntry, requested: number | null | undefined): number {
    return requested ?? model.maxOutputTokens ?? this.config.DEFAULT_MAX_OUTPUT_TOKENS;
  }

  /** Resolves the requested model for this key, or throws the error that tells the caller what to do. */
  resolveModel(name: string, ctx: RequestContext, kinds: ModelEntry['kind'][], endpoint: string): ModelEntry {
    const model = this.catalogue.models.get(name);
    const key = ctx.key!;
    const tenant = ctx.tenant!;
    const verdict = model ? this.mayUse(model, key, tenant) : 'hidden';
    if (!model || verdict === 'hidden') {
      throw new GatewayError('model_not_found', `The model \`${name}\` does not exist or you do not have access to it. GET /v1/models lists the models this key can use.`, {
        param: 'model',
      });
    }
    if (verdict === 'not_allowed') {
      throw new GatewayError('model_not_allowed', `This API key may not call \`${name}\`; it is limited to: ${[...key.allowedModels].join(', ')}.`, { param: 'model' });
    }
    if (verdict === 'needs_approval') {
      throw new GatewayError(
        'model_access_requires_approval',
        `The model \`${name}\` requires approval. Request access in the developer portal (or POST /admin/tenants/${tenant.slug}/access-requests); it works once an admin approves.`,
        { param: 'model' },
      );
    }
    if (!kinds.includes(model.kind)) {
      throw new GatewayError('validation_failed', `\`${name}\` is a${model.kind === 'embedding' ? 'n' : ''} ${model.kind} model: it cannot serve ${endpoint}.`, { param: 'model' });
    }
    return model;
  }

  newContext(req: DataPlaneRequest, endpoint: string): RequestContext {
    return {
      requestId: String(req.id),
      endpoint,
      createdAt: new Date(),
      startedAt: performance.now(),
      model: '',
      stream: false,
      trace: { attempts: 0, fallbacks: 0, deployment: null },
      ttftMs: null,
    };
  }

  /** The one usage event of a request. */
  emitUsage(ctx: RequestContext, outcome: {
    status: UsageEvent['status'];
    httpStatus: number;
    errorCategory?: string | null;
    errorCode?: string | null;
    errorMessage?: string | null;
    promptTokens?: number;
    completionTokens?: number;
    cachedTokens?: number;
    reasoningTokens?: number;
    costUsd?: string;
    cacheHit?: boolean;
  }) {
    // unauthenticated: no tenant to account it to; model listings are not model calls
    if (!ctx.tenant || ctx.endpoint.startsWith('/v1/models')) return;
    const d = ctx.trace.deployment;
    const latencyMs = Math.round(performance.now() - ctx.startedAt);
    this.record(ctx, outcome, latencyMs);
    if (ctx.admission) {
      this.limiter
        .settle(ctx.admission, { promptTokens: outcome.promptTokens ?? 0, completionTokens: outcome.completionTokens ?? 0, costUsd: outcome.costUsd ?? '0' })
        .catch((err: unknown) => this.logger.warn(`settling limits of ${ctx.requestId} failed: ${(err as Error).message}`));
    }
    this.usage.emit({
      requestId: ctx.requestId,
      tenantId: ctx.tenant.id,
      apiKeyId: ctx.key?.id ?? null,
      endpoint: ctx.endpoint,
      model: ctx.model,
      providerId: d?.providerId ?? null,
      deploymentId: d?.id ?? null,
      status: outcome.status,
      httpStatus: outcome.httpStatus,
      errorCategory: (outcome.errorCategory ?? null) as UsageEvent['errorCategory'],
      errorCode: outcome.errorCode ?? null,
      errorMessage: outcome.errorMessage?.slice(0, 1000) ?? null,
      promptTokens: outcome.promptTokens ?? 0,
      completionTokens: outcome.completionTokens ?? 0,
      cachedTokens: outcome.cachedTokens ?? 0,
      reasoningTokens: outcome.reasoningTokens ?? 0,
      costUsd: outcome.costUsd ?? '0',
      latencyMs,
      ttftMs: ctx.ttftMs,
      attempts: ctx.trace.attempts,
      fallbacks: ctx.trace.fallbacks,
      cacheHit: outcome.cacheHit ?? false,
      stream: ctx.stream,
      createdAt: ctx.createdAt.toISOString(),
      metadata: ctx.metadata ?? {},
    });
  }

  private record(ctx: RequestContext, o: Parameters<DataPlane['emitUsage']>[1], latencyMs: number) {
    this.metrics.record(ctx.endpoint, ctx.model, ctx.trace.deployment?.providerSlug ?? 'none', {
      status: o.status,
      latencySeconds: latencyMs / 1000,
      ttftSeconds: ctx.ttftMs !== null ? ctx.ttftMs / 1000 : null,
      promptTokens: o.promptTokens,
      completionTokens: o.completionTokens,
      cachedTokens: o.cachedTokens,
      reasoningTokens: o.reasoningTokens,
      cost: Number(o.costUsd ?? 0),
      cacheHit: o.cacheHit,
    });
  }

  /**
   * Answers an error and records it. The body is OpenAI's error shape unless the
   * surface passes its own (`/v1/messages` answers in Anthropic's).
   */
  fail(reply: DataPlaneReply, ctx: RequestContext, err: unknown, toWire: (r: RenderedError) => WireError = (r) => r) {
    const r = renderError(err);
    if (r.status >= 500 && r.category === 'gateway') reply.log.error({ err }, 'data plane error');
    this.emitUsage(ctx, {
      status: r.category === 'client_aborted' ? 'aborted' : 'error',
      httpStatus: r.status,
      errorCategory: r.category,
      errorCode: r.code,
      errorMessage: r.body.error.message,
      ...ctx.spent,
    });
    if (reply.sent || reply.raw.headersSent) return;
    if (!ctx.tenant) this.allowOrigin(reply.request, reply);
    this.traceHeaders(reply, ctx);
    const wire = toWire(r);
    void reply.status(wire.status).headers(wire.headers).send(wire.body);
  }

  /**
   * Pipes an open upstream stream to the client in the surface's event format,
   * with backpressure. It ends with the surface's end marker or — never a silent
   * cut — an explicit error event; a client that leaves aborts the upstream. One
   * usage event either way. Resolves true when the stream completed.
   */
  async pumpStream(
    reply: DataPlaneReply,
    ctx: RequestContext,
    model: ModelEntry,
    deployment: DeploymentEntry,
    stream: { it: AsyncIterator<ChatChunk>; first: IteratorResult<ChatChunk> },
    signal: AbortSignalLike,
    wire: { encode(chunk: ChatChunk): string | undefined; end(): string; usage(): Usage | null | undefined; error(err: unknown): string },
  ): Promise<boolean> {
    const raw = reply.raw;
    const { it, first } = stream;
    const figures = () => usageFigures(wire.usage(), model, deployment, ctx.createdAt.getTime());
    try {
      for (let next = first; !next.done; next = await it.next()) {
        const event = wire.encode(next.value);
        const pending = event === undefined ? undefined : write(reply, event);
        if (pending) await pending;
        if (raw.destroyed) break;
      }
      if (raw.destroyed || signal.aborted) throw new Error('client closed the connection');
      raw.end(wire.end());
      this.emitUsage(ctx, { status: 'success', httpStatus: 200, ...figures() });
      return true;
    } catch (err) {
      void it.return?.(undefined);
      this.endStreamWithError(reply, ctx, err, signal, wire, figures());
      return false;
    }
  }

  /**
   * Starts a chat stream on the first deployment that answers: fallback is allowed
   * until the first chunk has arrived, so the caller has not seen any of an answer.
   * `onOpen` runs when a deployment accepts the call (2xx), before its first chunk.
   */
  async openStream(ctx: RequestContext, model: ModelEntry, candidates: DeploymentEntry[], chat: ChatRequest, signal: AbortSignalLike, onOpen?: (d: DeploymentEntry) => void) {
    const { result, deployment } = await this.executor.run(model, candidates, signal, ctx.trace, async (d, adapter) => {
      const it = adapter
        .chatStream(
          { ...chat, model: d.upstreamModel },
          { signal, requestId: ctx.requestId, timeouts: { firstByteMs: d.timeoutMs, idleMs: d.timeoutMs }, onOpen: onOpen && (() => onOpen(d)) },
        )
        [Symbol.asyncIterator]();
      const first = await it.next();
      return { it, first };
    });
    ctx.ttftMs = Math.round(performance.now() - ctx.startedAt);
    return { ...result, deployment };
  }

  /**
   * `openStream` for a client: the event stream's headers go out as soon as a
   * deployment has accepted the call, so the client has its stream set up while the
   * model thinks (a client given the headers with the first token pays for both at
   * once, about half a millisecond of time to first token). Fallback still happens
   * until the first chunk, unseen by the client; the headers then name the deployment
   * that accepted first, the usage event the one that answered. When every deployment
   * fails: the error is thrown if nothing was sent yet (the caller answers it with
   * its status), or the stream is ended with the surface's error event, recorded, and
   * null returned.
   */
  async openEventStream(
    reply: DataPlaneReply,
    ctx: RequestContext,
    model: ModelEntry,
    candidates: DeploymentEntry[],
    chat: ChatRequest,
    signal: AbortSignalLike,
    wire: { error(err: unknown): string },
    extraHeaders: Record<string, string> = {},
  ): Promise<{ it: AsyncIterator<ChatChunk>; first: IteratorResult<ChatChunk>; deployment: DeploymentEntry } | null> {
    let opened;
    try {
      opened = await this.openStream(ctx, model, candidates, chat, signal, (d) => this.beginEventStream(reply, ctx, d, extraHeaders, true));
    } catch (err) {
      if (!reply.sent) throw err;
      this.endStreamWithError(reply, ctx, err, signal, wire);
      return null;
    }
    this.beginEventStream(reply, ctx, opened.deployment, extraHeaders); // when no deployment said it had opened
    return opened;
  }

  /** Ends a committed event stream that failed: the error event (unless the client left), and its one usage event. */
  private endStreamWithError(reply: DataPlaneReply, ctx: RequestContext, err: unknown, signal: AbortSignalLike, wire: { error(err: unknown): string }, spent: ReturnType<typeof usageFigures> | Record<string, never> = {}) {
    const raw = reply.raw;
    if (signal.aborted || raw.destroyed) {
      this.emitUsage(ctx, { status: 'aborted', httpStatus: 499, errorCategory: 'client_aborted', errorCode: 'client_closed_request', ...spent });
      return;
    }
    const r = renderError(err);
    this.emitUsage(ctx, { status: 'error', httpStatus: r.status, errorCategory: r.category, errorCode: r.code, errorMessage: r.body.error.message, ...spent });
    raw.end(wire.error(err));
  }

  /**
   * Commits a 200 event stream: the headers the reply already carries (request id,
   * CORS, rate limits) plus the trace; `flush` sends them at once rather than with
   * the first event. Once committed, later calls do nothing.
   */
  beginEventStream(reply: DataPlaneReply, ctx: RequestContext, deployment: DeploymentEntry | null, extra: Record<string, string> = {}, flush = false) {
    if (reply.sent) return;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) if (typeof v === 'string' || typeof v === 'number') headers[k] = String(v);
    Object.assign(headers, SSE_HEADERS, extra, {
      'x-request-id': ctx.requestId,
      'x-conduit-attempts': String(ctx.trace.attempts),
      'x-conduit-fallbacks': String(ctx.trace.fallbacks),
      ...(deployment ? { 'x-conduit-provider': deployment.providerSlug, 'x-conduit-deployment': deployment.id } : {}),
    });
    reply.hijack();
    reply.raw.writeHead(200, headers);
    if (flush) reply.raw.flushHeaders();
  }

  /**
   * Sends a non-streamed answer with its trace and cost headers, then records it: the
   * caller has the answer before the gateway's own bookkeeping (usage event, metrics,
   * limit settlement, response cache) runs.
   */
  answer(reply: DataPlaneReply, ctx: RequestContext, payload: unknown, figures: ReturnType<typeof usageFigures>, cacheDecision?: CacheDecision | null, cacheValue?: unknown) {
    this.traceHeaders(reply, ctx);
    reply.header('x-conduit-cost-usd', figures.costUsd).send(payload);
    this.emitUsage(ctx, { status: 'success', httpStatus: 200, ...figures });
    if (cacheDecision) void this.cache.set(ctx.tenant!, cacheDecision, cacheValue);
  }

  traceHeaders(reply: DataPlaneReply, ctx: RequestContext) {
    const d = ctx.trace.deployment;
    reply.header('x-conduit-attempts', String(ctx.trace.attempts));
    reply.header('x-conduit-fallbacks', String(ctx.trace.fallbacks));
    if (d) {
      reply.header('x-conduit-provider', d.providerSlug);
      reply.header('x-conduit-deployment', d.id);
    }
  }
}
