/**
 * What a form definition is: a JSON Schema (2020-12) of the `form` object of an application
 * package (README "Application package format"), UI metadata for every node of it, and the
 * attachments the procedure expects. All of it is plain JSON, so the service can serve it and
 * the renderer can build the form from it.
 */
import type { JsonSchema } from '../json-schema.ts';

export interface Bilingual {
  ja: string;
  en: string;
}

/**
 * The items the card's 券面事項入力補助AP can supply (card-fill.ts says how each value maps):
 * name, address, birthDate (card `YYYYMMDD` → form `YYYY-MM-DD`), sex (card `1`/`2`/`9` → form
 * `male`/`female`/`other`), myNumber (12 digits, only where the procedure needs it).
 */
export type CardFillKind = 'name' | 'address' | 'birthDate' | 'sex' | 'myNumber';

/** A hint for the renderer; validation never depends on it, except `myNumber` (check digit). */
export type InputHint =
  | 'text'
  | 'textarea'
  | 'kana'
  | 'date'
  | 'time'
  | 'select'
  | 'radio'
  | 'checkbox'
  | 'tel'
  | 'email'
  | 'postalCode'
  | 'digits'
  | 'number'
  | 'myNumber';

export interface FieldOption {
  value: string;
  label: Bilingual;
}

export interface FieldUi {
  /**
   * JSON Pointer (RFC 6901) of the node in the form, array items written `*`:
   * `/applicant/name`, `/children/*` (one child), `/children/*\/birthDate`.
   */
  pointer: string;
  kind: 'group' | 'list' | 'field';
  label: Bilingual;
  help?: Bilingual;
  input?: InputHint;
  /** For enum fields (and lists of enum values): each value with its labels, in display order. */
  options?: FieldOption[];
  cardFill?: CardFillKind;
  /** Mask on screen, keep out of logs (個人番号). */
  sensitive?: boolean;
}

export const ATTACHMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AttachmentMediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number];

export interface AttachmentSpec {
  /** ASCII key, the value of `form.documents[].kind`. */
  kind: string;
  name: Bilingual;
  mediaTypes: AttachmentMediaType[];
  /** Required in every application. */
  required: boolean;
  /** Required (when `required` is false) if the form matches this schema. */
  requiredWhen?: JsonSchema;
  /** `requiredWhen` in words. */
  condition?: Bilingual;
  /** How many files of this kind one application may carry. */
  maxFiles: number;
}

export interface FormDefinition {
  procedureId: string;
  /** Bumped when the schema changes incompatibly. */
  version: number;
  title: Bilingual;
  schema: JsonSchema;
  /** Every node of the schema below the root, parents before children, in display order. */
  fields: FieldUi[];
  attachments: AttachmentSpec[];
}
