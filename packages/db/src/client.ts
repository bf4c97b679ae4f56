import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export interface DbOptions {
  /** postgresql:// URL; defaults to DATABASE_URL */
  url?: string;
  /** connection pool size */
  max?: number;
}

/**
 * The one way to get a Prisma client: driver-adapter mode (node-postgres under
 * Prisma's WebAssembly query compiler), so no native engine is ever needed.
 */
export function createPrismaClient(opts: DbOptions = {}): PrismaClient {
  const connectionString = opts.url ?? process.env.DATABASE_URL;
  if (!connectionString) throw new Error('DATABASE_URL is not set');
  const adapter = new PrismaPg({ connectionString, max: opts.max ?? 10 });
  return new PrismaClient({ adapter });
}
