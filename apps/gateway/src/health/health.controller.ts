import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PrismaService } from '../infra/prisma.service.js';
import { RedisService } from '../infra/redis.service.js';

interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

async function timed(fn: () => Promise<unknown>, timeoutMs: number): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (e as Error).message || String(e) };
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness: the process is up and serving.' })
  health() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis are reachable (503 naming the one that is not).' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const [postgres, redis] = await Promise.all([
      timed(() => this.prisma.client.$queryRawUnsafe('SELECT 1'), 2000),
      timed(async () => {
        await this.redis.whenReady(1500);
        await this.redis.client.ping();
      }, 2000),
    ]);
    const ok = postgres.ok && redis.ok;
    if (!ok) {
      reply.status(503);
      const down = [!postgres.ok && 'postgres', !redis.ok && 'redis'].filter(Boolean).join(' and ');
      return { status: 'unavailable', message: `${down} unreachable`, checks: { postgres, redis } };
    }
    return { status: 'ready', checks: { postgres, redis } };
  }
}
