/**
 * Validation of a submitted `form` (README "Application package format": the manifest's `form`)
 * against its procedure's JSON Schema, without a JSON Schema library: a small validator for the
 * subset in json-schema.ts — type, const, enum, properties, required, additionalProperties: false,
 * items, minItems, maxItems, uniqueItems, contains, minLength, maxLength (code points), pattern
 * (ECMA-262, `u` flag), format `date` (asserted: a real calendar date, YYYY-MM-DD), minimum,
 * maximum, allOf, anyOf, not, if/then/else. A schema that uses any other keyword is refused.
 *
 * On top of the schema, a few checks the schema cannot say: the My Number check digit of every
 * 個人番号 field, and for 保育所: pick-up after drop-off, no facility listed twice for a child.
 *
 * Errors and warnings carry a JSON Pointer (RFC 6901) `path` to the offending value — for a
 * missing or an unknown member, the pointer of that member — a stable `code`, and messages in
 * English and Japanese that name the field by its labels (e.g. 「支給要件児童 2 › 生年月日」).
 *
 * Warnings never make a form invalid: characters outside JIS X 0208 in free text (jis.ts) and
 * text not in NFC.
 */
import { getMunicipality, isProcedureId, onlineService, type ProcedureId } from './catalog.ts';
import { isValidMunicipalityCode, isValidMyNumber } from './codes.ts';
import { getForm } from './forms/index.ts';
import type { AttachmentSpec, Bilingual, FieldUi, FormDefinition } from './forms/types.ts';
import { JIS_VARIANT_SUGGESTIONS, nonJisX0208Characters } from './jis.ts';
import { type JsonSchema, type JsonType, SUPPORTED_KEYWORDS } from './json-schema.ts';

export type IssueCode =
  // schema
  | 'type'
  | 'required'
  | 'additional-property'
  | 'not-allowed'
  | 'const'
  | 'enum'
  | 'pattern'
  | 'format'
  | 'min-length'
  | 'max-length'
  | 'minimum'
  | 'maximum'
  | 'min-items'
  | 'max-items'
  | 'unique-items'
  | 'contains'
  | 'any-of'
  | 'not'
  // beyond the schema
  | 'my-number'
  | 'time-order'
  | 'duplicate-facility'
  | 'unknown-procedure'
  | 'too-many-errors'
  // application level
  | 'municipality-code'
  | 'unknown-municipality'
  | 'not-offered-online'
  | 'attachment-missing'
  | 'attachment-undeclared'
  | 'attachment-duplicate'
  | 'attachment-media-type'
  | 'attachment-required'
  | 'attachment-too-many'
  // warnings
  | 'jis-x-0208'
  | 'not-nfc';

export interface FormIssue {
  /** JSON Pointer into the form (validateForm) or the manifest (checkAttachments, validateApplication). */
  path: string;
  code: IssueCode;
  message: string;
  messageJa: string;
}

export type FormValidationResult =
  | { ok: true; warnings: FormIssue[] }
  | { ok: false; errors: FormIssue[]; warnings: FormIssue[] };

export const MAX_REPORTED_ERRORS = 100;

type Labels = ReadonlyMap<string, FieldUi>;

interface Ctx {
  errors: FormIssue[];
  warnings: FormIssue[];
  labels: Labels;
  /** Evaluating `if`/`anyOf`/`not`/`contains`: stop at the first failure, report nothing. */
  silent: boolean;
  full: boolean;
}

class TooManyErrors extends Error {}

const escapeToken = (k: string) => k.replaceAll('~', '~0').replaceAll('/', '~1');
const pointer = (tokens: readonly string[]) => tokens.map((t) => `/${escapeToken(t)}`).join('');

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

function typeOf(v: unknown): JsonType | 'invalid' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isFinite(v) ? (Number.isInteger(v) ? 'integer' : 'number') : 'invalid';
    case 'object':
      return 'object';
    default:
      return 'invalid';
  }
}

function hasType(v: unknown, t: JsonType): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

const TYPE_WORDS: Record<JsonType, Bilingual> = {
  object: { ja: '項目のまとまり（オブジェクト）', en: 'an object' },
  array: { ja: '一覧（配列）', en: 'an array' },
  string: { ja: '文字列', en: 'a string' },
  integer: { ja: '整数', en: 'an integer' },
  number: { ja: '数値', en: 'a number' },
  boolean: { ja: 'はい／いいえ（真偽値）', en: 'true or false' },
  null: { ja: 'null', en: 'null' },
};

const patternCache = new Map<string, RegExp>();
function regex(p: string): RegExp {
  let r = patternCache.get(p);
  if (!r) {
    r = new RegExp(p, 'u');
    patternCache.set(p, r);
  }
  return r;
}

/** RFC 3339 full-date that exists in the Gregorian calendar. */
export function isCalendarDate(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

/** 「支給要件児童 2 › 生年月日」 and "Eligible children 2 › Date of birth" for a path. */
function labelFor(tokens: readonly string[], labels: Labels): Bilingual {
  const ja: string[] = [];
  const en: string[] = [];
  const template: string[] = [];
  for (const t of tokens) {
    const parent = labels.get(pointer(template));
    if (/^[0-9]+$/.test(t) && parent?.kind === 'list') {
      template.push('*');
      const n = String(Number(t) + 1);
      if (ja.length) ja[ja.length - 1] += ` ${n}`;
      if (en.length) en[en.length - 1] += ` ${n}`;
      continue;
    }
    template.push(t);
    const ui = labels.get(pointer(template));
    ja.push(ui ? ui.label.ja : t);
    en.push(ui ? ui.label.en : t);
  }
  return ja.length ? { ja: ja.join(' › '), en: en.join(' › ') } : { ja: 'フォーム', en: 'The form' };
}

function uiAt(tokens: readonly string[], labels: Labels): FieldUi | undefined {
  const template: string[] = [];
  for (const t of tokens) {
    const parent = labels.get(pointer(template));
    template.push(/^[0-9]+$/.test(t) && parent?.kind === 'list' ? '*' : t);
  }
  return labels.get(pointer(template));
}

function report(
  ctx: Ctx,
  tokens: readonly string[],
  code: IssueCode,
  en: (l: string) => string,
  ja: (l: string) => string,
): void {
  if (ctx.silent) return;
  if (ctx.errors.length >= MAX_REPORTED_ERRORS) {
    ctx.errors.push({
      path: '',
      code: 'too-many-errors',
      message: `more than ${MAX_REPORTED_ERRORS} errors; the rest are not listed`,
      messageJa: `誤りが${MAX_REPORTED_ERRORS}件を超えたため、以降は表示していません`,
    });
    throw new TooManyErrors();
  }
  const l = labelFor(tokens, ctx.labels);
  ctx.errors.push({ path: pointer(tokens), code, message: en(l.en), messageJa: ja(l.ja) });
}

const help = (tokens: readonly string[], ctx: Ctx): Bilingual | undefined => uiAt(tokens, ctx.labels)?.help;

function warnText(ctx: Ctx, tokens: readonly string[], s: string): void {
  if (ctx.silent || !ctx.full) return;
  // The label only when there is something to say (every string of every form passes through here).
  const label = () => labelFor(tokens, ctx.labels);
  const odd = nonJisX0208Characters(s);
  if (odd.length > 0) {
    const l = label();
    const list = odd.join('・');
    const hints = odd.filter((c) => JIS_VARIANT_SUGGESTIONS[c]).map((c) => `${c}→${JIS_VARIANT_SUGGESTIONS[c]}`);
    ctx.warnings.push({
      path: pointer(tokens),
      code: 'jis-x-0208',
      message:
        `${l.en} contains characters outside JIS X 0208 that the municipality's system may not accept: ${odd.join(' ')}` +
        (hints.length ? ` (usual substitutes: ${hints.join(', ')})` : '') +
        '. Keep them if that is how the name is registered; the municipality may contact you.',
      messageJa:
        `「${l.ja}」に、市区町村のシステムで受け付けられない可能性のある文字（JIS第1・第2水準以外）が含まれています：${list}` +
        (hints.length ? `（通常の字形：${hints.join('、')}）` : '') +
        '。住民票どおりの表記であればそのままで構いません。市区町村から確認の連絡をすることがあります。',
    });
  }
  if (s.normalize('NFC') !== s) {
    const l = label();
    ctx.warnings.push({
      path: pointer(tokens),
      code: 'not-nfc',
      message: `${l.en} is not in Unicode NFC (e.g. a separate voiced mark); it will be read as its NFC form`,
      messageJa: `「${l.ja}」の文字が正規化（NFC）されていません（濁点が分離しているなど）`,
    });
  }
}

function check(schema: JsonSchema, value: unknown, tokens: string[], ctx: Ctx): boolean {
  let ok = true;
  const fail = (code: IssueCode, en: (l: string) => string, ja: (l: string) => string, at = tokens): boolean => {
    ok = false;
    report(ctx, at, code, en, ja);
    return ctx.silent; // true → stop now
  };

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(value, t))) {
      const want = types.map((t) => TYPE_WORDS[t]);
      fail(
        'type',
        (l) => `${l} must be ${want.map((w) => w.en).join(' or ')}`,
        (l) => `「${l}」は${want.map((w) => w.ja).join('または')}で指定してください`,
      );
      return false;
    }
  }

  if (schema.const !== undefined && !jsonEqual(value, schema.const)) {
    const c = schema.const;
    if (
      fail(
        'const',
        (l) => (c === true ? `${l}: this box must be ticked` : `${l} must be ${JSON.stringify(c)}`),
        (l) => (c === true ? `「${l}」にチェックしてください` : `「${l}」の値が正しくありません`),
      )
    )
      return false;
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => jsonEqual(value, e))) {
    const options = uiAt(tokens, ctx.labels)?.options;
    const allowedEn = options
      ? options.map((o) => `${JSON.stringify(o.value)} (${o.label.en})`).join(', ')
      : schema.enum.map((e) => JSON.stringify(e)).join(', ');
    const allowedJa = options
      ? options.map((o) => o.label.ja).join('、')
      : schema.enum.map((e) => JSON.stringify(e)).join('、');
    if (
      fail(
        'enum',
        (l) => `${l} must be one of ${allowedEn}`,
        (l) => `「${l}」は選択肢（${allowedJa}）から選んでください`,
      )
    )
      return false;
  }

  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) {
      const min = schema.minLength;
      if (
        fail(
          'min-length',
          (l) => (length === 0 ? `${l} must not be empty` : `${l} must be at least ${min} characters (has ${length})`),
          (l) =>
            length === 0 ? `「${l}」を入力してください` : `「${l}」は${min}文字以上で入力してください（${length}文字）`,
        )
      )
        return false;
    }
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      const max = schema.maxLength;
      if (
        fail(
          'max-length',
          (l) => `${l} must be at most ${max} characters (has ${length})`,
          (l) => `「${l}」は${max}文字以内で入力してください（${length}文字）`,
        )
      )
        return false;
    }
    const isDate = schema.format === 'date';
    // A value already too long is not matched against the pattern (bounded regex work per field).
    const tooLong = schema.maxLength !== undefined && length > schema.maxLength;
    if (schema.pattern !== undefined && !tooLong && !isDate && !regex(schema.pattern).test(value)) {
      const h = help(tokens, ctx);
      if (
        fail(
          'pattern',
          (l) => `${l} is not in the expected format${h ? ` (${h.en})` : ''}`,
          (l) => `「${l}」の書式が正しくありません${h ? `（${h.ja}）` : ''}`,
        )
      )
        return false;
    }
    if (isDate && !(isCalendarDate(value) && (schema.pattern === undefined || regex(schema.pattern).test(value)))) {
      if (
        fail(
          'format',
          (l) => `${l} must be a real date written YYYY-MM-DD`,
          (l) => `「${l}」は実在する日付をYYYY-MM-DDの形式で入力してください`,
        )
      )
        return false;
    }
    if (schema.enum === undefined && schema.const === undefined) warnText(ctx, tokens, value);
  }

  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      const min = schema.minimum;
      if (
        fail(
          'minimum',
          (l) => `${l} must be at least ${min}`,
          (l) => `「${l}」は${min}以上にしてください`,
        )
      )
        return false;
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      const max = schema.maximum;
      if (
        fail(
          'maximum',
          (l) => `${l} must be at most ${max}`,
          (l) => `「${l}」は${max}以下にしてください`,
        )
      )
        return false;
    }
  }

  if (isPlainObject(value)) {
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(value, key)) {
        if (
          fail(
            'required',
            (l) => `${l} is required`,
            (l) => `「${l}」を入力してください`,
            [...tokens, key],
          )
        )
          return false;
      }
    }
    const props = schema.properties ?? {};
    for (const key of Object.keys(value)) {
      const sub = Object.hasOwn(props, key) ? props[key] : undefined;
      if (sub) {
        if (!check(sub, value[key], [...tokens, key], ctx)) {
          ok = false;
          if (ctx.silent) return false;
        }
      } else if (schema.additionalProperties === false) {
        if (
          fail(
            'additional-property',
            () =>
              `unknown member ${JSON.stringify(key)}${tokens.length ? ` in ${labelFor(tokens, ctx.labels).en}` : ''}`,
            () => `未知の項目「${key}」があります${tokens.length ? `（${labelFor(tokens, ctx.labels).ja}）` : ''}`,
            [...tokens, key],
          )
        )
          return false;
      }
    }
  }

  if (Array.isArray(value)) {
    const n = value.length;
    if (schema.minItems !== undefined && n < schema.minItems) {
      const min = schema.minItems;
      if (
        fail(
          'min-items',
          (l) => `${l} needs at least ${min} ${min === 1 ? 'entry' : 'entries'} (has ${n})`,
          (l) => `「${l}」を${min}件以上入力してください（${n}件）`,
        )
      )
        return false;
    }
    if (schema.maxItems !== undefined && n > schema.maxItems) {
      const max = schema.maxItems;
      if (
        fail(
          'max-items',
          (l) => `${l} can have at most ${max} entries (has ${n})`,
          (l) => `「${l}」は${max}件までです（${n}件）`,
        )
      )
        return false;
    }
    if (schema.uniqueItems) {
      const dup = value.findIndex((v, i) => value.slice(0, i).some((w) => jsonEqual(v, w)));
      if (dup >= 0) {
        if (
          fail(
            'unique-items',
            (l) => `${l} lists the same entry twice`,
            (l) => `「${l}」に重複があります`,
            [...tokens, String(dup)],
          )
        )
          return false;
      }
    }
    if (schema.items) {
      for (let i = 0; i < n; i++) {
        if (!check(schema.items, value[i], [...tokens, String(i)], ctx)) {
          ok = false;
          if (ctx.silent) return false;
        }
      }
    }
    if (schema.contains) {
      const contains = schema.contains;
      if (!value.some((v, i) => passes(contains, v, [...tokens, String(i)], ctx))) {
        if (
          fail(
            'contains',
            (l) => `${l} has no entry of the required kind`,
            (l) => `「${l}」に必要な項目がありません`,
          )
        )
          return false;
      }
    }
  }

  for (const sub of schema.allOf ?? []) {
    if (!check(sub, value, tokens, ctx)) {
      ok = false;
      if (ctx.silent) return false;
    }
  }
  if (schema.anyOf && !schema.anyOf.some((sub) => passes(sub, value, tokens, ctx))) {
    if (
      fail(
        'any-of',
        (l) => `${l} matches none of the allowed alternatives`,
        (l) => `「${l}」がいずれの条件にも当てはまりません`,
      )
    )
      return false;
  }
  if (schema.not && passes(schema.not, value, tokens, ctx)) {
    const only = schema.not;
    const keys = Object.keys(only);
    if (keys.length === 1 && only.required && isPlainObject(value)) {
      // `not: { required: [...] }`: these members must be absent.
      for (const key of only.required) {
        if (
          Object.hasOwn(value, key) &&
          fail(
            'not-allowed',
            (l) => `${l} must not be given here`,
            (l) => `「${l}」は入力しないでください`,
            [...tokens, key],
          )
        )
          return false;
      }
    } else if (
      fail(
        'not',
        (l) => `${l} is not allowed`,
        (l) => `「${l}」の内容は受け付けられません`,
      )
    ) {
      return false;
    }
  }
  if (schema.if) {
    const branch = passes(schema.if, value, tokens, ctx) ? schema.then : schema.else;
    if (branch && !check(branch, value, tokens, ctx)) {
      ok = false;
      if (ctx.silent) return false;
    }
  }
  return ok;
}

function passes(schema: JsonSchema, value: unknown, tokens: string[], ctx: Ctx): boolean {
  return check(schema, value, tokens, { ...ctx, silent: true, errors: [], warnings: [] });
}

/** Every keyword of the schema tree is one validate-form implements (throws otherwise). */
export function assertSupportedSchema(schema: JsonSchema, at = '#'): void {
  for (const k of Object.keys(schema)) {
    if (!SUPPORTED_KEYWORDS.has(k)) throw new Error(`unsupported JSON Schema keyword ${k} at ${at}`);
  }
  if (schema.additionalProperties !== undefined && typeof schema.additionalProperties !== 'boolean') {
    throw new Error(`additionalProperties must be boolean at ${at}`);
  }
  for (const [k, s] of Object.entries(schema.properties ?? {})) assertSupportedSchema(s, `${at}/properties/${k}`);
  for (const k of ['items', 'contains', 'not', 'if', 'then', 'else'] as const) {
    const s = schema[k];
    if (s) assertSupportedSchema(s, `${at}/${k}`);
  }
  for (const k of ['allOf', 'anyOf'] as const) {
    for (const [i, s] of (schema[k] ?? []).entries()) assertSupportedSchema(s, `${at}/${k}/${i}`);
  }
}

function labelsOf(def: FormDefinition | undefined): Labels {
  return new Map((def?.fields ?? []).map((f) => [f.pointer, f]));
}

/**
 * Validate any value against a schema of the supported subset. `fields` (a form's UI metadata)
 * lets messages name fields by their labels. Warnings (JIS X 0208, NFC) are collected for
 * strings without enum/const.
 */
export function validateAgainstSchema(
  schema: JsonSchema,
  value: unknown,
  fields: readonly FieldUi[] = [],
): { errors: FormIssue[]; warnings: FormIssue[] } {
  assertSupportedSchema(schema);
  const ctx: Ctx = {
    errors: [],
    warnings: [],
    labels: new Map(fields.map((f) => [f.pointer, f])),
    silent: false,
    full: true,
  };
  try {
    check(schema, value, [], ctx);
  } catch (e) {
    if (!(e instanceof TooManyErrors)) throw e;
  }
  return { errors: dedupe(ctx.errors), warnings: dedupe(ctx.warnings) };
}

/** True when `value` satisfies `schema` (no messages). */
export function matchesSchema(schema: JsonSchema, value: unknown): boolean {
  return check(schema, value, [], { errors: [], warnings: [], labels: new Map(), silent: true, full: false });
}

/** The concrete values at a pointer template (`*` = every item of a list) with their tokens. */
function valuesAt(form: unknown, template: string): { tokens: string[]; value: unknown }[] {
  let cur: { tokens: string[]; value: unknown }[] = [{ tokens: [], value: form }];
  for (const raw of template.split('/').slice(1)) {
    const t = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const next: { tokens: string[]; value: unknown }[] = [];
    for (const c of cur) {
      if (t === '*') {
        if (Array.isArray(c.value)) {
          for (const [i, v] of c.value.entries()) next.push({ tokens: [...c.tokens, String(i)], value: v });
        }
      } else if (isPlainObject(c.value) && Object.hasOwn(c.value, t)) {
        next.push({ tokens: [...c.tokens, t], value: c.value[t] });
      }
    }
    cur = next;
  }
  return cur;
}

function semanticChecks(def: FormDefinition, form: unknown, ctx: Ctx): void {
  for (const f of def.fields) {
    if (f.input !== 'myNumber') continue;
    for (const { tokens, value } of valuesAt(form, f.pointer)) {
      if (typeof value === 'string' && /^[0-9]{12}$/.test(value) && !isValidMyNumber(value)) {
        report(
          ctx,
          tokens,
          'my-number',
          (l) => `${l} is not a valid My Number (wrong check digit)`,
          (l) => `「${l}」の検査用数字が正しくありません。番号を確かめてください`,
        );
      }
    }
  }
  if (def.procedureId === 'hoikusho-nyusho' && isPlainObject(form)) {
    const usage = form.usage;
    if (isPlainObject(usage)) {
      const a = usage.dropOffTime;
      const b = usage.pickUpTime;
      const hhmm = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
      if (typeof a === 'string' && typeof b === 'string' && hhmm.test(a) && hhmm.test(b) && b <= a) {
        report(
          ctx,
          ['usage', 'pickUpTime'],
          'time-order',
          (l) => `${l} must be later than the drop-off time`,
          (l) => `「${l}」は登園時刻より後にしてください`,
        );
      }
    }
    for (const { tokens, value } of valuesAt(form, '/children/*/desiredFacilities')) {
      if (!Array.isArray(value)) continue;
      const seen = new Set<string>();
      value.forEach((fac, i) => {
        if (!isPlainObject(fac) || typeof fac.name !== 'string') return;
        const key = fac.name.normalize('NFKC').replace(/\s+/gu, '');
        if (seen.has(key)) {
          report(
            ctx,
            [...tokens, String(i), 'name'],
            'duplicate-facility',
            (l) => `${l}: the same facility is listed twice`,
            (l) => `「${l}」：同じ施設が重複しています`,
          );
        }
        seen.add(key);
      });
    }
  }
}

/** One issue per path and code (a value can be reached twice through allOf/then branches). */
function dedupe(issues: FormIssue[]): FormIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.code}\u0000${i.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function result(errors: FormIssue[], warnings: FormIssue[]): FormValidationResult {
  return errors.length
    ? { ok: false, errors: dedupe(errors), warnings: dedupe(warnings) }
    : { ok: true, warnings: dedupe(warnings) };
}

/** Validate a submitted form object against the procedure's schema (and the checks above). */
export function validateForm(procedureId: string, form: unknown): FormValidationResult {
  const def = getForm(procedureId);
  if (!def) {
    return {
      ok: false,
      errors: [
        {
          path: '',
          code: 'unknown-procedure',
          message: `no online procedure ${JSON.stringify(procedureId)}`,
          messageJa: `手続「${procedureId}」はオンライン申請の対象ではありません`,
        },
      ],
      warnings: [],
    };
  }
  const ctx: Ctx = { errors: [], warnings: [], labels: labelsOf(def), silent: false, full: true };
  try {
    check(def.schema, form, [], ctx);
    semanticChecks(def, form, ctx);
  } catch (e) {
    if (!(e instanceof TooManyErrors)) throw e;
  }
  return result(ctx.errors, ctx.warnings);
}

/** Whether the attachment kind is required for this form (always, or by its `requiredWhen`). */
export function isAttachmentRequired(spec: AttachmentSpec, form: unknown): boolean {
  return spec.required || (spec.requiredWhen !== undefined && matchesSchema(spec.requiredWhen, form));
}

/** The attachment kinds this form requires. */
export function requiredAttachments(procedureId: string, form: unknown): AttachmentSpec[] {
  return (getForm(procedureId)?.attachments ?? []).filter((a) => isAttachmentRequired(a, form));
}

export interface AttachmentRef {
  name: string;
  mediaType: string;
}

/**
 * The package's attachments against `form.documents` and the procedure's attachment list. Paths
 * are rooted at the manifest (`/form/documents/0/fileName`, `/attachments/2`). Checks: each
 * declared file exists in the package, once; each attachment is declared; media types allowed
 * for the kind; at most `maxFiles` per kind; every required kind present.
 */
export function checkAttachments(
  procedureId: string,
  form: unknown,
  attachments: readonly AttachmentRef[],
): FormIssue[] {
  const def = getForm(procedureId);
  if (!def) return [];
  const out: FormIssue[] = [];
  const docs = isPlainObject(form) && Array.isArray(form.documents) ? form.documents : [];
  const counts = new Map<string, number>();
  const declared = new Set<string>();
  docs.forEach((d, i) => {
    if (!isPlainObject(d) || typeof d.kind !== 'string' || typeof d.fileName !== 'string') return; // schema reports it
    const path = `/form/documents/${i}/fileName`;
    const spec = def.attachments.find((a) => a.kind === d.kind);
    if (!spec) return; // the schema's enum reports it
    if (declared.has(d.fileName)) {
      out.push({
        path,
        code: 'attachment-duplicate',
        message: `file ${JSON.stringify(d.fileName)} is declared twice in form.documents`,
        messageJa: `ファイル「${d.fileName}」が添付書類に二重に指定されています`,
      });
      return;
    }
    declared.add(d.fileName);
    counts.set(spec.kind, (counts.get(spec.kind) ?? 0) + 1);
    const att = attachments.find((a) => a.name === d.fileName);
    if (!att) {
      out.push({
        path,
        code: 'attachment-missing',
        message: `${spec.name.en}: file ${JSON.stringify(d.fileName)} is not in the package`,
        messageJa: `${spec.name.ja}：ファイル「${d.fileName}」が添付されていません`,
      });
    } else if (!(spec.mediaTypes as readonly string[]).includes(att.mediaType)) {
      out.push({
        path,
        code: 'attachment-media-type',
        message: `${spec.name.en}: ${att.mediaType} is not accepted (use ${spec.mediaTypes.join(', ')})`,
        messageJa: `${spec.name.ja}：${att.mediaType} 形式は受け付けていません（${spec.mediaTypes.join('、')}）`,
      });
    }
  });
  attachments.forEach((a, i) => {
    if (!declared.has(a.name)) {
      out.push({
        path: `/attachments/${i}`,
        code: 'attachment-undeclared',
        message: `attachment ${JSON.stringify(a.name)} is not listed in form.documents`,
        messageJa: `添付ファイル「${a.name}」の書類の種類が指定されていません`,
      });
    }
  });
  for (const spec of def.attachments) {
    const n = counts.get(spec.kind) ?? 0;
    if (n > spec.maxFiles) {
      out.push({
        path: '/form/documents',
        code: 'attachment-too-many',
        message: `${spec.name.en}: at most ${spec.maxFiles} files (has ${n})`,
        messageJa: `${spec.name.ja}：${spec.maxFiles}件までです（${n}件）`,
      });
    }
    if (n === 0 && isAttachmentRequired(spec, form)) {
      const why = spec.condition;
      out.push({
        path: '/form/documents',
        code: 'attachment-required',
        message: `${spec.name.en} is required${why ? ` (${why.en.toLowerCase()})` : ''}`,
        messageJa: `${spec.name.ja}を添付してください${why ? `（${why.ja}）` : ''}`,
      });
    }
  }
  return out;
}

export interface ApplicationInput {
  procedureId: string;
  municipalityCode: string;
  form: unknown;
  attachments: readonly AttachmentRef[];
}

/**
 * Everything the receiving municipality checks about an application's content once its package
 * and signature are verified: the procedure, the municipality (valid code, in the catalog, takes
 * this procedure online), the form, and the attachments. Paths are rooted at the manifest.
 */
export function validateApplication(app: ApplicationInput): FormValidationResult {
  const errors: FormIssue[] = [];
  if (!isProcedureId(app.procedureId)) {
    errors.push({
      path: '/procedure/id',
      code: 'unknown-procedure',
      message: `no online procedure ${JSON.stringify(app.procedureId)}`,
      messageJa: `手続「${app.procedureId}」はオンライン申請の対象ではありません`,
    });
    return { ok: false, errors, warnings: [] };
  }
  const procedureId: ProcedureId = app.procedureId;
  if (!isValidMunicipalityCode(app.municipalityCode)) {
    errors.push({
      path: '/municipality/code',
      code: 'municipality-code',
      message: `${JSON.stringify(app.municipalityCode)} is not a valid local government code (6 digits with check digit)`,
      messageJa: `「${app.municipalityCode}」は正しい全国地方公共団体コード（検査数字付き6桁）ではありません`,
    });
  } else if (!getMunicipality(app.municipalityCode)) {
    errors.push({
      path: '/municipality/code',
      code: 'unknown-municipality',
      message: `municipality ${app.municipalityCode} does not take applications through this portal`,
      messageJa: `団体コード ${app.municipalityCode} の市区町村は、このポータルで申請を受け付けていません`,
    });
  } else if (!onlineService(app.municipalityCode, procedureId)) {
    const m = getMunicipality(app.municipalityCode)!;
    errors.push({
      path: '/procedure/id',
      code: 'not-offered-online',
      message: `${m.nameEn} does not take ${procedureId} online`,
      messageJa: `${m.name}では、この手続のオンライン申請を受け付けていません`,
    });
  }
  const form = validateForm(procedureId, app.form);
  const prefix = (i: FormIssue): FormIssue => ({ ...i, path: `/form${i.path}` });
  if (!form.ok) errors.push(...form.errors.map(prefix));
  errors.push(...checkAttachments(procedureId, app.form, app.attachments));
  return result(errors, form.warnings.map(prefix));
}
