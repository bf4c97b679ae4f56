import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support.js';
import { type Caller, startAdminGateway, tenantWithMembers } from './helpers.js';

let gw: TestGateway;
let platform: Caller;
let T: Awaited<ReturnType<typeof tenantWithMembers>>;
const hour = (h: number) => new Date(Date.UTC(2026, 0, 5, h));

beforeAll(async () => {
  ({ gw, platform } = await startAdminGateway());
  T = await tenantWithMembers(gw, platform, 'usage');
  // 25 requests: 20 demo-chat successes, 5 demo-embedding with 2 errors
  const rows = Array.from({ length: 25 }, (_, i) => ({
    requestId: `req_usage_${String(i).padStart(2, '0')}`,
    tenantId: T.id,
    endpoint: i < 20 ? '/v1/chat/completions' : '/v1/embeddings',
    model: i < 20 ? 'demo-chat' : 'demo-embedding',
    status: (i >= 23 ? 'error' : 'success') as 'error' | 'success',
    httpStatus: i >= 23 ? 429 : 200,
    errorCategory: i >= 23 ? 'rate_limit' : null,
    latencyMs: 100 + i,
    cacheHit: i % 5 === 0,
    createdAt: new Date(Date.UTC(2026, 0, 5, 10, i)),
  }));
  await gw.prisma.requestLog.createMany({ data: rows });
  const base = { tenantId: T.id, granularity: 'hour' as const, apiKeyId: 'key1', providerId: 'prov1' };
  // LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, ...]
  await gw.prisma.usageRollup.createMany({
    data: [
      { ...base, bucketStart: hour(10), model: 'demo-chat', requests: 90, errors: 9, cacheHits: 30, promptTokens: 9000n, completionTokens: 1000n, costUsd: '0.1234567891', latencySumMs: 9000n, latencyHistogram: [0, 0, 0, 0, 90] },
      { ...base, bucketStart: hour(11), model: 'demo-chat', requests: 10, errors: 1, cacheHits: 0, promptTokens: 1000n, completionTokens: 500n, costUsd: '0.0000000009', latencySumMs: 8000n, latencyHistogram: [0, 0, 0, 0, 0, 0, 0, 10] },
      { ...base, bucketStart: hour(11), model: 'demo-embedding', apiKeyId: 'key2', requests: 100, errors: 0, cacheHits: 0, promptTokens: 500n, completionTokens: 0n, costUsd: '0.01', latencySumMs: 2000n, latencyHistogram: [0, 0, 100] },
    ],
  });
  const other = await gw.prisma.tenant.findUniqueOrThrow({ where: { slug: 'demo' } });
  await gw.prisma.usageRollup.create({ data: { ...base, tenantId: other.id, bucketStart: hour(10), model: 'demo-chat', requests: 1000 } });
});
afterAll(() => gw?.close());

describe('analytics from the rollups', () => {
  it('summarises a period: requests, tokens, exact cost, error and cache-hit rates, average and p95 latency, by model', async () => {
    const res = await T.viewer.get(`/admin/tenants/${T.id}/analytics/summary?from=2026-01-05T00:00:00Z&to=2026-01-06T00:00:00Z&groupBy=model`);
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({
      requests: 200,
      errors: 10,
      errorRate: 0.05,
      cacheHits: 30,
      cacheHitRate: 0.15,
      promptTokens: 10_500,
      completionTokens: 1500,
      totalTokens: 12_000,
      costUsd: '0.13345679',
      avgLatencyMs: 95,
      // 100 requests ≤ 25 ms, 90 ≤ 100 ms, 10 ≤ 1000 ms: the 190th fastest is in the 100 ms bucket
      p95LatencyMs: 100,
    });
    const chat = res.body.groups.find((g: { key: string }) => g.key === 'demo-chat');
    expect(chat).toMatchObject({ requests: 100, costUsd: '0.12345679', p95LatencyMs: 1000, avgLatencyMs: 170 });
    expect(res.body.groups.find((g: { key: string }) => g.key === 'demo-embedding')).toMatchObject({ requests: 100, p95LatencyMs: 25 });
    const byKey = await T.viewer.get(`/admin/tenants/${T.id}/analytics/summary?from=2026-01-05T00:00:00Z&to=2026-01-06T00:00:00Z&groupBy=key&model=demo-chat`);
    expect(byKey.body.groups.map((g: { key: string; requests: number }) => [g.key, g.requests])).toEqual([['key1', 100]]);
    const platformWide = await platform.get('/admin/analytics/summary?from=2026-01-05T00:00:00Z&to=2026-01-06T00:00:00Z&groupBy=tenant');
    expect(platformWide.body.totals.requests).toBe(1200);
    expect(platformWide.body.groups).toHaveLength(2);
    const badGroup = await T.viewer.get(`/admin/tenants/${T.id}/analytics/summary?groupBy=everything`);
    expect(badGroup.status).toBe(400);
    expect(badGroup.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['groupBy']);
    const reversed = await T.viewer.get(`/admin/tenants/${T.id}/analytics/summary?from=2026-01-06T00:00:00Z&to=2026-01-05T00:00:00Z`);
    expect(reversed.body.error.details.fields).toEqual([{ field: 'from', message: 'must be before `to`' }]);
    expect((await T.viewer.get(`/admin/tenants/${T.id}/analytics/summary?groupBy=tenant`)).status).toBe(400);
  });

  it('gives a time series with one point per bucket, empty ones included', async () => {
    const res = await T.viewer.get(`/admin/tenants/${T.id}/analytics/timeseries?from=2026-01-05T09:00:00Z&to=2026-01-05T13:00:00Z&granularity=hour`);
    expect(res.body.points.map((p: { bucketStart: string; requests: number }) => [p.bucketStart.slice(11, 13), p.requests])).toEqual([
      ['09', 0],
      ['10', 90],
      ['11', 110],
      ['12', 0],
    ]);
  });
});

describe('request log search', () => {
  it('filters and pages with a cursor, newest first', async () => {
    const url = `/admin/tenants/${T.id}/request-logs`;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { requestId: string }[]; nextCursor: string | null } } = await T.viewer.get(`${url}?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((i) => i.requestId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(seen[0]).toBe('req_usage_24');
    expect(new Set(seen).size).toBe(25);
    const errors = await T.viewer.get(`${url}?status=error&model=demo-embedding`);
    expect(errors.body.items.map((i: { requestId: string; httpStatus: number }) => [i.requestId, i.httpStatus])).toEqual([
      ['req_usage_24', 429],
      ['req_usage_23', 429],
    ]);
    const window = await T.viewer.get(`${url}?from=2026-01-05T10:05:00Z&to=2026-01-05T10:10:00Z&cacheHit=true`);
    expect(window.body.items.map((i: { requestId: string }) => i.requestId)).toEqual(['req_usage_05']);
    const one = await T.viewer.get(`${url}/req_usage_03`);
    expect(one.body).toMatchObject({ requestId: 'req_usage_03', model: 'demo-chat', costUsd: '0', requestBody: null });
    expect((await T.viewer.get(`${url}?cursor=abc`)).status).toBe(400);
  });
});

describe('audit log', () => {
  it('pages through who did what, with filters', async () => {
    for (let i = 0; i < 3; i++) await T.admin.patch(`/admin/tenants/${T.id}/settings`, { retentionDays: 10 + i });
    const page1 = await T.admin.get(`/admin/tenants/${T.id}/audit-log?action=tenant.settings.update&limit=2`);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.items[0].details).toMatchObject({ before: { retentionDays: 11 }, after: { retentionDays: 12 } });
    expect(page1.body.items[0]).toMatchObject({ actor: { email: 'admin@usage.test' }, targetType: 'tenant', targetId: T.id, ip: expect.any(String), requestId: expect.any(String) });
    const page2 = await T.admin.get(`/admin/tenants/${T.id}/audit-log?action=tenant.settings.update&limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();
    expect(page2.body.items[0].details.after.retentionDays).toBe(10);
  });
});
