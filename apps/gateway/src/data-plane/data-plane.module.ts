import { Module } from '@nestjs/common';
import { DataPlaneRoutes } from './data-plane.routes.js';
import { DataPlane } from './data-plane.service.js';
import { MessagesRoute } from './messages/messages.route.js';
import { PromptRoutes } from './prompts/prompt.routes.js';

@Module({ providers: [DataPlane, DataPlaneRoutes, MessagesRoute, PromptRoutes], exports: [DataPlane] })
export class DataPlaneModule {}
