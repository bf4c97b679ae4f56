import type { PrismaClient } from '@conduit/db';

const DEFAULT_RETENTION_DAYS = 90;

/**
 * Deletes request logs older than each tenant's retention, in small batches so no
 * statement holds locks for long. Rollups are kept.
 */
export async function purgeExpiredLogs(prisma: PrismaClient, batchSize: number, now = new Date()): Promise<number> {
  const tenants = await prisma.tenant.findMany({ select: { id: true, settings: true } });
  let deleted = 0;
  for (const t of tenants) {
    const days = Number((t.settings as { retentionDays?: unknown } | null)?.retentionDays) || DEFAULT_RETENTION_DAYS;
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    for (;;) {
      const n = await prisma.$executeRaw`
        DELETE FROM "RequestLog" WHERE id IN (
          SELECT id FROM "RequestLog" WHERE "tenantId" = ${t.id} AND "createdAt" < ${cutoff} LIMIT ${batchSize}
        )`;
      deleted += n;
      if (n < batchSize) break;
    }
  }
  return deleted;
}
