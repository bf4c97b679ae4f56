import 'server-only';
import { z } from 'zod';
import { adminRequest } from './client';

// Shapes: @conduit/contracts admin/catalogue.ts.
export const STRATEGIES = ['priority', 'weighted', 'round_robin', 'least_latency', 'lowest_cost'] as const;

const deploymentSchema = z.object({
  id: z.string(),
  providerId: z.string(),
  providerSlug: z.string(),
  upstreamModel: z.string(),
  weight: z.number(),
  priority: z.number(),
  timeoutMs: z.number(),
  enabled: z.boolean(),
  maxRpm: z.number().nullable(),
  maxTpm: z.number().nullable(),
});
const routeSchema = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number(),
  condition: z.record(z.string(), z.unknown()),
  deploymentIds: z.array(z.string()),
  strategy: z.string().nullable(),
  enabled: z.boolean(),
});
const priceSchema = z.object({
  id: z.string(),
  deploymentId: z.string().nullable(),
  inputPerMTokUsd: z.string(),
  outputPerMTokUsd: z.string(),
  cachedInputPerMTokUsd: z.string(),
  effectiveFrom: z.string(),
});
export const modelSchema = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string(),
  kind: z.string(),
  routingStrategy: z.enum(STRATEGIES),
  requiresApproval: z.boolean(),
  approvalPolicy: z.string(),
  visibility: z.string(),
  contextWindow: z.number().nullable(),
  maxRetries: z.number(),
  fallbackOn: z.array(z.string()),
  enabled: z.boolean(),
  tenantIds: z.array(z.string()).optional(),
  deployments: z.array(deploymentSchema).optional(),
  routeRules: z.array(routeSchema).optional(),
  prices: z.array(priceSchema).optional(),
});
export type CatalogueModel = z.infer<typeof modelSchema>;

const m = (id: string) => `/admin/models/${encodeURIComponent(id)}`;

export const listModels = (token: string) => adminRequest({ path: '/admin/models', accessToken: token, schema: z.array(modelSchema) });
export const getModel = (token: string, id: string) => adminRequest({ path: m(id), accessToken: token, schema: modelSchema });
export const createModel = (token: string, body: { name: string; displayName: string; kind: 'chat' | 'completion' | 'embedding'; requiresApproval: boolean; routingStrategy: (typeof STRATEGIES)[number] }) =>
  adminRequest({ method: 'POST', path: '/admin/models', body, accessToken: token, schema: modelSchema });
export const updateModel = (token: string, id: string, body: Record<string, unknown>) =>
  adminRequest({ method: 'PATCH', path: m(id), body, accessToken: token, schema: z.unknown() });
export const addDeployment = (token: string, id: string, body: { providerId: string; upstreamModel: string; weight: number; priority: number }) =>
  adminRequest({ method: 'POST', path: `${m(id)}/deployments`, body, accessToken: token, schema: z.unknown() });
export const updateDeployment = (token: string, id: string, deploymentId: string, body: { enabled: boolean }) =>
  adminRequest({ method: 'PATCH', path: `${m(id)}/deployments/${encodeURIComponent(deploymentId)}`, body, accessToken: token, schema: z.unknown() });
export const addPrice = (token: string, id: string, body: { inputPerMTokUsd: string; outputPerMTokUsd: string; cachedInputPerMTokUsd: string }) =>
  adminRequest({ method: 'POST', path: `${m(id)}/prices`, body, accessToken: token, schema: z.unknown() });

export type RouteCondition = { type: 'header' | 'tag'; key: string; equals: string } | { type: 'prompt_pattern'; pattern: string };
export const addRouteRule = (
  token: string,
  id: string,
  body: { name: string; position?: number; condition: RouteCondition; deploymentIds: string[]; strategy?: (typeof STRATEGIES)[number] | null; enabled?: boolean },
) => adminRequest({ method: 'POST', path: `${m(id)}/routes`, body, accessToken: token, schema: routeSchema });
export const updateRouteRule = (token: string, id: string, routeId: string, body: { enabled?: boolean }) =>
  adminRequest({ method: 'PATCH', path: `${m(id)}/routes/${encodeURIComponent(routeId)}`, body, accessToken: token, schema: z.unknown() });
export const deleteRouteRule = (token: string, id: string, routeId: string) =>
  adminRequest({ method: 'DELETE', path: `${m(id)}/routes/${encodeURIComponent(routeId)}`, accessToken: token, schema: z.unknown() });
