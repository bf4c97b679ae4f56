import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createUserInputSchema, listUsersQuerySchema, updateUserInputSchema } from '@conduit/contracts';
import { Access, type Actor, CurrentActor } from '../../auth/access.guard.js';
import { parseInput } from '../../common/validation.js';
import { Doc } from '../common/docs.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Controller('admin/users')
@Access('platform_admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Doc({ summary: 'User accounts with their memberships (filter by part of the email).', query: listUsersQuerySchema })
  list(@Query() q: unknown) {
    return this.users.list(parseInput(listUsersQuerySchema, q).email);
  }

  @Post()
  @Doc({ summary: 'Create a user account (add it to tenants with POST /admin/tenants/{tenantId}/members).', body: createUserInputSchema, status: 201, errors: [409] })
  create(@CurrentActor() a: Actor, @Body() body: unknown) {
    return this.users.create(a, parseInput(createUserInputSchema, body));
  }

  @Patch(':userId')
  @Doc({
    summary: 'Rename, disable (signs them out everywhere), promote or demote, reset the password, or lift a sign-in lock.',
    body: updateUserInputSchema,
    errors: [404, 409],
  })
  update(@CurrentActor() a: Actor, @Param('userId') id: string, @Body() body: unknown) {
    return this.users.update(a, id, parseInput(updateUserInputSchema, body));
  }
}
