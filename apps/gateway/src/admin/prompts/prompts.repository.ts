import { Injectable } from '@nestjs/common';
import type { Prisma } from '@conduit/db';
import { PrismaService } from '../../infra/prisma.service.js';

const withVersions = { versions: { orderBy: { version: 'desc' as const } } };

@Injectable()
export class PromptsRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(tenantId: string) {
    return this.prisma.client.promptTemplate.findMany({
      where: { tenantId },
      include: { versions: { select: { version: true }, orderBy: { version: 'desc' }, take: 1 } },
      orderBy: { slug: 'asc' },
    });
  }

  find(tenantId: string, slug: string) {
    return this.prisma.client.promptTemplate.findUnique({ where: { tenantId_slug: { tenantId, slug } }, include: withVersions });
  }

  create(data: Prisma.PromptTemplateUncheckedCreateInput) {
    return this.prisma.client.promptTemplate.create({ data, include: withVersions });
  }

  update(id: string, data: Prisma.PromptTemplateUpdateInput) {
    return this.prisma.client.promptTemplate.update({ where: { id }, data, include: withVersions });
  }

  /** Adds the next version number atomically (a unique (templateId, version) settles races). */
  async addVersion(templateId: string, data: Omit<Prisma.PromptVersionUncheckedCreateInput, 'templateId' | 'version'>, activate: boolean) {
    return this.prisma.client.$transaction(async (tx) => {
      const last = await tx.promptVersion.findFirst({ where: { templateId }, orderBy: { version: 'desc' }, select: { version: true } });
      const version = (last?.version ?? 0) + 1;
      const created = await tx.promptVersion.create({ data: { ...data, templateId, version } });
      if (activate) await tx.promptTemplate.update({ where: { id: templateId }, data: { activeVersion: version } });
      else await tx.promptTemplate.update({ where: { id: templateId }, data: { updatedAt: new Date() } });
      return created;
    });
  }
}
