import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { type AdminErrorBody, type ErrorCode, GatewayError } from '@conduit/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  503: 'service_unavailable',
};

/** Turns anything thrown under the control plane into `{ error: { code, message }, requestId }`. */
export function toAdminError(exception: unknown): { status: number; body: Omit<AdminErrorBody, 'requestId'>; headers?: Record<string, string> } {
  if (exception instanceof GatewayError) {
    return {
      status: exception.status,
      headers: exception.extra.headers,
      body: { error: { code: exception.code, message: exception.message, ...(exception.extra.details ? { details: exception.extra.details } : {}) } },
    };
  }
  const prismaCode = (exception as { code?: unknown })?.code;
  if (prismaCode === 'P2002') {
    return { status: 409, body: { error: { code: 'conflict', message: 'A record with the same unique value already exists.' } } };
  }
  if (prismaCode === 'P2025') {
    return { status: 404, body: { error: { code: 'not_found', message: 'The record does not exist.' } } };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    const message =
      typeof res === 'string' ? res : Array.isArray((res as { message?: unknown }).message) ? ((res as { message: string[] }).message).join('; ') : String((res as { message?: unknown }).message ?? exception.message);
    return { status, body: { error: { code: HTTP_CODES[status] ?? (status >= 500 ? 'internal_error' : 'validation_failed'), message } } };
  }
  // Fastify's own errors (bad JSON, body too large, wrong content type) carry a statusCode.
  const fastifyStatus = (exception as { statusCode?: unknown })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    return {
      status: fastifyStatus,
      body: { error: { code: HTTP_CODES[fastifyStatus] ?? 'validation_failed', message: (exception as Error).message } },
    };
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'Something went wrong on our side. The error was logged with this request id.' } } };
}

@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminAPI');

  catch(exception: unknown, host: ArgumentsHost) {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const { status, body, headers } = toAdminError(exception);
    if (status >= 500) {
      req.log?.error({ err: exception }, 'unhandled error');
      if (!req.log) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    if (headers) reply.headers(headers);
    void reply.status(status).send({ ...body, requestId: req.id });
  }
}
