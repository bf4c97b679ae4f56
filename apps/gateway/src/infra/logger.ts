import type { LoggerService } from '@nestjs/common';
import pino, { type Bindings, type ChildLoggerOptions, type Level, type Logger } from 'pino';

export function createLogger(level: string, name = 'gateway'): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.password', '*.refreshToken'],
      censor: '[redacted]',
    },
  });
}

/** Nest's own messages (bootstrap, routes) as structured JSON through the same pino logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

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
