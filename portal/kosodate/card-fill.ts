/**
 * Filling a form from the card's 券面事項入力補助AP (DESIGN §1; native/kenhojo): name, address,
 * birth date and sex (the 基本4情報), and the My Number only where the form asks for it. The app
 * reads them with the resident's consent and PIN; this module only says where each value goes
 * and how it is converted:
 *
 * | card item | on the card                    | in the form                          |
 * | --------- | ------------------------------ | ------------------------------------ |
 * | name      | UTF-8 text, e.g. `見本　花子`    | unchanged (may carry 外字-like kanji; the validator warns) |
 * | address   | UTF-8 text                     | unchanged (the postal code is not on the card) |
 * | birthDate | `YYYYMMDD` (Gregorian)         | `YYYY-MM-DD`                         |
 * | sex       | ISO 5218: `1`, `2`, `9`        | `male`, `female`, `other` (9 = 適用不能) |
 * | myNumber  | 12 ASCII digits                | unchanged                            |
 *
 * Only the applicant's own fields are marked `cardFill` (the card is the applicant's).
 */
import type { Bilingual, CardFillKind, FormDefinition } from './forms/types.ts';

export interface CardData {
  name?: string;
  address?: string;
  /** YYYYMMDD */
  birthDate?: string;
  /** "1" male, "2" female, "9" not applicable */
  sex?: string;
  myNumber?: string;
}

export const CARD_FILL_RULES: Readonly<Record<CardFillKind, { card: string; form: string; label: Bilingual }>> =
  Object.freeze({
    name: { card: 'UTF-8 text', form: 'unchanged', label: { ja: '氏名', en: 'Name' } },
    address: { card: 'UTF-8 text', form: 'unchanged', label: { ja: '住所', en: 'Address' } },
    birthDate: { card: 'YYYYMMDD', form: 'YYYY-MM-DD', label: { ja: '生年月日', en: 'Date of birth' } },
    sex: { card: '1 | 2 | 9 (ISO 5218)', form: 'male | female | other', label: { ja: '性別', en: 'Sex' } },
    myNumber: { card: '12 digits', form: 'unchanged', label: { ja: '個人番号', en: 'My Number' } },
  });

const SEX_FROM_CARD: Readonly<Record<string, string>> = { '1': 'male', '2': 'female', '9': 'other' };

/** The form value for one card item, or undefined when the card did not give a usable one. */
export function cardValueForForm(kind: CardFillKind, card: CardData): string | undefined {
  switch (kind) {
    case 'name':
      return card.name || undefined;
    case 'address':
      return card.address || undefined;
    case 'birthDate': {
      const m = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(card.birthDate ?? '');
      return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
    }
    case 'sex':
      return card.sex !== undefined && Object.hasOwn(SEX_FROM_CARD, card.sex) ? SEX_FROM_CARD[card.sex] : undefined;
    case 'myNumber':
      return /^[0-9]{12}$/.test(card.myNumber ?? '') ? card.myNumber : undefined;
  }
}

/** The card-fillable fields of a form: JSON Pointer and card item. */
export function cardFillTargets(def: FormDefinition): { pointer: string; cardFill: CardFillKind }[] {
  return def.fields.flatMap((f) => (f.cardFill ? [{ pointer: f.pointer, cardFill: f.cardFill }] : []));
}

const unescapeToken = (t: string) => t.replaceAll('~1', '/').replaceAll('~0', '~');

/**
 * A copy of `form` with every card-fillable field set from `card` (overwriting what was there:
 * the card is authoritative and the resident asked for it). Fields the card gave nothing usable
 * for are left alone. Returns the new form and the pointers that were filled.
 */
export function fillFromCard(
  def: FormDefinition,
  form: Record<string, unknown>,
  card: CardData,
): { form: Record<string, unknown>; filled: string[] } {
  const out = structuredClone(form);
  const filled: string[] = [];
  for (const { pointer, cardFill } of cardFillTargets(def)) {
    const value = cardValueForForm(cardFill, card);
    if (value === undefined) continue;
    const tokens = pointer.split('/').slice(1).map(unescapeToken);
    if (tokens.includes('*')) continue; // never inside lists: the card is one person
    let node: Record<string, unknown> = out;
    for (const t of tokens.slice(0, -1)) {
      const next = node[t];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[t] = {};
      node = node[t] as Record<string, unknown>;
    }
    node[tokens[tokens.length - 1]!] = value;
    filled.push(pointer);
  }
  return { form: out, filled };
}
