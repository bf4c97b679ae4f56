import { Module } from '@nestjs/common';
import { ProvidersController } from './providers.controller.js';
import { ProvidersRepository } from './providers.repository.js';
import { ProvidersService } from './providers.service.js';

@Module({ controllers: [ProvidersController], providers: [ProvidersService, ProvidersRepository] })
export class ProvidersModule {}
