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
export {
  usageSummary,
  usageTimeseries,
  histogramQuantile,
  MAX_TIMESERIES_POINTS,
  type UsageFilter,
  type UsageGranularity,
  type UsageStats,
  type ProviderUsage,
  type UsageSummary,
  type UsageTimeseries,
  type UsageTimeseriesPoint,
} from './analytics';
