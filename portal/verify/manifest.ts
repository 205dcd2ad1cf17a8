/**
 * The manifest schema and the package limits of the README contract ("Application package
 * format", version 1), checked on the receiving side. Every problem is reported, each with an
 * English and a Japanese message and the JSON path it concerns.
 */
import { municipalityCheckDigit, municipalityCodeProblem } from './municipality-code.ts';

export const PACKAGE_FORMAT = 'myna-companion/application-package';
export const PACKAGE_VERSION = 1;
export const MAX_ATTACHMENTS = 20;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_TOTAL_ATTACHMENT_BYTES = 20 * 1024 * 1024;
export const MAX_MANIFEST_BYTES = 256 * 1024;
export const MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const MAX_NAME_CHARACTERS = 120;

export interface ManifestAttachment {
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: string;
  version: number;
  procedure: { id: string };
  municipality: { code: string };
  form: Record<string, unknown>;
  attachments: ManifestAttachment[];
}

export interface Problem {
  message: string;
  messageJa: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function exactKeys(v: Record<string, unknown>, keys: string[], path: string, out: Problem[]): void {
  for (const k of Object.keys(v)) {
    if (!keys.includes(k)) {
      out.push({
        message: `${path}: unknown member ${JSON.stringify(k)}`,
        messageJa: `${path}：未知の項目 ${JSON.stringify(k)} があります`,
      });
    }
  }
  for (const k of keys) {
    if (!(k in v)) {
      out.push({ message: `${path}: ${k} is missing`, messageJa: `${path}：${k} がありません` });
    }
  }
}

/** Problems of one attachment name against the contract's rules (empty when it is fine). */
export function attachmentNameProblems(name: string): Problem[] {
  const out: Problem[] = [];
  const q = JSON.stringify(name);
  const chars = [...name].length;
  if (chars < 1 || chars > MAX_NAME_CHARACTERS) {
    out.push({
      message: `attachment name ${q} must be 1–${MAX_NAME_CHARACTERS} characters (has ${chars})`,
      messageJa: `添付ファイル名 ${q} は1〜${MAX_NAME_CHARACTERS}文字である必要があります（${chars}文字）`,
    });
  }
  if (name.normalize('NFC') !== name) {
    out.push({
      message: `attachment name ${q} is not in NFC`,
      messageJa: `添付ファイル名 ${q} がNFC正規化されていません`,
    });
  }
  if (/[/\\:*?"<>|]/.test(name)) {
    out.push({
      message: `attachment name ${q} contains one of / \\ : * ? " < > |`,
      messageJa: `添付ファイル名 ${q} に使用できない文字（/ \\ : * ? " < > |）が含まれています`,
    });
  }
  if (/\p{Cc}/u.test(name)) {
    out.push({
      message: `attachment name ${q} contains a control character`,
      messageJa: `添付ファイル名 ${q} に制御文字が含まれています`,
    });
  }
  if (name === '.' || name === '..') {
    out.push({ message: `attachment name ${q} is not allowed`, messageJa: `添付ファイル名 ${q} は使用できません` });
  } else if (/^[ .]|[ .]$/.test(name)) {
    out.push({
      message: `attachment name ${q} starts or ends with a space or a dot`,
      messageJa: `添付ファイル名 ${q} が空白またはピリオドで始まるか終わっています`,
    });
  }
  return out;
}

/** Key under which two names count as the same "ignoring case". */
export function caseFoldKey(name: string): string {
  return name.toUpperCase().toLowerCase();
}

/**
 * Checks a parsed manifest against the version-1 schema. Attachment-level rules (names, media
 * types, sizes, limits) are in attachmentRuleProblems(), reported under `attachments`.
 */
export function manifestSchemaProblems(v: unknown): Problem[] {
  const out: Problem[] = [];
  if (!isObject(v))
    return [
      { message: 'the manifest is not a JSON object', messageJa: 'マニフェストがJSONオブジェクトではありません' },
    ];
  exactKeys(v, ['attachments', 'form', 'format', 'municipality', 'procedure', 'version'], 'manifest', out);
  if ('format' in v && v.format !== PACKAGE_FORMAT) {
    out.push({
      message: `format must be ${JSON.stringify(PACKAGE_FORMAT)}`,
      messageJa: `format は ${JSON.stringify(PACKAGE_FORMAT)} である必要があります`,
    });
  }
  if ('version' in v && v.version !== PACKAGE_VERSION) {
    out.push({
      message: `version ${JSON.stringify(v.version)} is not supported (expected ${PACKAGE_VERSION})`,
      messageJa: `version ${JSON.stringify(v.version)} には対応していません（${PACKAGE_VERSION}のみ）`,
    });
  }
  if ('procedure' in v) {
    const p = v.procedure;
    if (!isObject(p))
      out.push({ message: 'procedure must be an object', messageJa: 'procedure はオブジェクトである必要があります' });
    else {
      exactKeys(p, ['id'], 'procedure', out);
      if ('id' in p && (typeof p.id !== 'string' || p.id.length === 0)) {
        out.push({
          message: 'procedure.id must be a non-empty string',
          messageJa: 'procedure.id は空でない文字列である必要があります',
        });
      }
    }
  }
  if ('municipality' in v) {
    const m = v.municipality;
    if (!isObject(m)) {
      out.push({
        message: 'municipality must be an object',
        messageJa: 'municipality はオブジェクトである必要があります',
      });
    } else {
      exactKeys(m, ['code'], 'municipality', out);
      if ('code' in m) {
        const code = m.code;
        const problem = typeof code === 'string' ? municipalityCodeProblem(code) : 'format';
        if (problem === 'format') {
          out.push({
            message: 'municipality.code must be a string of 6 digits (全国地方公共団体コード)',
            messageJa: 'municipality.code は6桁の数字（全国地方公共団体コード）である必要があります',
          });
        } else if (problem === 'prefecture') {
          out.push({
            message: `municipality.code ${code}: prefecture part must be 01–47`,
            messageJa: `municipality.code ${code}：都道府県コードは01〜47である必要があります`,
          });
        } else if (problem === 'check-digit') {
          const want = municipalityCheckDigit((code as string).slice(0, 5));
          out.push({
            message: `municipality.code ${code}: wrong check digit (should be ${want})`,
            messageJa: `municipality.code ${code}：検査数字が誤っています（正しくは${want}）`,
          });
        }
      }
    }
  }
  if ('form' in v && !isObject(v.form)) {
    out.push({ message: 'form must be a JSON object', messageJa: 'form はJSONオブジェクトである必要があります' });
  }
  if ('attachments' in v) {
    const a = v.attachments;
    if (!Array.isArray(a)) {
      out.push({ message: 'attachments must be an array', messageJa: 'attachments は配列である必要があります' });
    } else {
      a.forEach((item, i) => {
        const path = `attachments[${i}]`;
        if (!isObject(item)) {
          out.push({ message: `${path} must be an object`, messageJa: `${path} はオブジェクトである必要があります` });
          return;
        }
        exactKeys(item, ['mediaType', 'name', 'sha256', 'size'], path, out);
        if ('name' in item && typeof item.name !== 'string') {
          out.push({
            message: `${path}.name must be a string`,
            messageJa: `${path}.name は文字列である必要があります`,
          });
        }
        if ('mediaType' in item && typeof item.mediaType !== 'string') {
          out.push({
            message: `${path}.mediaType must be a string`,
            messageJa: `${path}.mediaType は文字列である必要があります`,
          });
        }
        if ('size' in item && !(typeof item.size === 'number' && Number.isSafeInteger(item.size) && item.size >= 0)) {
          out.push({
            message: `${path}.size must be a non-negative integer`,
            messageJa: `${path}.size は0以上の整数である必要があります`,
          });
        }
        if ('sha256' in item && !(typeof item.sha256 === 'string' && /^[0-9a-f]{64}$/.test(item.sha256))) {
          out.push({
            message: `${path}.sha256 must be 64 lower-case hex digits`,
            messageJa: `${path}.sha256 は小文字16進64桁である必要があります`,
          });
        }
      });
    }
  }
  return out;
}

/** Whether the manifest has a usable attachments list (each with string name and mediaType, integer size, hex sha256). */
export function usableAttachments(v: unknown): ManifestAttachment[] | undefined {
  if (!isObject(v) || !Array.isArray(v.attachments)) return undefined;
  const out: ManifestAttachment[] = [];
  for (const a of v.attachments) {
    if (
      !isObject(a) ||
      typeof a.name !== 'string' ||
      typeof a.mediaType !== 'string' ||
      typeof a.size !== 'number' ||
      typeof a.sha256 !== 'string'
    ) {
      return undefined;
    }
    out.push({ name: a.name, mediaType: a.mediaType, size: a.size, sha256: a.sha256 });
  }
  return out;
}

/**
 * The contract's attachment rules over the manifest list: names, case-insensitive uniqueness,
 * media types, sizes (not empty, at most 10 MiB each, 20 MiB together), at most 20.
 */
export function attachmentRuleProblems(list: ManifestAttachment[]): Problem[] {
  const out: Problem[] = [];
  if (list.length > MAX_ATTACHMENTS) {
    out.push({
      message: `${list.length} attachments; at most ${MAX_ATTACHMENTS} are allowed`,
      messageJa: `添付ファイルが${list.length}個あります（上限${MAX_ATTACHMENTS}個）`,
    });
  }
  const seen = new Map<string, string>();
  let total = 0;
  for (const a of list) {
    const q = JSON.stringify(a.name);
    out.push(...attachmentNameProblems(a.name));
    const key = caseFoldKey(a.name);
    const prior = seen.get(key);
    if (prior !== undefined) {
      out.push({
        message:
          prior === a.name
            ? `attachment ${q} is listed more than once`
            : `attachment ${q} is listed twice ignoring case (also as ${JSON.stringify(prior)})`,
        messageJa:
          prior === a.name
            ? `添付ファイル ${q} が複数回記載されています`
            : `添付ファイル ${q} が大文字小文字を区別せずに重複しています（${JSON.stringify(prior)}）`,
      });
    } else {
      seen.set(key, a.name);
    }
    if (!(MEDIA_TYPES as readonly string[]).includes(a.mediaType)) {
      out.push({
        message: `attachment ${q}: media type ${JSON.stringify(a.mediaType)} is not one of ${MEDIA_TYPES.join(', ')}`,
        messageJa: `添付ファイル ${q}：メディアタイプ ${JSON.stringify(a.mediaType)} は使用できません（${MEDIA_TYPES.join('、')}のみ）`,
      });
    }
    if (a.size === 0) {
      out.push({ message: `attachment ${q} is empty`, messageJa: `添付ファイル ${q} が空です` });
    } else if (a.size > MAX_ATTACHMENT_BYTES) {
      out.push({
        message: `attachment ${q} is ${a.size} bytes; at most ${MAX_ATTACHMENT_BYTES} are allowed`,
        messageJa: `添付ファイル ${q} が大きすぎます（${a.size}バイト、上限${MAX_ATTACHMENT_BYTES}バイト）`,
      });
    }
    total += a.size;
  }
  if (total > MAX_TOTAL_ATTACHMENT_BYTES) {
    out.push({
      message: `attachments total ${total} bytes; at most ${MAX_TOTAL_ATTACHMENT_BYTES} are allowed`,
      messageJa: `添付ファイルの合計が大きすぎます（${total}バイト、上限${MAX_TOTAL_ATTACHMENT_BYTES}バイト）`,
    });
  }
  return out;
}
