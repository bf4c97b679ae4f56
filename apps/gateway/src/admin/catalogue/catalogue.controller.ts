import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  createDeploymentInputSchema,
  createModelInputSchema,
  createPriceInputSchema,
  createRouteRuleInputSchema,
  modelTenantAccessInputSchema,
  updateDeploymentInputSchema,
  updateModelInputSchema,
  updateRouteRuleInputSchema,
} from '@conduit/contracts';
import { Access, type Actor, TenantParam, CurrentActor, Tenant, type TenantScope } from '../../auth/access.guard.js';
import { parseInput } from '../../common/validation.js';
import { Doc } from '../common/docs.js';
import { CatalogueService } from './catalogue.service.js';

@ApiTags('catalogue')
@Controller('admin')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get('tenants/:tenantId/models')
  @Access('viewer')
  @Doc({ summary: 'Models the tenant can see, with whether it may call them (available, granted, requires approval, pending) and the current price.' })
  tenantModels(@Tenant() t: TenantScope) {
    return this.catalogue.tenantModels(t);
  }

  @Get('models')
  @Access('platform_admin')
  @Doc({ summary: 'The whole catalogue: models with deployments, route rules, prices and tenant visibility.' })
  list() {
    return this.catalogue.listModels();
  }

  @Post('models')
  @Access('platform_admin')
  @Doc({ summary: 'Add a model (public name, visibility, approval policy, routing strategy, fallbacks).', body: createModelInputSchema, status: 201, errors: [409] })
  create(@CurrentActor() a: Actor, @Body() body: unknown) {
    return this.catalogue.createModel(a, parseInput(createModelInputSchema, body));
  }

  @Get('models/:modelId')
  @Access('platform_admin')
  @Doc({ summary: 'One model (by id or public name) with deployments, route rules and prices.', errors: [404] })
  get(@Param('modelId') id: string) {
    return this.catalogue.getModel(id);
  }

  @Patch('models/:modelId')
  @Access('platform_admin')
  @Doc({ summary: 'Change a model. Every gateway replica picks it up within a second.', body: updateModelInputSchema, errors: [404] })
  update(@CurrentActor() a: Actor, @Param('modelId') id: string, @Body() body: unknown) {
    return this.catalogue.updateModel(a, id, parseInput(updateModelInputSchema, body));
  }

  @Delete('models/:modelId')
  @HttpCode(204)
  @Access('platform_admin')
  @Doc({ summary: 'Delete a model with its deployments, rules, prices and grants (prefer disabling it).', status: 204, errors: [404] })
  async remove(@CurrentActor() a: Actor, @Param('modelId') id: string) {
    await this.catalogue.deleteModel(a, id);
  }

  @Post('models/:modelId/tenants')
  @HttpCode(200)
  @Access('platform_admin')
  @Doc({ summary: 'Let a tenant see a restricted model.', body: modelTenantAccessInputSchema, errors: [404] })
  addTenant(@CurrentActor() a: Actor, @Param('modelId') id: string, @Body() body: unknown) {
    return this.catalogue.grantTenantAccess(a, id, parseInput(modelTenantAccessInputSchema, body).tenantId);
  }

  @Delete('models/:modelId/tenants/:tenantId')
  @TenantParam()
  @Access('platform_admin')
  @Doc({ summary: 'Hide a restricted model from a tenant again.', errors: [404] })
  removeTenant(@CurrentActor() a: Actor, @Param('modelId') id: string, @Tenant() t: TenantScope) {
    return this.catalogue.revokeTenantAccess(a, id, t.tenantId);
  }

  @Post('models/:modelId/deployments')
  @Access('platform_admin')
  @Doc({ summary: 'Add a deployment: provider, upstream model, weight, priority, timeout.', body: createDeploymentInputSchema, status: 201, errors: [404] })
  createDeployment(@CurrentActor() a: Actor, @Param('modelId') id: string, @Body() body: unknown) {
    return this.catalogue.createDeployment(a, id, parseInput(createDeploymentInputSchema, body));
  }

  @Patch('models/:modelId/deployments/:deploymentId')
  @Access('platform_admin')
  @Doc({ summary: 'Change a deployment.', body: updateDeploymentInputSchema, errors: [404] })
  updateDeployment(@CurrentActor() a: Actor, @Param('modelId') id: string, @Param('deploymentId') did: string, @Body() body: unknown) {
    return this.catalogue.updateDeployment(a, id, did, parseInput(updateDeploymentInputSchema, body));
  }

  @Delete('models/:modelId/deployments/:deploymentId')
  @HttpCode(204)
  @Access('platform_admin')
  @Doc({ summary: 'Remove a deployment (and from the route rules naming it).', status: 204, errors: [404] })
  async deleteDeployment(@CurrentActor() a: Actor, @Param('modelId') id: string, @Param('deploymentId') did: string) {
    await this.catalogue.deleteDeployment(a, id, did);
  }

  @Post('models/:modelId/routes')
  @Access('platform_admin')
  @Doc({ summary: 'Add a conditional route rule (header, tag or prompt pattern → these deployments).', body: createRouteRuleInputSchema, status: 201, errors: [404] })
  createRoute(@CurrentActor() a: Actor, @Param('modelId') id: string, @Body() body: unknown) {
    return this.catalogue.createRouteRule(a, id, parseInput(createRouteRuleInputSchema, body));
  }

  @Patch('models/:modelId/routes/:routeId')
  @Access('platform_admin')
  @Doc({ summary: 'Change a route rule.', body: updateRouteRuleInputSchema, errors: [404] })
  updateRoute(@CurrentActor() a: Actor, @Param('modelId') id: string, @Param('routeId') rid: string, @Body() body: unknown) {
    return this.catalogue.updateRouteRule(a, id, rid, parseInput(updateRouteRuleInputSchema, body));
  }

  @Delete('models/:modelId/routes/:routeId')
  @HttpCode(204)
  @Access('platform_admin')
  @Doc({ summary: 'Delete a route rule.', status: 204, errors: [404] })
  async deleteRoute(@CurrentActor() a: Actor, @Param('modelId') id: string, @Param('routeId') rid: string) {
    await this.catalogue.deleteRouteRule(a, id, rid);
  }

  @Get('models/:modelId/prices')
  @Access('platform_admin')
  @Doc({ summary: "A model's price history (USD per million tokens, with effective dates).", errors: [404] })
  prices(@Param('modelId') id: string) {
    return this.catalogue.listPrices(id);
  }

  @Post('models/:modelId/prices')
  @Access('platform_admin')
  @Doc({ summary: 'Add a price effective from a date (now by default), for the model or one deployment.', body: createPriceInputSchema, status: 201, errors: [404, 409] })
  createPrice(@CurrentActor() a: Actor, @Param('modelId') id: string, @Body() body: unknown) {
    return this.catalogue.createPrice(a, id, parseInput(createPriceInputSchema, body));
  }

  @Delete('models/:modelId/prices/:priceId')
  @HttpCode(204)
  @Access('platform_admin')
  @Doc({ summary: 'Withdraw a price that has not taken effect yet.', status: 204, errors: [404, 409] })
  async deletePrice(@CurrentActor() a: Actor, @Param('modelId') id: string, @Param('priceId') pid: string) {
    await this.catalogue.deletePrice(a, id, pid);
  }
}
