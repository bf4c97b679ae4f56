import { z } from 'zod';

export const quotaLimitSchema = z.union([
  z.number().positive(),
  z.string().regex(/^\d+(\.\d{1,6})?$/, 'a positive decimal with up to 6 places').refine((v) => Number(v) > 0, 'must be positive'),
]);

const quotaFields = {
  metric: z.enum(['requests', 'tokens', 'cost']),
  period: z.enum(['day', 'week', 'month']),
  /** requests, tokens, or USD for cost */
  limit: quotaLimitSchema,
  /** percentages at which an alert is raised once per period */
  alertThresholds: z.array(z.number().int().min(1).max(1000)).max(10),
  webhookUrl: z.string().url().max(2000).nullable(),
  enabled: z.boolean(),
};

export const createQuotaInputSchema = z
  .object({
    scope: z.enum(['tenant', 'key']),
    /** required when scope = key */
    apiKeyId: z.string().optional(),
    ...quotaFields,
  })
  .partial({ alertThresholds: true, webhookUrl: true, enabled: true })
  .strict()
  .refine((q) => (q.scope === 'key') === Boolean(q.apiKeyId), { message: 'is required for a key quota and not allowed for a tenant quota', path: ['apiKeyId'] });
export type CreateQuotaInput = z.input<typeof createQuotaInputSchema>;

export const updateQuotaInputSchema = z.object(quotaFields).partial().strict();
export type UpdateQuotaInput = z.input<typeof updateQuotaInputSchema>;

export interface QuotaOutput {
  id: string;
  scope: 'tenant' | 'key';
  apiKeyId: string | null;
  metric: 'requests' | 'tokens' | 'cost';
  period: 'day' | 'week' | 'month';
  /** decimal string */
  limit: string;
  alertThresholds: number[];
  webhookUrl: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** settled usage of the current period (USD for cost budgets), as the gateway enforces it */
  used?: string;
  /** when the current period ends and the quota resets */
  resetsAt?: string;
}

/** A threshold crossed by a quota or budget: raised once per period. */
export interface QuotaAlertOutput {
  id: string;
  quotaId: string;
  metric: 'requests' | 'tokens' | 'cost';
  period: 'day' | 'week' | 'month';
  apiKeyId: string | null;
  /** percent of the limit */
  threshold: number;
  /** usage when it was crossed (USD for cost) */
  value: string;
  limit: string;
  periodStart: string;
  /** when the webhook took it; null when there is no webhook or delivery is still being retried */
  deliveredAt: string | null;
  createdAt: string;
}
