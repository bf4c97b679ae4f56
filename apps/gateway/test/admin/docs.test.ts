import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support.js';
import { startAdminGateway } from './helpers.js';

let gw: TestGateway;
beforeAll(async () => {
  ({ gw } = await startAdminGateway());
});
afterAll(() => gw?.close());

interface Operation {
  summary?: string;
  responses: Record<string, unknown>;
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  parameters?: { name: string; in: string }[];
  security?: unknown[];
}

describe('OpenAPI document of the admin API', () => {
  it('describes every admin endpoint with a summary, its auth and its errors', async () => {
    const doc = (await (await fetch(`${gw.url}/docs/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const problems: string[] = [];
    let count = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/admin/') || path.startsWith('/admin/auth/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        count++;
        const name = `${method.toUpperCase()} ${path}`;
        if (!op.summary) problems.push(`${name}: no summary`);
        const statuses = Object.keys(op.responses);
        if (!statuses.some((s) => s.startsWith('2'))) problems.push(`${name}: no success response`);
        if (path !== '/admin/invitations/accept') {
          for (const s of ['401', '403']) if (!statuses.includes(s)) problems.push(`${name}: ${s} not documented`);
          if (!op.security) problems.push(`${name}: no bearer security`);
        }
        if (op.requestBody && !statuses.includes('400')) problems.push(`${name}: has a body but no 400`);
        for (const [, param] of path.matchAll(/\{(\w+)\}/g)) {
          if (!op.parameters?.some((p) => p.in === 'path' && p.name === param)) problems.push(`${name}: path parameter ${param} not documented`);
        }
        if (/\{(keyId|providerId|modelId|requestId|quotaId|grantId|userId|invitationId|credentialId|deploymentId|routeId|priceId)\}/.test(path) && !statuses.includes('404')) {
          problems.push(`${name}: addresses one record but documents no 404`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(65);
    const createKey = doc.paths['/admin/tenants/{tenantId}/api-keys']!.post!;
    expect(Object.keys(createKey.requestBody!.content['application/json']!.schema.properties!)).toEqual(
      expect.arrayContaining(['name', 'allowedModels', 'expiresAt', 'expiresInDays', 'limits']),
    );
    const logs = doc.paths['/admin/tenants/{tenantId}/request-logs']!.get!;
    expect(logs.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['tenantId', 'from', 'to', 'apiKeyId', 'model', 'status', 'cursor', 'limit']));
  });
});

describe('admin API errors', () => {
  it('answers 404 in the admin error shape for unknown records, and never leaks a stack', async () => {
    const { platform } = { platform: await (await import('./helpers.js')).signIn(gw, 'admin@test.local', 'admin-password-123') };
    const res = await platform.get('/admin/providers/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'No such provider.' }, requestId: expect.any(String) });
    const tenant = await platform.get('/admin/tenants/no-such-tenant');
    expect(tenant.status).toBe(404);
  });
});
