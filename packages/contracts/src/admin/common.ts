import { z } from 'zod';

/** Cursor pagination: `limit` items from after `cursor` (the last item's id from the previous page). */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).optional(),
});

export interface Page<T> {
  items: T[];
  /** pass as `cursor` to get the next page; null on the last page */
  nextCursor: string | null;
}

/** ISO 8601 date-time string, or a Date (when the schema is used server side). */
export const isoDate = z.coerce.date({ error: 'must be an ISO 8601 date-time' });

/** A JSON object of string keys. */
export const jsonObject = z.record(z.string(), z.unknown());

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, 'lowercase letters, digits and dashes (2–48 characters)');

export const reviewNoteSchema = z.object({ note: z.string().trim().max(2000).optional() });
