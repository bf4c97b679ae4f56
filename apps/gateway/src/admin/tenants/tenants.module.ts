import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module.js';
import { TenantsController } from './tenants.controller.js';
import { TenantsRepository } from './tenants.repository.js';
import { TenantsService } from './tenants.service.js';

@Module({ imports: [MembersModule], controllers: [TenantsController], providers: [TenantsService, TenantsRepository], exports: [TenantsService] })
export class TenantsModule {}
