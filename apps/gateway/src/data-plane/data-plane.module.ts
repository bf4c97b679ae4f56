import { Module } from '@nestjs/common';
import { DataPlaneRoutes } from './data-plane.routes.js';
import { DataPlane } from './data-plane.service.js';
import { MessagesRoute } from './messages/messages.route.js';

@Module({ providers: [DataPlane, DataPlaneRoutes, MessagesRoute], exports: [DataPlane] })
export class DataPlaneModule {}
