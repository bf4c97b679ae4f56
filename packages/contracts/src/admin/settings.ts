import { z } from 'zod';

/** Platform-wide settings editable at run time. */
export const PLATFORM_SETTING_KEYS = ['cache.defaults', 'guardrails.defaults', 'keys.defaultExpiryDays', 'signup.open'] as const;
export const platformSettingInputSchema = z.object({ value: z.unknown().refine((v) => v !== undefined, 'is required') }).strict();

export interface PlatformSettingOutput {
  key: string;
  value: unknown;
  updatedAt: string;
}
