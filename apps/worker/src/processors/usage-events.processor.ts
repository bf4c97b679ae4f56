import { type QueuePayload, usageEventsQueue } from '@conduit/contracts';
import type { PrismaClient } from '@conduit/db';

/**
 * Writes one request-log row per usage event. The request id is unique, so a
 * replayed or duplicated event is skipped, never counted twice.
 */
export async function processUsageEvents(prisma: PrismaClient, data: unknown): Promise<{ received: number; inserted: number }> {
  const { events } = usageEventsQueue.parse(data) as QueuePayload<'usage-events'>;
  const { count } = await prisma.requestLog.createMany({
    skipDuplicates: true,
    data: events.map((e) => ({
      requestId: e.requestId,
      tenantId: e.tenantId,
      apiKeyId: e.apiKeyId,
      endpoint: e.endpoint,
      model: e.model,
      providerId: e.providerId,
      deploymentId: e.deploymentId,
      status: e.status,
      httpStatus: e.httpStatus,
      errorCategory: e.errorCategory,
      errorCode: e.errorCode,
      errorMessage: e.errorMessage,
      promptTokens: e.promptTokens,
      completionTokens: e.completionTokens,
      cachedTokens: e.cachedTokens,
      reasoningTokens: e.reasoningTokens,
      costUsd: e.costUsd,
      latencyMs: e.latencyMs,
      ttftMs: e.ttftMs,
      attempts: e.attempts,
      fallbacks: e.fallbacks,
      cacheHit: e.cacheHit,
      stream: e.stream,
      requestBody: e.requestBody === undefined ? undefined : (e.requestBody as object),
      responseBody: e.responseBody === undefined ? undefined : (e.responseBody as object),
      metadata: e.metadata as object,
      createdAt: new Date(e.createdAt),
    })),
  });
  return { received: events.length, inserted: count };
}
