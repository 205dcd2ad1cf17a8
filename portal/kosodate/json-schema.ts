/**
 * The subset of JSON Schema (draft 2020-12) that the 子育てワンストップ form schemas use and
 * that validate-form.ts implements. The schemas are plain JSON: any 2020-12 validator reads them
 * the same way (we add no keywords of our own; UI metadata lives beside the schema, not in it).
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $comment?: string;
  title?: string;
  description?: string;
  examples?: JsonValue[];

  type?: JsonType | JsonType[];
  const?: JsonValue;
  enum?: JsonValue[];

  // objects
  properties?: Record<string, JsonSchema>;
  required?: string[];
  /** Only the boolean form is used (and implemented). */
  additionalProperties?: boolean;

  // arrays
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  contains?: JsonSchema;

  // strings (lengths count Unicode code points, as the specification says)
  minLength?: number;
  maxLength?: number;
  /** ECMA-262 regular expression, evaluated with the `u` flag; not anchored unless it says so. */
  pattern?: string;
  /** Only `date` (RFC 3339 full-date) is asserted; other formats are annotations. */
  format?: string;

  // numbers
  minimum?: number;
  maximum?: number;

  // combinators
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  not?: JsonSchema;
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
}

/** Every keyword validate-form.ts understands; a schema using another one is a programming error. */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'examples',
  'type',
  'const',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'allOf',
  'anyOf',
  'not',
  'if',
  'then',
  'else',
]);

/** `{ if, then, else }` — built here because `then` is a lint-suspicious property name elsewhere. */
export function ifThen(condition: JsonSchema, then: JsonSchema, otherwise?: JsonSchema): JsonSchema {
  const s: JsonSchema = { if: condition, then };
  if (otherwise) s.else = otherwise;
  return s;
}
