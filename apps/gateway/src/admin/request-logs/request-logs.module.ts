import { Module } from '@nestjs/common';
import { RequestLogsController } from './request-logs.controller.js';
import { RequestLogsRepository } from './request-logs.repository.js';
import { RequestLogsService } from './request-logs.service.js';

@Module({ controllers: [RequestLogsController], providers: [RequestLogsService, RequestLogsRepository] })
export class RequestLogsModule {}
