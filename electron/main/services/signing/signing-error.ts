/**
 * Typed signing errors with stable codes, shaped like native's CardError (code, details,
 * messageJa, messageEn, toJSON) so that IPC and the CLI treat both alike. Details name the
 * field or the attachment and the broken rule — never a form value, a PIN or signed bytes.
 */
import { PACKAGE_LIMITS } from './package-limits.ts';

export type SigningErrorCode =
  | 'DRAFT_INVALID'
  | 'PROCEDURE_ID_INVALID'
  | 'MUNICIPALITY_CODE_INVALID'
  | 'FORM_INVALID'
  | 'TOO_MANY_ATTACHMENTS'
  | 'ATTACHMENT_EMPTY'
  | 'ATTACHMENT_TOO_LARGE'
  | 'PACKAGE_TOO_LARGE'
  | 'MANIFEST_TOO_LARGE'
  | 'MEDIA_TYPE_NOT_ALLOWED'
  | 'MEDIA_TYPE_MISMATCH'
  | 'FILE_NAME_INVALID'
  | 'FILE_NAME_DUPLICATE'
  | 'CONTENT_TOO_LARGE'
  | 'INPUT_INVALID'
  | 'SELF_CHECK_FAILED';

export interface SigningErrorDetails {
  /** Where in the input: `municipalityCode`, `form.children[1].name`, `attachments[2].name`… */
  field?: string;
  /** The attachment concerned, by (display-safe, shortened) name. */
  attachment?: string;
  /** Index of the attachment concerned. */
  index?: number;
  /** A short, data-free description of the rule that was broken. */
  rule?: string;
  /** The limit that was exceeded (bytes or a count). */
  limit?: number;
  /** The value that exceeded it (bytes or a count). */
  actual?: number;
  /** A media type (MEDIA_TYPE_NOT_ALLOWED / MEDIA_TYPE_MISMATCH). */
  mediaType?: string;
  /** SELF_CHECK_FAILED: which check failed. */
  check?: string;
}

interface Texts {
  ja: string;
  en: string;
}

const MiB = 1024 * 1024;

function size(n: number | undefined): string {
  if (n === undefined) return '?';
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

function which(d: SigningErrorDetails): Texts {
  if (d.attachment !== undefined) return { ja: `添付ファイル「${d.attachment}」`, en: `attachment "${d.attachment}"` };
  if (d.index !== undefined) return { ja: `${d.index + 1}番目の添付ファイル`, en: `attachment #${d.index + 1}` };
  return { ja: '添付ファイル', en: 'an attachment' };
}

export function signingMessagesFor(code: SigningErrorCode, d: SigningErrorDetails = {}): Texts {
  const rule = d.rule ? `（${d.rule}）` : '';
  const ruleEn = d.rule ? ` (${d.rule})` : '';
  const field = d.field ?? '?';
  const a = which(d);
  const nothing = { ja: '何も署名していません。', en: 'Nothing was signed.' };
  switch (code) {
    case 'DRAFT_INVALID':
      return {
        ja: `申請データの形式が正しくありません：${field}${rule}。${nothing.ja}申請画面からもう一度作成してください。`,
        en: `The application data is malformed at ${field}${ruleEn}. ${nothing.en} Prepare the application again.`,
      };
    case 'PROCEDURE_ID_INVALID':
      return {
        ja: `手続きの識別子が正しくありません${rule}。${nothing.ja}手続きを選び直してください。`,
        en: `The procedure identifier is invalid${ruleEn}. ${nothing.en} Choose the procedure again.`,
      };
    case 'MUNICIPALITY_CODE_INVALID':
      return {
        ja: `市区町村コードが正しくありません${rule}。6桁の全国地方公共団体コード（検査数字付き）を指定してください。${nothing.ja}`,
        en: `The municipality code is invalid${ruleEn}. Use the 6-digit local government code including its check digit. ${nothing.en}`,
      };
    case 'FORM_INVALID':
      return {
        ja: `入力内容に署名できない値があります：${field}${rule}。${nothing.ja}その項目を入力し直してください。`,
        en: `The form contains a value that cannot be signed at ${field}${ruleEn}. ${nothing.en} Re-enter that field.`,
      };
    case 'TOO_MANY_ATTACHMENTS':
      return {
        ja: `添付ファイルが多すぎます（${d.actual ?? '?'}件、上限${d.limit ?? PACKAGE_LIMITS.maxAttachments}件）。${nothing.ja}ファイルをまとめるか減らしてください。`,
        en: `Too many attachments (${d.actual ?? '?'}; at most ${d.limit ?? PACKAGE_LIMITS.maxAttachments}). ${nothing.en} Combine or remove some files.`,
      };
    case 'ATTACHMENT_EMPTY':
      return {
        ja: `${a.ja}が空（0バイト）です。${nothing.ja}正しいファイルを添付し直してください。`,
        en: `${cap(a.en)} is empty (0 bytes). ${nothing.en} Attach the right file again.`,
      };
    case 'ATTACHMENT_TOO_LARGE':
      return {
        ja: `${a.ja}が大きすぎます（${size(d.actual)}、上限${size(d.limit)}）。${nothing.ja}解像度を下げるなどして小さくしてください。`,
        en: `${cap(a.en)} is too large (${size(d.actual)}; at most ${size(d.limit)}). ${nothing.en} Reduce it, e.g. scan at a lower resolution.`,
      };
    case 'PACKAGE_TOO_LARGE':
      return {
        ja: `添付ファイルの合計が大きすぎます（${size(d.actual)}、上限${size(d.limit)}）。${nothing.ja}ファイルを小さくするか減らしてください。`,
        en: `The attachments are too large in total (${size(d.actual)}; at most ${size(d.limit)}). ${nothing.en} Reduce or remove some files.`,
      };
    case 'MANIFEST_TOO_LARGE':
      return {
        ja: `申請内容（入力データ）が大きすぎます（${size(d.actual)}、上限${size(d.limit)}）。${nothing.ja}長い文章は添付ファイルにしてください。`,
        en: `The form data is too large (${size(d.actual)}; at most ${size(d.limit)}). ${nothing.en} Put long texts into an attachment.`,
      };
    case 'MEDIA_TYPE_NOT_ALLOWED':
      return {
        ja: `${a.ja}の形式（${d.mediaType ?? '?'}）は添付できません。PDF、JPEG、PNGのいずれかにしてください。${nothing.ja}`,
        en: `${cap(a.en)} has a type that cannot be attached (${d.mediaType ?? '?'}). Use PDF, JPEG or PNG. ${nothing.en}`,
      };
    case 'MEDIA_TYPE_MISMATCH':
      return {
        ja: `${a.ja}の中身が形式（${d.mediaType ?? '?'}）と一致しません。ファイルが壊れているか、別の形式です。${nothing.ja}正しいファイルを添付してください。`,
        en: `The content of ${a.en} is not ${d.mediaType ?? 'what it claims to be'}: the file is damaged or of another type. ${nothing.en} Attach the right file.`,
      };
    case 'FILE_NAME_INVALID':
      return {
        ja: `${a.ja}のファイル名が使えません${rule}。1〜120文字で、記号 / \\ : * ? " < > | や制御文字を含まず、先頭・末尾が空白やピリオドでない名前に変更してください。${nothing.ja}`,
        en: `The file name of ${a.en} cannot be used${ruleEn}. Rename it: 1–120 characters, none of / \\ : * ? " < > | or control characters, not starting or ending with a space or dot. ${nothing.en}`,
      };
    case 'FILE_NAME_DUPLICATE':
      return {
        ja: `同じ名前（大文字・小文字の違いを除く）の添付ファイルが複数あります：${a.ja}。${nothing.ja}どちらかの名前を変更してください。`,
        en: `Two attachments have the same name (ignoring case): ${a.en}. ${nothing.en} Rename one of them.`,
      };
    case 'CONTENT_TOO_LARGE':
      return {
        ja: `署名する内容が大きすぎます（${size(d.actual)}、上限${size(d.limit)}）。${nothing.ja}分離署名（--attached なし）を使ってください。`,
        en: `The content is too large to embed (${size(d.actual)}; at most ${size(d.limit)}). ${nothing.en} Use a detached signature (without --attached).`,
      };
    case 'INPUT_INVALID':
      return {
        ja: `署名の依頼が正しくありません：${field}${rule}。${nothing.ja}もう一度操作してください。`,
        en: `The signing request is invalid at ${field}${ruleEn}. ${nothing.en} Try again.`,
      };
    case 'SELF_CHECK_FAILED':
      return {
        ja: `作成した署名の自己検証に失敗しました（${d.check ?? '不明'}）。署名は出力していません。カードを置き直してもう一度操作し、続く場合はサポートに連絡してください。`,
        en: `The signature failed its own check (${d.check ?? 'unknown'}) and was discarded. Re-insert the card and try again; contact support if it persists.`,
      };
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export class SigningError extends Error {
  readonly code: SigningErrorCode;
  readonly details: SigningErrorDetails;
  readonly messageJa: string;
  readonly messageEn: string;

  constructor(code: SigningErrorCode, details: SigningErrorDetails = {}, options?: { cause?: unknown }) {
    const m = signingMessagesFor(code, details);
    super(m.en, options);
    this.name = 'SigningError';
    this.code = code;
    this.details = details;
    this.messageJa = m.ja;
    this.messageEn = m.en;
  }

  /** The shape that crosses IPC and the CLI's --json output: no stack, no signed data. */
  toJSON(): { code: SigningErrorCode; message: string; messageJa: string; details: SigningErrorDetails } {
    return { code: this.code, message: this.messageEn, messageJa: this.messageJa, details: this.details };
  }
}

export function isSigningError(e: unknown, code?: SigningErrorCode): e is SigningError {
  return e instanceof SigningError && (code === undefined || e.code === code);
}

/**
 * A user-supplied name made safe to show in a message: control and bidi-override characters
 * escaped, shortened to 60 code points.
 */
export function displayName(name: string): string {
  const escaped = [...name]
    .map((ch) => {
      const c = ch.codePointAt(0) as number;
      if (c < 0x20 || (c >= 0x7f && c < 0xa0) || isBidiControl(c) || (c >= 0xd800 && c <= 0xdfff)) {
        return `\\u{${c.toString(16)}}`;
      }
      return ch;
    })
    .join('');
  const cps = [...escaped];
  return cps.length > 60 ? `${cps.slice(0, 59).join('')}…` : escaped;
}

export function isBidiControl(c: number): boolean {
  return c === 0x061c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}
