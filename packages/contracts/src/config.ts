import { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly app: string,
    readonly problems: { variable: string; message: string }[],
  ) {
    super(
      `${app}: invalid configuration:\n` +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

const SECRET_NAME = /SECRET|KEY|PASSWORD|TOKEN|URL/i;

/**
 * Parses an app's environment once at boot against its zod schema. Every
 * problem names the variable, so a bad value stops the boot with a message that
 * says what to fix.
 */
export function parseConfig<S extends z.ZodType>(app: string, schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const res = schema.safeParse(env);
  if (res.success) return res.data;
  throw new ConfigError(
    app,
    res.error.issues.map((i) => {
      const variable = i.path.join('.') || '(environment)';
      const given = env[String(i.path[0])];
      if (given === undefined) return { variable, message: 'is required but not set' + (i.message.startsWith('Invalid input') ? '' : `: ${i.message}`) };
      // never echo secrets back into logs
      const shown = SECRET_NAME.test(variable) ? '' : ` (got "${given}")`;
      return { variable, message: i.message + shown };
    }),
  );
}

/** Common building blocks for app config schemas. */
export const env = {
  port: (def: number) => z.coerce.number().int().min(0).max(65535).default(def),
  url: (def: string, protocols: string[]) =>
    z
      .string()
      .default(def)
      .refine((v) => {
        try {
          return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      }, `must be a URL starting with ${protocols.map((p) => p + '://').join(' or ')}`),
  bool: (def: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
      .default(def ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  int: (def: number, min = 0) => z.coerce.number().int().min(min).default(def),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};
