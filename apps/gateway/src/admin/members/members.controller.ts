import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { acceptInvitationInputSchema, addMemberInputSchema, updateMemberInputSchema } from '@conduit/contracts';
import type { FastifyRequest } from 'fastify';
import { Access, type Actor, CurrentActor, Tenant, type TenantScope } from '../../auth/access.guard.js';
import { clientInfo } from '../../auth/jwt-auth.guard.js';
import { parseInput } from '../../common/validation.js';
import { Doc } from '../common/docs.js';
import { MembersService } from './members.service.js';

@ApiTags('members')
@Controller('admin')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get('tenants/:tenantId/members')
  @Access('viewer')
  @Doc({ summary: "The tenant's members and their roles." })
  list(@Tenant() t: TenantScope) {
    return this.members.list(t);
  }

  @Post('tenants/:tenantId/members')
  @Access('admin')
  @Doc({
    summary: 'Add a member: an existing user by email, a new user (with a password), or an invitation (token returned once).',
    body: addMemberInputSchema,
    status: 201,
    errors: [409],
  })
  add(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Body() body: unknown) {
    return this.members.add(t, a, parseInput(addMemberInputSchema, body));
  }

  @Patch('tenants/:tenantId/members/:userId')
  @Access('admin')
  @Doc({ summary: "Change a member's role (only owners make or unmake owners; the last owner stays).", body: updateMemberInputSchema, errors: [404, 409] })
  update(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('userId') userId: string, @Body() body: unknown) {
    return this.members.updateRole(t, a, userId, parseInput(updateMemberInputSchema, body).role);
  }

  @Delete('tenants/:tenantId/members/:userId')
  @HttpCode(204)
  @Access('admin')
  @Doc({ summary: 'Remove a member from the tenant (their keys stay, owned by the tenant).', status: 204, errors: [404, 409] })
  async remove(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('userId') userId: string) {
    await this.members.remove(t, a, userId);
  }

  @Get('tenants/:tenantId/invitations')
  @Access('admin')
  @Doc({ summary: "The tenant's invitations (tokens are never shown again)." })
  invitations(@Tenant() t: TenantScope) {
    return this.members.listInvitations(t);
  }

  @Delete('tenants/:tenantId/invitations/:invitationId')
  @Access('admin')
  @Doc({ summary: 'Revoke an invitation that was not accepted yet.', errors: [404, 409] })
  revokeInvitation(@Tenant() t: TenantScope, @CurrentActor() a: Actor, @Param('invitationId') id: string) {
    return this.members.revokeInvitation(t, a, id);
  }

  @Post('invitations/accept')
  @HttpCode(200)
  @Doc({ summary: 'Accept an invitation with its token (no sign-in needed); creates the account when the email has none.', body: acceptInvitationInputSchema, errors: [404] })
  accept(@Body() body: unknown, @Req() req: FastifyRequest) {
    return this.members.accept(parseInput(acceptInvitationInputSchema, body), clientInfo(req));
  }
}
