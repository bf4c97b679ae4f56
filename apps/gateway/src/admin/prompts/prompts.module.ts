import { Module } from '@nestjs/common';
import { PromptsController } from './prompts.controller.js';
import { PromptsRepository } from './prompts.repository.js';
import { PromptsService } from './prompts.service.js';

@Module({ controllers: [PromptsController], providers: [PromptsService, PromptsRepository] })
export class PromptsModule {}
