import { alertsQueue } from '@conduit/contracts';
import type { PrismaClient } from '@conduit/db';

/** Posts a budget alert to the tenant's webhook; a failure throws so BullMQ retries with backoff. */
export async function deliverAlert(prisma: PrismaClient, data: unknown): Promise<void> {
  const job = alertsQueue.parse(data);
  const res = await fetch(job.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'conduit-alerts/0.1' },
    body: JSON.stringify(job.payload),
    signal: AbortSignal.timeout(10_000),
    redirect: 'error',
  });
  if (!res.ok) throw new Error(`webhook answered HTTP ${res.status}`);
  await prisma.budgetAlert.updateMany({ where: { id: job.alertId, tenantId: job.tenantId }, data: { deliveredAt: new Date() } });
}
