// `pnpm db:seed`: seeds the database in DATABASE_URL and prints what was created.
import { createPrismaClient } from '../client';
import { seed } from './index';

async function main() {
  const prisma = createPrismaClient({ max: 2 });
  try {
    const r = await seed(prisma);
    const lines = [
      'Seeded:',
      `  admin      ${r.admin.email}${r.admin.password ? `  password: ${r.admin.password}  (generated, shown once)` : ''}`,
      `  developer  ${r.developer.email}${r.developer.password ? `  password: ${r.developer.password}  (generated, shown once)` : ''}`,
      `  tenant     ${r.tenant.slug}`,
      `  demo key   ${r.demoKey.secret ? `${r.demoKey.secret}  (generated, shown once)` : `${r.demoKey.prefix}…`}`,
      ...r.providers.map((p) => `  provider   ${p.slug} (${p.type}) ${p.baseUrl}: ${p.models.join(', ')}`),
    ];
    console.log(lines.join('\n'));
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((e: unknown) => {
  const err = e as { issues?: { path: (string | number)[]; message: string }[]; message?: string };
  if (err.issues) {
    console.error('seed: invalid configuration:\n' + err.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n'));
  } else {
    console.error(`seed failed: ${err.message ?? String(e)}`);
  }
  process.exit(1);
});
