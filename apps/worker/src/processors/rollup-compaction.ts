import type { PrismaClient } from '@conduit/db';

/**
 * Rollup compaction: hourly rollups older than `keepDays` are deleted in small
 * batches (daily rollups hold the same totals and are kept forever). With
 * `keepDays` = 0 nothing is deleted.
 */
export async function compactRollups(prisma: PrismaClient, keepDays: number, batchSize: number, now = new Date()): Promise<number> {
  if (keepDays <= 0) return 0;
  // cutoff on a whole UTC day, so a day's hourly rows go together
  const cutoff = new Date(Math.floor((now.getTime() - keepDays * 86_400_000) / 86_400_000) * 86_400_000);
  let deleted = 0;
  for (;;) {
    const n = await prisma.$executeRaw`
      DELETE FROM "UsageRollup" WHERE id IN (
        SELECT id FROM "UsageRollup"
        WHERE granularity = 'hour' AND "bucketStart" < ${cutoff.toISOString()}::timestamptz AT TIME ZONE 'UTC'
        LIMIT ${batchSize}
      )`;
    deleted += n;
    if (n < batchSize) break;
  }
  return deleted;
}
