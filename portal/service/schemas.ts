/**
 * JSON Schema fragments shared by the routes. Request bodies are validated strictly (no type
 * coercion, no unknown properties); query strings only have their integer members converted
 * from text first (see app.ts).
 */

export const timestamp = (description: string) => ({ type: 'string', format: 'date-time', description }) as const;
export const nullableTimestamp = (description: string) =>
  ({ type: ['string', 'null'], format: 'date-time', description }) as const;
export const date = (description: string) => ({ type: 'string', format: 'date', description }) as const;

/** Resource ids: `<prefix>_<hex>` for generated ones, kebab-case for reference data. */
export const idParam = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } },
} as const;

export const pagingQuery = {
  page: { type: 'integer', minimum: 1, maximum: 100000, default: 1, description: 'Page number, from 1' },
  pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'Items per page (1–100)' },
} as const;

export const pagingProperties = {
  page: { type: 'integer' },
  pageSize: { type: 'integer' },
  total: { type: 'integer', description: 'Items matching the filters, over all pages' },
  totalPages: { type: 'integer' },
} as const;

export const pagingRequired = ['items', 'page', 'pageSize', 'total', 'totalPages'] as const;

export function paged<T>(items: T[], total: number, page: number, pageSize: number) {
  return { items, page, pageSize, total, totalPages: Math.ceil(total / pageSize) };
}

export const agencyRef = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'string' }, name: { type: 'string' } },
} as const;

export const nullable = <T extends Record<string, unknown>>(schema: T, description?: string) => ({
  anyOf: [schema, { type: 'null' }],
  ...(description ? { description } : {}),
});

export const SESSION_SECURITY = [{ sessionCookie: [] }];

/** An object schema in which every listed property is required (the usual response shape). */
export const objectOf = <P extends Record<string, unknown>>(properties: P) =>
  ({ type: 'object', required: Object.keys(properties), properties }) as const;
