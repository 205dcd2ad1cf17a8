/**
 * An application draft as the renderer (or `myna sign-application`) hands it over, validated
 * against the package contract before anything is hashed or signed. Each violation is a
 * SigningError with a stable code naming the field or the attachment.
 */
import { caseFoldKeys, contentMatchesMediaType, fileNameProblem, isAllowedMediaType } from './attachment-rules.ts';
import type { JcsError } from './jcs.ts';
import { municipalityCodeProblem } from './municipality-code.ts';
import { type AllowedMediaType, PACKAGE_LIMITS } from './package-limits.ts';
import { displayName, SigningError } from './signing-error.ts';
import { isWellFormed } from './unicode.ts';

export interface AttachmentInput {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface ApplicationDraft {
  procedureId: string;
  municipalityCode: string;
  form: Record<string, unknown>;
  attachments: AttachmentInput[];
}

export interface ValidAttachment {
  name: string;
  mediaType: AllowedMediaType;
  bytes: Uint8Array;
}

export interface ValidDraft {
  procedureId: string;
  municipalityCode: string;
  form: Record<string, unknown>;
  attachments: ValidAttachment[];
}

const DRAFT_KEYS = ['attachments', 'form', 'municipalityCode', 'procedureId'];
const ATTACHMENT_KEYS = ['bytes', 'mediaType', 'name'];
const PROCEDURE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

function unknownKeys(v: Record<string, unknown>, allowed: string[]): string[] {
  return Object.keys(v).filter((k) => !allowed.includes(k));
}

/**
 * Checks the draft; returns it typed (same objects, no copies). Throws SigningError with the
 * first violation found, in this order: shape, procedure, municipality, form, attachment count,
 * each attachment (name, media type, emptiness, size, content), duplicates, total size.
 * The manifest's own size is checked when it is built (manifest.ts).
 */
export function validateDraft(draft: unknown): ValidDraft {
  if (!isPlainObject(draft)) throw new SigningError('DRAFT_INVALID', { field: '(draft)', rule: 'not an object' });
  const extra = unknownKeys(draft, DRAFT_KEYS);
  if (extra.length)
    throw new SigningError('DRAFT_INVALID', { field: shorten(extra[0] as string), rule: 'unknown field' });

  const { procedureId, municipalityCode, form, attachments } = draft;
  if (typeof procedureId !== 'string') {
    throw new SigningError('DRAFT_INVALID', { field: 'procedureId', rule: 'missing or not a string' });
  }
  if (procedureId.length > PACKAGE_LIMITS.maxProcedureIdLength || !PROCEDURE_ID.test(procedureId)) {
    throw new SigningError('PROCEDURE_ID_INVALID', {
      field: 'procedureId',
      rule: `英小文字・数字・ハイフン、${PACKAGE_LIMITS.maxProcedureIdLength}文字まで / a-z 0-9 and single hyphens, at most ${PACKAGE_LIMITS.maxProcedureIdLength}`,
    });
  }
  if (typeof municipalityCode !== 'string') {
    throw new SigningError('DRAFT_INVALID', { field: 'municipalityCode', rule: 'missing or not a string' });
  }
  const codeProblem = municipalityCodeProblem(municipalityCode);
  if (codeProblem)
    throw new SigningError('MUNICIPALITY_CODE_INVALID', { field: 'municipalityCode', rule: codeProblem });

  if (!isPlainObject(form)) throw new SigningError('DRAFT_INVALID', { field: 'form', rule: 'not a JSON object' });
  checkFormValue(form, 'form', 0, new Set());

  if (!Array.isArray(attachments)) {
    throw new SigningError('DRAFT_INVALID', { field: 'attachments', rule: 'missing or not an array' });
  }
  if (attachments.length > PACKAGE_LIMITS.maxAttachments) {
    throw new SigningError('TOO_MANY_ATTACHMENTS', {
      field: 'attachments',
      limit: PACKAGE_LIMITS.maxAttachments,
      actual: attachments.length,
    });
  }
  const valid: ValidAttachment[] = [];
  const seen = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < attachments.length; i++) {
    const a = validateAttachment(attachments[i], i);
    const keys = caseFoldKeys(a.name);
    if (keys.some((k) => seen.has(k))) {
      throw new SigningError('FILE_NAME_DUPLICATE', {
        field: `attachments[${i}].name`,
        index: i,
        attachment: displayName(a.name),
      });
    }
    for (const k of keys) seen.set(k, i);
    total += a.bytes.length;
    valid.push(a);
  }
  if (total > PACKAGE_LIMITS.maxTotalAttachmentBytes) {
    throw new SigningError('PACKAGE_TOO_LARGE', {
      field: 'attachments',
      limit: PACKAGE_LIMITS.maxTotalAttachmentBytes,
      actual: total,
    });
  }
  return { procedureId, municipalityCode, form, attachments: valid };
}

function validateAttachment(a: unknown, i: number): ValidAttachment {
  const at = `attachments[${i}]`;
  if (!isPlainObject(a)) throw new SigningError('DRAFT_INVALID', { field: at, index: i, rule: 'not an object' });
  const extra = unknownKeys(a, ATTACHMENT_KEYS);
  if (extra.length) {
    throw new SigningError('DRAFT_INVALID', {
      field: `${at}.${shorten(extra[0] as string)}`,
      index: i,
      rule: 'unknown field',
    });
  }
  const { name, mediaType, bytes } = a;
  if (typeof name !== 'string') {
    throw new SigningError('DRAFT_INVALID', { field: `${at}.name`, index: i, rule: 'missing or not a string' });
  }
  const nameProblem = fileNameProblem(name);
  if (nameProblem) {
    throw new SigningError('FILE_NAME_INVALID', {
      field: `${at}.name`,
      index: i,
      attachment: displayName(name),
      rule: nameProblem,
    });
  }
  const who = { index: i, attachment: displayName(name) };
  if (!isAllowedMediaType(mediaType)) {
    throw new SigningError('MEDIA_TYPE_NOT_ALLOWED', {
      field: `${at}.mediaType`,
      ...who,
      mediaType: typeof mediaType === 'string' ? displayName(mediaType) : typeof mediaType,
    });
  }
  if (!(bytes instanceof Uint8Array)) {
    throw new SigningError('DRAFT_INVALID', { field: `${at}.bytes`, ...who, rule: 'not a Uint8Array' });
  }
  if (bytes.length === 0) throw new SigningError('ATTACHMENT_EMPTY', { field: `${at}.bytes`, ...who });
  if (bytes.length > PACKAGE_LIMITS.maxAttachmentBytes) {
    throw new SigningError('ATTACHMENT_TOO_LARGE', {
      field: `${at}.bytes`,
      ...who,
      limit: PACKAGE_LIMITS.maxAttachmentBytes,
      actual: bytes.length,
    });
  }
  if (!contentMatchesMediaType(bytes, mediaType)) {
    throw new SigningError('MEDIA_TYPE_MISMATCH', { field: `${at}.bytes`, ...who, mediaType });
  }
  return { name, mediaType, bytes };
}

/**
 * The form must be I-JSON: plain objects, arrays without holes, well-formed strings, finite
 * numbers, booleans, null — nothing JSON.stringify would drop or coerce. Same rules as jcs.ts,
 * checked here first so that the error names the field in the resident's terms.
 */
function checkFormValue(v: unknown, path: string, depth: number, ancestors: Set<object>): void {
  const bad = (rule: string): SigningError => new SigningError('FORM_INVALID', { field: shorten(path), rule });
  switch (typeof v) {
    case 'string':
      if (!isWellFormed(v)) throw bad('不正な文字コード / string with a lone surrogate');
      return;
    case 'number':
      if (!Number.isFinite(v)) throw bad('有限の数値ではない / number is not finite (NaN or Infinity)');
      return;
    case 'boolean':
      return;
    case 'undefined':
      throw bad('値がない / undefined');
    case 'bigint':
      throw bad('bigint は使えない / bigint is not JSON');
    case 'function':
    case 'symbol':
      throw bad(`${typeof v} は使えない / ${typeof v} is not JSON`);
    case 'object':
      break;
  }
  if (v === null) return;
  const obj = v as object;
  if (depth >= PACKAGE_LIMITS.maxFormDepth)
    throw bad(`入れ子が深すぎる / nested deeper than ${PACKAGE_LIMITS.maxFormDepth}`);
  if (ancestors.has(obj)) throw bad('循環参照 / cycle');
  ancestors.add(obj);
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) {
      if (!Object.hasOwn(obj, i)) throw bad(`要素がない / sparse array at [${i}]`);
      checkFormValue(obj[i], `${path}[${i}]`, depth + 1, ancestors);
    }
  } else {
    if (!isPlainObject(obj)) throw bad('JSONのオブジェクトではない / not a plain object (Date, Map, class instance…)');
    if (Object.getOwnPropertySymbols(obj).length > 0) throw bad('symbol のキー / symbol keys');
    for (const [k, child] of Object.entries(obj)) {
      if (!isWellFormed(k)) throw bad('キーの文字コードが不正 / key with a lone surrogate');
      checkFormValue(
        child,
        /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`,
        depth + 1,
        ancestors,
      );
    }
  }
  ancestors.delete(obj);
}

function shorten(s: string): string {
  return displayName(s.length > 200 ? `${s.slice(0, 200)}…` : s);
}

/** Maps a canonicalisation failure (should not happen after validateDraft) to a typed error. */
export function formErrorFromJcs(e: JcsError): SigningError {
  return new SigningError('FORM_INVALID', { field: shorten(e.path.replace(/^\$/, 'form')), rule: e.rule });
}
