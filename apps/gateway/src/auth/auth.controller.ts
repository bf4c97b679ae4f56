import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { loginInputSchema, logoutInputSchema, refreshInputSchema, type SessionUser, type TokenPair } from '@conduit/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../common/validation.js';
import { AuthService, type Principal } from './auth.service.js';
import { clientInfo, CurrentUser, JwtAuthGuard } from './jwt-auth.guard.js';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input' }) as Record<string, unknown>;

@ApiTags('auth')
@Controller('admin/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password: a short-lived access token and a rotating refresh token.' })
  @ApiBody({ schema: schema(loginInputSchema) })
  @ApiResponse({ status: 401, description: 'invalid_credentials' })
  @ApiResponse({ status: 423, description: 'account_locked (Retry-After says when to try again)' })
  login(@Body() body: unknown, @Req() req: FastifyRequest): Promise<TokenPair> {
    return this.auth.login(parseInput(loginInputSchema, body), clientInfo(req));
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token for a new token pair. Each refresh token works once.' })
  @ApiBody({ schema: schema(refreshInputSchema) })
  refresh(@Body() body: unknown, @Req() req: FastifyRequest): Promise<TokenPair> {
    return this.auth.refresh(parseInput(refreshInputSchema, body).refreshToken, clientInfo(req));
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: revokes the session (refresh token and access tokens).' })
  @ApiBody({ schema: schema(logoutInputSchema), required: false })
  async logout(@CurrentUser() user: Principal, @Body() body: unknown, @Req() req: FastifyRequest): Promise<void> {
    await this.auth.logout(user, parseInput(logoutInputSchema, body).refreshToken, clientInfo(req));
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user with their tenant memberships.' })
  me(@CurrentUser() user: Principal): SessionUser {
    const { sessionId: _sid, ...session } = user;
    return session;
  }
}
