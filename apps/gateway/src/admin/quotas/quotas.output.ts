import type { QuotaOutput } from '@conduit/contracts';
import type { Quota } from '@conduit/db';
import { iso } from '../common/output.js';

export function toQuota(q: Quota): QuotaOutput {
  return {
    id: q.id,
    scope: q.scope,
    apiKeyId: q.apiKeyId,
    metric: q.metric,
    period: q.period,
    limit: q.limit.toString(),
    alertThresholds: q.alertThresholds,
    webhookUrl: q.webhookUrl,
    enabled: q.enabled,
    createdAt: iso(q.createdAt),
    updatedAt: iso(q.updatedAt),
  };
}
