import { Injectable } from '@nestjs/common';
import type { Prisma } from '@conduit/db';
import { PrismaService } from '../../infra/prisma.service.js';

const include = { credentials: { orderBy: { createdAt: 'asc' } } } as const;

export interface SealedCredential {
  name: string;
  weight: number;
  ciphertext: Buffer<ArrayBuffer>;
  iv: Buffer<ArrayBuffer>;
  authTag: Buffer<ArrayBuffer>;
  keyId: string;
  hint: string;
}

@Injectable()
export class ProvidersRepository {
  constructor(private readonly prisma: PrismaService) {}

  list() {
    return this.prisma.client.provider.findMany({ include, orderBy: { createdAt: 'asc' } });
  }

  find(id: string) {
    return this.prisma.client.provider.findUnique({ where: { id }, include });
  }

  /** The provider and its credentials, together; credentials are sealed with the provider's id as associated data. */
  create(data: Omit<Prisma.ProviderUncheckedCreateInput, 'id'>, seal: (providerId: string) => SealedCredential[]) {
    return this.prisma.client.$transaction(async (tx) => {
      const p = await tx.provider.create({ data });
      const creds = seal(p.id);
      if (creds.length) await tx.providerCredential.createMany({ data: creds.map((c) => ({ ...c, providerId: p.id })) });
      return tx.provider.findUniqueOrThrow({ where: { id: p.id }, include });
    });
  }

  update(id: string, data: Prisma.ProviderUpdateInput) {
    return this.prisma.client.provider.update({ where: { id }, data, include });
  }

  deploymentCount(providerId: string) {
    return this.prisma.client.modelDeployment.count({ where: { providerId } });
  }

  delete(id: string) {
    return this.prisma.client.provider.delete({ where: { id } });
  }

  findCredential(providerId: string, id: string) {
    return this.prisma.client.providerCredential.findFirst({ where: { id, providerId } });
  }

  /** The credential a test call uses: the given one, else the heaviest active one. */
  pickCredential(providerId: string, id?: string) {
    return this.prisma.client.providerCredential.findFirst({
      where: { providerId, ...(id ? { id } : { status: 'active' }) },
      orderBy: [{ weight: 'desc' }, { createdAt: 'asc' }],
    });
  }

  createCredential(providerId: string, c: SealedCredential) {
    return this.prisma.client.providerCredential.create({ data: { providerId, ...c } });
  }

  updateCredential(id: string, data: Prisma.ProviderCredentialUpdateInput) {
    return this.prisma.client.providerCredential.update({ where: { id }, data });
  }

  deleteCredential(id: string) {
    return this.prisma.client.providerCredential.delete({ where: { id } });
  }
}
