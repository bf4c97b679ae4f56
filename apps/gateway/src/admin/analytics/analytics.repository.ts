import { Injectable } from '@nestjs/common';
import type { Prisma } from '@conduit/db';
import { PrismaService } from '../../infra/prisma.service.js';

export interface RollupFilter {
  tenantId?: string;
  apiKeyId?: string;
  model?: string;
  providerId?: string;
  from: Date;
  to: Date;
  granularity: 'hour' | 'day';
}

/** The most rollup rows one analytics answer reads. */
export const MAX_ROLLUP_ROWS = 200_000;

/**
 * Reads UsageRollup rows (written by the worker). Note: @conduit/db is getting
 * shared rollup queries (analytics.ts); this repository can move onto them once
 * they offer the per-key/model/tenant breakdowns the admin API needs.
 */
@Injectable()
export class AnalyticsRepository {
  constructor(private readonly prisma: PrismaService) {}

  rollups(f: RollupFilter) {
    const where: Prisma.UsageRollupWhereInput = {
      granularity: f.granularity,
      bucketStart: { gte: f.from, lt: f.to },
      ...(f.tenantId ? { tenantId: f.tenantId } : {}),
      ...(f.apiKeyId !== undefined ? { apiKeyId: f.apiKeyId } : {}),
      ...(f.model !== undefined ? { model: f.model } : {}),
      ...(f.providerId !== undefined ? { providerId: f.providerId } : {}),
    };
    return this.prisma.client.usageRollup.findMany({
      where,
      select: {
        bucketStart: true,
        tenantId: true,
        apiKeyId: true,
        model: true,
        providerId: true,
        requests: true,
        errors: true,
        cacheHits: true,
        promptTokens: true,
        completionTokens: true,
        costUsd: true,
        latencySumMs: true,
        latencyHistogram: true,
      },
      take: MAX_ROLLUP_ROWS,
    });
  }
}
