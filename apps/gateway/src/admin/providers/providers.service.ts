import { Inject, Injectable } from '@nestjs/common';
import {
  type CredentialOutput,
  GatewayError,
  type ProviderOutput,
  type TestConnectionOutput,
  type createProviderInputSchema,
  type credentialInputSchema,
  type updateCredentialInputSchema,
  type updateProviderInputSchema,
} from '@conduit/contracts';
import { SecretBox, secretHint } from '@conduit/db';
import type { z } from 'zod';
import type { Actor } from '../../auth/access.guard.js';
import { AuditService } from '../../common/audit.service.js';
import { GATEWAY_CONFIG, type GatewayConfig } from '../../config.js';
import { ConfigChangePublisher } from '../common/config-change.publisher.js';
import { asJson, obj } from '../common/output.js';
import { assertPublicUpstream } from '../common/upstream-guard.js';
import { modelsProbe, testConnection } from './connection-tester.js';
import { ProvidersRepository, type SealedCredential } from './providers.repository.js';
import { toCredential, toProvider } from './providers.output.js';

@Injectable()
export class ProvidersService {
  private readonly box: SecretBox;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly repo: ProvidersRepository,
    private readonly audit: AuditService,
    private readonly changes: ConfigChangePublisher,
  ) {
    this.box = new SecretBox(config.CONDUIT_ENCRYPTION_KEYS);
  }

  async list(): Promise<ProviderOutput[]> {
    return (await this.repo.list()).map(toProvider);
  }

  async get(id: string): Promise<ProviderOutput> {
    return toProvider(await this.mustFind(id));
  }

  async create(actor: Actor, input: z.output<typeof createProviderInputSchema>): Promise<ProviderOutput> {
    if (input.type !== 'simulator') await assertPublicUpstream(input.baseUrl, this.config.CONDUIT_ALLOW_PRIVATE_UPSTREAMS);
    const p = await this.repo.create(
      { slug: input.slug, name: input.name, type: input.type, baseUrl: input.baseUrl, config: asJson(input.config), enabled: input.enabled, source: 'admin' },
      (providerId) => input.credentials.map((c) => this.seal(providerId, c)),
    );
    await this.changes.publish({ kind: 'catalogue' });
    const out = toProvider(p);
    await this.audit.change(actor, { action: 'provider.create', targetType: 'provider', targetId: p.id, after: out });
    return out;
  }

  async update(actor: Actor, id: string, input: z.output<typeof updateProviderInputSchema>): Promise<ProviderOutput> {
    const before = await this.mustFind(id);
    if (input.baseUrl !== undefined && input.baseUrl !== before.baseUrl && before.type !== 'simulator') {
      // A URL set through the API is checked even on a provider first configured from the environment.
      await assertPublicUpstream(input.baseUrl, this.config.CONDUIT_ALLOW_PRIVATE_UPSTREAMS);
    }
    const p = await this.repo.update(id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.baseUrl !== undefined && input.baseUrl !== before.baseUrl ? { baseUrl: input.baseUrl, source: 'admin' as const } : {}),
      ...(input.config !== undefined ? { config: asJson(input.config) } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    });
    await this.changes.publish({ kind: 'catalogue' });
    const after = toProvider(p);
    await this.audit.change(actor, { action: 'provider.update', targetType: 'provider', targetId: id, before: toProvider(before), after });
    return after;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.mustFind(id);
    const deployments = await this.repo.deploymentCount(id);
    if (deployments > 0) {
      throw new GatewayError('conflict', `The provider still serves ${deployments} deployment(s): remove them or disable the provider instead.`, { details: { deployments } });
    }
    await this.repo.delete(id);
    await this.changes.publish({ kind: 'catalogue' });
    await this.audit.change(actor, { action: 'provider.delete', targetType: 'provider', targetId: id, before: toProvider(before) });
  }

  async addCredential(actor: Actor, providerId: string, input: z.output<typeof credentialInputSchema>): Promise<CredentialOutput> {
    await this.mustFind(providerId);
    const c = await this.repo.createCredential(providerId, this.seal(providerId, input));
    await this.changes.publish({ kind: 'catalogue' });
    const out = toCredential(c);
    await this.audit.change(actor, { action: 'provider.credential.create', targetType: 'provider_credential', targetId: c.id, after: out, details: { providerId } });
    return out;
  }

  async updateCredential(actor: Actor, providerId: string, id: string, input: z.output<typeof updateCredentialInputSchema>): Promise<CredentialOutput> {
    const before = await this.mustFindCredential(providerId, id);
    const c = await this.repo.updateCredential(id, input);
    await this.changes.publish({ kind: 'catalogue' });
    const after = toCredential(c);
    await this.audit.change(actor, { action: 'provider.credential.update', targetType: 'provider_credential', targetId: id, before: toCredential(before), after, details: { providerId } });
    return after;
  }

  async removeCredential(actor: Actor, providerId: string, id: string): Promise<void> {
    const before = await this.mustFindCredential(providerId, id);
    await this.repo.deleteCredential(id);
    await this.changes.publish({ kind: 'catalogue' });
    await this.audit.change(actor, { action: 'provider.credential.delete', targetType: 'provider_credential', targetId: id, before: toCredential(before), details: { providerId } });
  }

  /** Calls the provider's model listing with a credential and reports what it said. */
  async test(actor: Actor, id: string, input: { credentialId?: string; timeoutMs: number }): Promise<TestConnectionOutput> {
    const p = await this.mustFind(id);
    const cred = await this.repo.pickCredential(id, input.credentialId);
    if (input.credentialId && !cred) throw new GatewayError('not_found', 'No such credential for this provider.');
    let result: TestConnectionOutput;
    if (p.baseUrl.startsWith('builtin:')) {
      result = { ok: true, status: null, latencyMs: 0, url: p.baseUrl, models: [], message: 'the built-in simulator answers in-process', credentialId: cred?.id ?? null };
    } else {
      let secret: string | null = null;
      if (cred) {
        try {
          secret = this.box.open(cred, p.id);
        } catch (e) {
          secret = null;
          result = { ok: false, status: null, latencyMs: 0, url: p.baseUrl, models: [], message: `the credential cannot be decrypted: ${(e as Error).message}`, credentialId: cred.id };
          await this.auditTest(actor, p.id, result);
          return result;
        }
      }
      const probe = modelsProbe(p.type, p.baseUrl, secret, obj(p.config));
      if (typeof probe === 'string') {
        result = { ok: false, status: null, latencyMs: 0, url: p.baseUrl, models: [], message: probe, credentialId: cred?.id ?? null };
      } else {
        // Providers configured from the environment are trusted; everything else is checked when the call is made.
        const trusted = p.source === 'env' || this.config.CONDUIT_ALLOW_PRIVATE_UPSTREAMS;
        result = await testConnection(probe, { timeoutMs: input.timeoutMs, allowPrivate: trusted, credentialId: cred?.id ?? null });
      }
    }
    await this.auditTest(actor, p.id, result);
    return result;
  }

  private auditTest(actor: Actor, providerId: string, result: TestConnectionOutput) {
    return this.audit.change(actor, {
      action: 'provider.test_connection',
      targetType: 'provider',
      targetId: providerId,
      details: { ok: result.ok, status: result.status, message: result.message, credentialId: result.credentialId },
    });
  }

  private seal(providerId: string, c: { name: string; secret: string; weight: number }): SealedCredential {
    const sealed = this.box.seal(c.secret, providerId);
    return {
      name: c.name,
      weight: c.weight,
      ciphertext: Buffer.from(sealed.ciphertext),
      iv: Buffer.from(sealed.iv),
      authTag: Buffer.from(sealed.authTag),
      keyId: sealed.keyId,
      hint: secretHint(c.secret),
    };
  }

  private async mustFind(id: string) {
    const p = await this.repo.find(id);
    if (!p) throw new GatewayError('not_found', 'No such provider.');
    return p;
  }

  private async mustFindCredential(providerId: string, id: string) {
    const c = await this.repo.findCredential(providerId, id);
    if (!c) throw new GatewayError('not_found', 'No such credential for this provider.');
    return c;
  }
}
