/**
 * Field blocks shared by the procedures' forms (product-anchors §2.5). Values of choices are
 * ASCII keys; their Japanese and English labels travel in the UI metadata.
 */
import type { JsonSchema } from '../json-schema.ts';
import { choice, date, kana, type Node, type Spec, text } from './builder.ts';

export const NAME_MAX = 50;
export const ADDRESS_MAX = 200;

export const PHONE_PATTERN = '^0[0-9]{1,4}-?[0-9]{1,4}-?[0-9]{3,4}$';
export const POSTAL_CODE_PATTERN = '^[0-9]{3}-?[0-9]{4}$';
export const MY_NUMBER_PATTERN = '^[0-9]{12}$';
/** Local part, then dot-separated domain labels (no overlapping repeats: linear matching). */
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)+$';

export const SEX_OPTIONS = [
  ['male', '男', 'Male'],
  ['female', '女', 'Female'],
  ['other', 'その他', 'Other / not applicable'],
] as const;

export const RESIDENCE_OPTIONS = [
  ['together', '同居', 'Living together'],
  ['apart', '別居', 'Living apart'],
] as const;

export function personName(spec: Partial<Spec> = {}): Node {
  return text(
    {
      ja: '氏名',
      en: 'Full name',
      helpJa: '住民票に記載のとおりに入力してください。姓と名の間は全角スペースで区切ります。',
      helpEn: 'As in the residence record (住民票), family name first, separated by a full-width space.',
      ...spec,
    },
    { max: NAME_MAX },
  );
}

export function personNameKana(spec: Partial<Spec> = {}): Node {
  return kana({
    ja: '氏名フリガナ',
    en: 'Name in katakana',
    helpJa: '全角カタカナで入力してください。',
    helpEn: 'In full-width katakana.',
    ...spec,
  });
}

export const birthDate = (spec: Partial<Spec> = {}): Node =>
  date({
    ja: '生年月日',
    en: 'Date of birth',
    helpJa: '西暦で入力してください。',
    helpEn: 'Gregorian calendar.',
    ...spec,
  });

export const sex = (spec: Partial<Spec> = {}): Node => choice({ ja: '性別', en: 'Sex', ...spec }, SEX_OPTIONS, 'radio');

export const postalCode = (): Node =>
  text(
    { ja: '郵便番号', en: 'Postal code', helpJa: '例：100-8111', helpEn: 'e.g. 100-8111' },
    { max: 8, pattern: POSTAL_CODE_PATTERN, input: 'postalCode' },
  );

export const address = (spec: Partial<Spec> = {}): Node =>
  text(
    {
      ja: '住所',
      en: 'Address',
      helpJa: '都道府県から、方書（マンション名・部屋番号）まで入力してください。',
      helpEn: 'From the prefecture down to the building and room number.',
      ...spec,
    },
    { max: ADDRESS_MAX },
  );

export const phone = (spec: Partial<Spec> = {}): Node =>
  text(
    {
      ja: '電話番号',
      en: 'Phone number',
      helpJa: '日中に連絡がとれる番号。ハイフンはあってもなくてもかまいません。',
      helpEn: 'A number where you can be reached in the daytime; hyphens optional.',
      ...spec,
    },
    { max: 13, pattern: PHONE_PATTERN, input: 'tel' },
  );

export const email = (): Node =>
  text({ ja: 'メールアドレス', en: 'E-mail address' }, { max: 254, pattern: EMAIL_PATTERN, input: 'email' });

export function myNumber(spec: Partial<Spec> = {}): Node {
  return text(
    {
      ja: '個人番号',
      en: 'Individual Number (My Number)',
      helpJa: '12桁の数字。番号法に基づき、この手続の審査にのみ利用します。',
      helpEn: '12 digits. Used only to examine this application, as the My Number Act allows.',
      sensitive: true,
      ...spec,
    },
    { max: 12, min: 12, pattern: MY_NUMBER_PATTERN, input: 'myNumber' },
  );
}

export const residence = (spec: Partial<Spec> = {}): Node =>
  choice({ ja: '同居・別居の別', en: 'Living together or apart', ...spec }, RESIDENCE_OPTIONS, 'radio');

/** The `documents` list: which attachment of the package is which document (cf. e-Gov 添付書類属性情報). */
export function documents(kinds: readonly (readonly [string, string, string])[]): Node {
  return {
    t: 'list',
    spec: {
      ja: '添付書類',
      en: 'Attached documents',
      helpJa: '添付するファイルごとに、書類の種類とファイル名を指定します。',
      helpEn: 'For each attached file, the kind of document and the file name.',
    },
    maxItems: 20,
    item: {
      t: 'group',
      spec: { ja: '添付書類', en: 'Attached document' },
      fields: {
        kind: choice({ ja: '書類の種類', en: 'Kind of document' }, kinds),
        fileName: text(
          {
            ja: 'ファイル名',
            en: 'File name',
            helpJa: '添付ファイルの名前（拡張子を含む）',
            helpEn: 'Name of the attached file, with its extension.',
          },
          { max: 120 },
        ),
      },
      required: ['kind', 'fileName'],
    },
  };
}

/** `{ <key>: { <prop>: one of values } }` with both present: a building block for conditions. */
export function whereIn(path: readonly string[], values: readonly (string | boolean)[]): JsonSchema {
  let s: JsonSchema = values.length === 1 ? { const: values[0]! } : { enum: [...values] };
  for (let i = path.length - 1; i >= 0; i--) {
    s = { type: 'object', properties: { [path[i]!]: s }, required: [path[i]!] };
  }
  return s;
}

/** `{ <list>: [ …at least one item where <prop> is one of values… ] }`. */
export function someItem(listKey: string, prop: string, values: readonly (string | boolean)[]): JsonSchema {
  const cond: JsonSchema = values.length === 1 ? { const: values[0]! } : { enum: [...values] };
  return {
    type: 'object',
    properties: {
      [listKey]: { type: 'array', contains: { type: 'object', properties: { [prop]: cond }, required: [prop] } },
    },
    required: [listKey],
  };
}
