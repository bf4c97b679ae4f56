/** ISO string of a date (null stays null). */
export function iso(d: Date): string;
export function iso(d: Date | null | undefined): string | null;
export function iso(d: Date | null | undefined): string | null {
  return d ? d.toISOString() : null;
}

/** A JSON column as a plain object. */
export function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A value headed for a JSON column (zod-validated objects are JSON by construction). */
export function asJson(v: unknown): import('@conduit/db').Prisma.InputJsonValue {
  return v as import('@conduit/db').Prisma.InputJsonValue;
}
