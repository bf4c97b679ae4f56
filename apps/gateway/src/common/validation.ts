import { GatewayError } from '@conduit/contracts';
import type { z } from 'zod';

/** Parses input with a zod schema; failures are a 400 naming every field to fix. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const res = schema.safeParse(input ?? {});
  if (res.success) return res.data;
  const fields = res.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  throw new GatewayError(
    'validation_failed',
    'Invalid request: ' + fields.map((f) => `${f.field} ${f.message}`).join('; '),
    { details: { fields } },
  );
}
