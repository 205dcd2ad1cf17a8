/**
 * A small builder that writes a form's JSON Schema and its UI metadata from one description, so
 * the two cannot drift apart: every schema node gets `title` (the Japanese label) and
 * `description` (the Japanese help), and one FieldUi entry with both languages.
 */
import { JSON_SCHEMA_DIALECT, type JsonSchema } from '../json-schema.ts';
import type { Bilingual, CardFillKind, FieldOption, FieldUi, InputHint } from './types.ts';

export interface Spec {
  ja: string;
  en: string;
  helpJa?: string;
  helpEn?: string;
  cardFill?: CardFillKind;
  sensitive?: boolean;
}

export type Node =
  | { t: 'field'; spec: Spec; schema: JsonSchema; input: InputHint; options?: FieldOption[] }
  | {
      t: 'group';
      spec: Spec;
      fields: Record<string, Node>;
      required: string[];
      rules?: Pick<JsonSchema, 'allOf' | 'if' | 'then' | 'else'>;
    }
  | { t: 'list'; spec: Spec; item: Node; minItems?: number; maxItems: number; uniqueItems?: boolean };

/** 全角カタカナ (with ー ・ and spaces): the フリガナ fields. */
export const KATAKANA_PATTERN = '^[\\u30A1-\\u30F6\\u30FC\\u30FB\\u3000 ]+$';
export const DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
export const TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

export function text(
  spec: Spec,
  o: { max: number; min?: number; pattern?: string; input?: InputHint; format?: string },
): Node {
  const schema: JsonSchema = { type: 'string', minLength: o.min ?? 1, maxLength: o.max };
  if (o.pattern) schema.pattern = o.pattern;
  if (o.format) schema.format = o.format;
  return { t: 'field', spec, schema, input: o.input ?? 'text' };
}

export const kana = (spec: Spec, max = 60): Node => text(spec, { max, pattern: KATAKANA_PATTERN, input: 'kana' });

export const date = (spec: Spec): Node => ({
  t: 'field',
  spec,
  schema: { type: 'string', format: 'date', pattern: DATE_PATTERN },
  input: 'date',
});

export const time = (spec: Spec): Node => ({
  t: 'field',
  spec,
  schema: { type: 'string', pattern: TIME_PATTERN },
  input: 'time',
});

export function choice(
  spec: Spec,
  options: readonly (readonly [string, string, string])[],
  input: InputHint = 'select',
): Node {
  return {
    t: 'field',
    spec,
    schema: { type: 'string', enum: options.map((o) => o[0]) },
    input,
    options: options.map(([value, ja, en]) => ({ value, label: { ja, en } })),
  };
}

export const flag = (spec: Spec): Node => ({ t: 'field', spec, schema: { type: 'boolean' }, input: 'checkbox' });

/** A box that must be ticked (誓約・同意). */
export const mustAccept = (spec: Spec): Node => ({
  t: 'field',
  spec,
  schema: { type: 'boolean', const: true },
  input: 'checkbox',
});

export const int = (spec: Spec, minimum: number, maximum: number): Node => ({
  t: 'field',
  spec,
  schema: { type: 'integer', minimum, maximum },
  input: 'number',
});

export const num = (spec: Spec, minimum: number, maximum: number): Node => ({
  t: 'field',
  spec,
  schema: { type: 'number', minimum, maximum },
  input: 'number',
});

export function group(
  spec: Spec,
  fields: Record<string, Node>,
  required: string[],
  rules?: Pick<JsonSchema, 'allOf' | 'if' | 'then' | 'else'>,
): Node {
  return rules ? { t: 'group', spec, fields, required, rules } : { t: 'group', spec, fields, required };
}

export function list(spec: Spec, item: Node, o: { min?: number; max: number; unique?: boolean }): Node {
  const node: Node = { t: 'list', spec, item, maxItems: o.max };
  if (o.min !== undefined) node.minItems = o.min;
  if (o.unique) node.uniqueItems = true;
  return node;
}

/** Re-label a node (e.g. the same person block as 請求者 or 配偶者). */
export function relabel(node: Node, spec: Partial<Spec>): Node {
  return { ...node, spec: { ...node.spec, ...spec } } as Node;
}

const escapeToken = (k: string) => k.replaceAll('~', '~0').replaceAll('/', '~1');

function bilingual(ja: string | undefined, en: string | undefined): Bilingual | undefined {
  return ja !== undefined && en !== undefined ? { ja, en } : undefined;
}

function annotate(spec: Spec): JsonSchema {
  const s: JsonSchema = { title: spec.ja };
  if (spec.helpJa) s.description = spec.helpJa;
  return s;
}

function compileNode(node: Node, pointer: string, fields: FieldUi[]): JsonSchema {
  const ui: FieldUi = { pointer, kind: node.t, label: { ja: node.spec.ja, en: node.spec.en } };
  const help = bilingual(node.spec.helpJa, node.spec.helpEn);
  if (help) ui.help = help;
  if (node.t === 'field') {
    ui.input = node.input;
    if (node.options) ui.options = node.options;
  }
  if (node.spec.cardFill) ui.cardFill = node.spec.cardFill;
  if (node.spec.sensitive) ui.sensitive = true;
  fields.push(ui);

  switch (node.t) {
    case 'field':
      return { ...annotate(node.spec), ...node.schema };
    case 'list': {
      const s: JsonSchema = { ...annotate(node.spec), type: 'array' };
      s.items = compileNode(node.item, `${pointer}/*`, fields);
      if (node.minItems !== undefined) s.minItems = node.minItems;
      s.maxItems = node.maxItems;
      if (node.uniqueItems) s.uniqueItems = true;
      return s;
    }
    case 'group':
      return { ...annotate(node.spec), ...compileGroupBody(node.fields, node.required, node.rules, pointer, fields) };
  }
}

function compileGroupBody(
  members: Record<string, Node>,
  required: string[],
  rules: Pick<JsonSchema, 'allOf' | 'if' | 'then' | 'else'> | undefined,
  pointer: string,
  fields: FieldUi[],
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, child] of Object.entries(members)) {
    properties[key] = compileNode(child, `${pointer}/${escapeToken(key)}`, fields);
  }
  return { type: 'object', properties, required, additionalProperties: false, ...rules };
}

/** The whole form: a root object schema with `$schema`/`$id`, and the UI list. */
export function compileForm(o: {
  procedureId: string;
  version: number;
  title: Bilingual;
  fields: Record<string, Node>;
  required: string[];
  rules?: Pick<JsonSchema, 'allOf' | 'if' | 'then' | 'else'>;
}): { schema: JsonSchema; fields: FieldUi[] } {
  const ui: FieldUi[] = [];
  const body = compileGroupBody(o.fields, o.required, o.rules, '', ui);
  const schema: JsonSchema = {
    $schema: JSON_SCHEMA_DIALECT,
    $id: `urn:myna-companion:kosodate:form:${o.procedureId}:${o.version}`,
    title: o.title.ja,
    ...body,
  };
  return { schema, fields: ui };
}
