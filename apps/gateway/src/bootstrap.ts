import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyBaseLogger } from 'fastify';
import { createServer } from 'node:http';
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';
import { AppModule } from './app.module.js';
import { AdminExceptionFilter } from './common/admin-exception.filter.js';
import { genRequestId } from './common/request-id.js';
import type { GatewayConfig } from './config.js';
import { FrontDoor } from './data-plane/front-door.js';
import { createLogger, LazyRequestLogger, NestPinoLogger } from './infra/logger.js';

export interface GatewayApp {
  app: NestFastifyApplication;
  logger: Logger;
}

/**
 * Builds the gateway exactly as production runs it (filters, docs, request ids,
 * shutdown hooks). main.ts and the end-to-end tests both call this.
 */
export async function createGateway(config: GatewayConfig, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<GatewayApp> {
  const bodyLimit = 20 * 1024 * 1024;
  // `/v1/...` is answered by the data plane's own front door, ahead of Fastify and Nest
  // (see data-plane/front-door.ts); the data plane registers its routes on it.
  const frontDoor = new FrontDoor({ prefix: '/v1/', bodyLimit, logger });
  const adapter = new FastifyAdapter({
    serverFactory: frontDoor.serverFactory((listener) => createServer(listener)),
    loggerInstance: logger,
    genReqId: genRequestId,
    // a route with its own log level or serializers gets pino's child at once
    childLoggerFactory: (parent: FastifyBaseLogger, bindings: Bindings, opts: ChildLoggerOptions): FastifyBaseLogger =>
      opts.level !== undefined || opts.serializers !== undefined ? parent.child(bindings, opts) : (new LazyRequestLogger(parent as Logger, bindings, opts) as unknown as FastifyBaseLogger),
    bodyLimit,
    trustProxy: true,
  });
  adapter.getInstance().addHook('preClose', (done) => {
    frontDoor.closing = true;
    done();
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
