import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  createProviderInputSchema,
  credentialInputSchema,
  testConnectionInputSchema,
  updateCredentialInputSchema,
  updateProviderInputSchema,
} from '@conduit/contracts';
import { Access, type Actor, CurrentActor } from '../../auth/access.guard.js';
import { parseInput } from '../../common/validation.js';
import { Doc } from '../common/docs.js';
import { ProvidersService } from './providers.service.js';

@ApiTags('providers')
@Controller('admin/providers')
@Access('platform_admin')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  @Get()
  @Doc({ summary: 'Providers with their credentials (id, name, last 4, status, key id — never the secret).' })
  list() {
    return this.providers.list();
  }

  @Post()
  @Doc({
    summary: 'Add a provider. The base URL may not point at loopback, link-local or private networks unless CONDUIT_ALLOW_PRIVATE_UPSTREAMS is set.',
    body: createProviderInputSchema,
    status: 201,
    errors: [409],
  })
  create(@CurrentActor() a: Actor, @Body() body: unknown) {
    return this.providers.create(a, parseInput(createProviderInputSchema, body));
  }

  @Get(':providerId')
  @Doc({ summary: 'One provider.', errors: [404] })
  get(@Param('providerId') id: string) {
    return this.providers.get(id);
  }

  @Patch(':providerId')
  @Doc({ summary: "Change a provider's name, base URL (SSRF-checked), config or enabled flag.", body: updateProviderInputSchema, errors: [404] })
  update(@CurrentActor() a: Actor, @Param('providerId') id: string, @Body() body: unknown) {
    return this.providers.update(a, id, parseInput(updateProviderInputSchema, body));
  }

  @Delete(':providerId')
  @HttpCode(204)
  @Doc({ summary: 'Delete a provider that serves no deployment.', status: 204, errors: [404, 409] })
  async remove(@CurrentActor() a: Actor, @Param('providerId') id: string) {
    await this.providers.remove(a, id);
  }

  @Post(':providerId/credentials')
  @Doc({ summary: 'Add a credential (encrypted at rest with AES-256-GCM; traffic is spread over active credentials by weight).', body: credentialInputSchema, status: 201, errors: [404] })
  addCredential(@CurrentActor() a: Actor, @Param('providerId') id: string, @Body() body: unknown) {
    return this.providers.addCredential(a, id, parseInput(credentialInputSchema, body));
  }

  @Patch(':providerId/credentials/:credentialId')
  @Doc({ summary: 'Rename, reweigh, drain (no new traffic, still valid) or disable a credential.', body: updateCredentialInputSchema, errors: [404] })
  updateCredential(@CurrentActor() a: Actor, @Param('providerId') id: string, @Param('credentialId') cid: string, @Body() body: unknown) {
    return this.providers.updateCredential(a, id, cid, parseInput(updateCredentialInputSchema, body));
  }

  @Delete(':providerId/credentials/:credentialId')
  @HttpCode(204)
  @Doc({ summary: 'Delete a credential.', status: 204, errors: [404] })
  async removeCredential(@CurrentActor() a: Actor, @Param('providerId') id: string, @Param('credentialId') cid: string) {
    await this.providers.removeCredential(a, id, cid);
  }

  @Post(':providerId/test')
  @HttpCode(200)
  @Doc({ summary: "Test the connection: calls the provider's model listing with a credential and reports the status and what the upstream said.", body: testConnectionInputSchema, errors: [404] })
  test(@CurrentActor() a: Actor, @Param('providerId') id: string, @Body() body: unknown) {
    return this.providers.test(a, id, parseInput(testConnectionInputSchema, body));
  }
}
