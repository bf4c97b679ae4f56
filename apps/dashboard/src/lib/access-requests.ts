import type { AccessRequest } from "@/lib/admin-api/portal";

/** One line saying what an access request asks for. */
export function describeRequest(r: Pick<AccessRequest, 'type' | 'model' | 'requested'>): string {
  if (r.type === 'model_access') return `Access to ${r.model?.name ?? 'a model'}`;
  if (r.type === 'key_approval') return 'Approval of a new key';
  const q = r.requested as { metric?: string; period?: string; limit?: unknown };
  return `Quota: ${String(q.limit ?? '?')} ${q.metric ?? ''} per ${q.period ?? '?'}`;
}
