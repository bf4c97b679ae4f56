import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { analyticsQuerySchema } from '@conduit/contracts';
import { Access, Tenant, type TenantScope } from '../../auth/access.guard.js';
import { parseInput } from '../../common/validation.js';
import { Doc } from '../common/docs.js';
import { AnalyticsService } from './analytics.service.js';

@ApiTags('analytics')
@Controller('admin')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('tenants/:tenantId/analytics/summary')
  @Access('viewer')
  @Doc({
    summary: "The tenant's usage over a period (requests, tokens, cost, average and p95 latency, error rate, cache hit rate), optionally by key, model or provider.",
    query: analyticsQuerySchema,
  })
  summary(@Tenant() t: TenantScope, @Query() q: unknown) {
    return this.analytics.summary(parseInput(analyticsQuerySchema, q), t.tenantId, true);
  }

  @Get('tenants/:tenantId/analytics/timeseries')
  @Access('viewer')
  @Doc({ summary: "The tenant's usage per hour or day over a period.", query: analyticsQuerySchema })
  timeseries(@Tenant() t: TenantScope, @Query() q: unknown) {
    return this.analytics.timeseries(parseInput(analyticsQuerySchema, q), t.tenantId);
  }

  @Get('analytics/summary')
  @Access('platform_admin')
  @Doc({ summary: 'Platform-wide usage over a period, optionally by tenant, key, model or provider.', query: analyticsQuerySchema })
  platformSummary(@Query() q: unknown) {
    const query = parseInput(analyticsQuerySchema, q);
    return this.analytics.summary(query, query.tenantId, false);
  }

  @Get('analytics/timeseries')
  @Access('platform_admin')
  @Doc({ summary: 'Platform-wide usage per hour or day.', query: analyticsQuerySchema })
  platformTimeseries(@Query() q: unknown) {
    const query = parseInput(analyticsQuerySchema, q);
    return this.analytics.timeseries(query, query.tenantId);
  }
}
