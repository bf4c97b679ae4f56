import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

/** JSON Schema of a zod input schema, for the OpenAPI document. */
export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

const ERROR_TEXT: Record<number, string> = {
  400: 'validation_failed: details.fields names every field to fix',
  404: 'not_found',
  409: 'conflict: the change clashes with existing state (e.g. a unique name)',
};

export interface DocOptions {
  summary: string;
  description?: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** the success status (200 by default) */
  status?: number;
  /** error statuses besides 401/403 (documented by @Access) */
  errors?: number[];
}

/** Documents an admin endpoint: summary, body and query schemas (from zod), success and error responses. */
export function Doc(opts: DocOptions) {
  const decorators = [ApiOperation({ summary: opts.summary, description: opts.description })];
  if (opts.body) decorators.push(ApiBody({ schema: jsonSchema(opts.body) }));
  if (opts.query) {
    const props = (jsonSchema(opts.query).properties ?? {}) as Record<string, Record<string, unknown>>;
    for (const [name, schema] of Object.entries(props)) {
      decorators.push(ApiQuery({ name, required: false, schema, description: (schema.description as string | undefined) ?? undefined }));
    }
  }
  decorators.push(ApiResponse({ status: opts.status ?? 200, description: 'success' }));
  const errors = new Set([...(opts.body || opts.query ? [400] : []), ...(opts.errors ?? [])]);
  for (const status of errors) decorators.push(ApiResponse({ status, description: ERROR_TEXT[status] ?? String(status) }));
  return applyDecorators(...decorators);
}
