import { Module } from '@nestjs/common';
import { DataPlaneRoutes } from './data-plane.routes.js';
import { DataPlane } from './data-plane.service.js';

@Module({ providers: [DataPlane, DataPlaneRoutes], exports: [DataPlane] })
export class DataPlaneModule {}
