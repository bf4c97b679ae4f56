export * from './generated/prisma/client';
export { createPrismaClient, type DbOptions } from './client';
export { SecretBox, parseEncryptionKeys, secretHint, type SealedSecret } from './secrets';
export {
  API_KEY_PREFIX,
  apiKeyDisplayPrefix,
  generateApiKey,
  generateToken,
  hashApiKey,
  hashPassword,
  hashToken,
  verifyPassword,
} from './credentials';
