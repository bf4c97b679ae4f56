import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';
import { AppModule } from './app.module.js';
import { AdminExceptionFilter } from './common/admin-exception.filter.js';
import { genRequestId } from './common/request-id.js';
import type { GatewayConfig } from './config.js';
import { createLogger, NestPinoLogger } from './infra/logger.js';

export interface GatewayApp {
  app: NestFastifyApplication;
  logger: Logger;
}

/**
 * Builds the gateway exactly as production runs it (filters, docs, request ids,
 * shutdown hooks). main.ts and the end-to-end tests both call this.
 */
/**
 * A request's logger (`req.log`, `reply.log`) that makes its pino child, bound to the
 * request id, only when something is logged at a level the logger writes. Fastify
 * makes a child for every request, and pino's child (bindings serialised, redaction
 * applied) costs microseconds that a request logging nothing need not pay.
 */
export class LazyRequestLogger {
  private real: Logger | undefined;
  constructor(
    private readonly parent: Logger,
    private readonly childBindings: Bindings,
    private readonly childOptions: ChildLoggerOptions,
  ) {}

  private get logger(): Logger {
    return (this.real ??= this.parent.child(this.childBindings, this.childOptions));
  }

  private write(level: Level, args: unknown[]) {
    if (this.real === undefined && !this.parent.isLevelEnabled(level)) return;
    (this.logger[level] as (...a: unknown[]) => void)(...args);
  }

  get level(): string {
    return this.real?.level ?? this.parent.level;
  }
  set level(level: string) {
    this.logger.level = level;
  }
  fatal(...args: unknown[]) {
    this.write('fatal', args);
  }
  error(...args: unknown[]) {
    this.write('error', args);
  }
  warn(...args: unknown[]) {
    this.write('warn', args);
  }
  info(...args: unknown[]) {
    this.write('info', args);
  }
  debug(...args: unknown[]) {
    this.write('debug', args);
  }
  trace(...args: unknown[]) {
    this.write('trace', args);
  }
  silent() {}
  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.logger.child(bindings, options);
  }
  isLevelEnabled(level: string): boolean {
    return this.real?.isLevelEnabled(level) ?? this.parent.isLevelEnabled(level);
  }
  bindings(): Bindings {
    return this.logger.bindings();
  }
}

export async function createGateway(config: GatewayConfig, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<GatewayApp> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: genRequestId,
    // a route with its own log level or serializers gets pino's child at once
    childLoggerFactory: (parent: FastifyBaseLogger, bindings: Bindings, opts: ChildLoggerOptions): FastifyBaseLogger =>
      opts.level !== undefined || opts.serializers !== undefined ? parent.child(bindings, opts) : (new LazyRequestLogger(parent as Logger, bindings, opts) as unknown as FastifyBaseLogger),
    bodyLimit: 20 * 1024 * 1024,
    trustProxy: true,
  });
  // Every response says which request it answers.
  adapter.getInstance().addHook('onRequest', (req, reply, done) => {
    void reply.header('x-request-id', req.id);
    done();
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new NestPinoLogger(logger),
    abortOnError: false,
    // JSON bodies go to Fastify's own parser (secure-json-parse, proto and constructor
    // poisoning refused, the same limit): Nest's parser wraps it, buffers the body and
    // rebuilds it on every request. Form bodies still go through Nest's.
    bodyParser: false,
  });
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: adapter.getInstance().initialConfig.bodyLimit });
  app.useGlobalFilters(new AdminExceptionFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Conduit gateway')
      .setDescription('Control-plane API (/admin) and health endpoints of the Conduit AI gateway.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  await app.init();
  return { app, logger };
}
