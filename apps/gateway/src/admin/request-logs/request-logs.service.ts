import { Injectable } from '@nestjs/common';
import { GatewayError, type Page, type RequestLogOutput, type requestLogQuerySchema } from '@conduit/contracts';
import type { RequestLog } from '@conduit/db';
import type { z } from 'zod';
import type { TenantScope } from '../../auth/access.guard.js';
import { iso, obj } from '../common/output.js';
import { RequestLogsRepository } from './request-logs.repository.js';

function toLog(l: Omit<RequestLog, 'requestBody' | 'responseBody'> & Partial<Pick<RequestLog, 'requestBody' | 'responseBody'>>): RequestLogOutput {
  return {
    id: l.id.toString(),
    requestId: l.requestId,
    apiKeyId: l.apiKeyId,
    endpoint: l.endpoint,
    model: l.model,
    providerId: l.providerId,
    deploymentId: l.deploymentId,
    status: l.status,
    httpStatus: l.httpStatus,
    errorCategory: l.errorCategory,
    errorCode: l.errorCode,
    errorMessage: l.errorMessage,
    promptTokens: l.promptTokens,
    completionTokens: l.completionTokens,
    cachedTokens: l.cachedTokens,
    reasoningTokens: l.reasoningTokens,
    costUsd: l.costUsd.toString(),
    latencyMs: l.latencyMs,
    ttftMs: l.ttftMs,
    attempts: l.attempts,
    fallbacks: l.fallbacks,
    cacheHit: l.cacheHit,
    stream: l.stream,
    metadata: obj(l.metadata),
    createdAt: iso(l.createdAt),
    ...('requestBody' in l ? { requestBody: l.requestBody ?? null, responseBody: l.responseBody ?? null } : {}),
  };
}

@Injectable()
export class RequestLogsService {
  constructor(private readonly repo: RequestLogsRepository) {}

  async search(scope: TenantScope, q: z.output<typeof requestLogQuerySchema>): Promise<Page<RequestLogOutput>> {
    const rows = await this.repo.search(
      scope.tenantId,
      {
        ...(q.from || q.to ? { createdAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
        ...(q.apiKeyId ? { apiKeyId: q.apiKeyId } : {}),
        ...(q.model ? { model: q.model } : {}),
        ...(q.providerId ? { providerId: q.providerId } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.errorCategory ? { errorCategory: q.errorCategory } : {}),
        ...(q.cacheHit ? { cacheHit: q.cacheHit === 'true' } : {}),
        ...(q.requestId ? { requestId: q.requestId } : {}),
      },
      q.limit,
      q.cursor ? BigInt(q.cursor) : undefined,
    );
    const page = rows.slice(0, q.limit);
    return { items: page.map(toLog), nextCursor: rows.length > q.limit ? page[page.length - 1]!.id.toString() : null };
  }

  async get(scope: TenantScope, requestId: string): Promise<RequestLogOutput> {
    const l = await this.repo.find(scope.tenantId, requestId);
    if (!l) throw new GatewayError('not_found', 'No request with this id in this tenant.');
    return toLog(l);
  }
}
