/**
 * DRAFT.json for `myna sign-application`: the application draft with attachments given as
 * files (paths relative to the draft file's folder, or absolute):
 *
 *   { "procedureId": "jidou-teate-nintei", "municipalityCode": "131016",
 *     "form": { …any JSON object… },
 *     "attachments": [ { "name": "所得証明書.pdf", "mediaType": "application/pdf", "path": "scans/income.pdf" } ] }
 *
 * Sizes are checked from the file system before anything is read, so a 4 GB file is refused
 * without loading it. Everything else is validated by the signing service (draft.ts).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../../native/cli/secret-input.ts';
import type { ApplicationDraft, AttachmentInput } from '../services/signing/draft.ts';
import { PACKAGE_LIMITS } from '../services/signing/package-limits.ts';
import { displayName, SigningError } from '../services/signing/signing-error.ts';

/** The draft file itself holds only form data and paths. */
const MAX_DRAFT_FILE_BYTES = 4 * 1024 * 1024;
const DRAFT_KEYS = ['attachments', 'form', 'municipalityCode', 'procedureId'];
const ATTACHMENT_KEYS = ['mediaType', 'name', 'path'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function loadDraftFile(draftPath: string): ApplicationDraft {
  const abs = resolve(draftPath);
  let size: number;
  try {
    const st = statSync(abs);
    if (!st.isFile()) throw new UsageError(`--draft is not a file: ${draftPath}`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`申請データを読めません / cannot read the draft: ${draftPath}`);
  }
  if (size > MAX_DRAFT_FILE_BYTES) {
    throw new SigningError('DRAFT_INVALID', {
      field: '(draft file)',
      rule: `larger than ${MAX_DRAFT_FILE_BYTES} bytes`,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(abs)));
  } catch {
    throw new SigningError('DRAFT_INVALID', { field: '(draft file)', rule: 'not UTF-8 JSON' });
  }
  if (!isObject(json)) throw new SigningError('DRAFT_INVALID', { field: '(draft file)', rule: 'not a JSON object' });
  const extra = Object.keys(json).filter((k) => !DRAFT_KEYS.includes(k));
  if (extra.length)
    throw new SigningError('DRAFT_INVALID', { field: displayName(extra[0] as string), rule: 'unknown field' });
  const list = json.attachments ?? [];
  if (!Array.isArray(list)) throw new SigningError('DRAFT_INVALID', { field: 'attachments', rule: 'not an array' });
  if (list.length > PACKAGE_LIMITS.maxAttachments) {
    throw new SigningError('TOO_MANY_ATTACHMENTS', {
      field: 'attachments',
      limit: PACKAGE_LIMITS.maxAttachments,
      actual: list.length,
    });
  }
  const base = dirname(abs);
  let total = 0;
  const attachments: AttachmentInput[] = list.map((a: unknown, i: number) => {
    const at = `attachments[${i}]`;
    if (!isObject(a)) throw new SigningError('DRAFT_INVALID', { field: at, index: i, rule: 'not an object' });
    const bad = Object.keys(a).filter((k) => !ATTACHMENT_KEYS.includes(k));
    if (bad.length) {
      throw new SigningError('DRAFT_INVALID', {
        field: `${at}.${displayName(bad[0] as string)}`,
        index: i,
        rule: 'unknown field',
      });
    }
    if (typeof a.path !== 'string' || a.path === '') {
      throw new SigningError('DRAFT_INVALID', { field: `${at}.path`, index: i, rule: 'missing or not a string' });
    }
    const who = { index: i, ...(typeof a.name === 'string' ? { attachment: displayName(a.name) } : {}) };
    const file = resolve(base, a.path);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(file);
    } catch {
      throw new SigningError('DRAFT_INVALID', {
        field: `${at}.path`,
        ...who,
        rule: 'ファイルを読めない / cannot read the file',
      });
    }
    if (!st.isFile())
      throw new SigningError('DRAFT_INVALID', { field: `${at}.path`, ...who, rule: 'not a regular file' });
    if (st.size > PACKAGE_LIMITS.maxAttachmentBytes) {
      throw new SigningError('ATTACHMENT_TOO_LARGE', {
        field: `${at}.path`,
        ...who,
        limit: PACKAGE_LIMITS.maxAttachmentBytes,
        actual: st.size,
      });
    }
    total += st.size;
    if (total > PACKAGE_LIMITS.maxTotalAttachmentBytes) {
      throw new SigningError('PACKAGE_TOO_LARGE', {
        field: 'attachments',
        limit: PACKAGE_LIMITS.maxTotalAttachmentBytes,
        actual: total,
      });
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(file));
    } catch {
      throw new SigningError('DRAFT_INVALID', {
        field: `${at}.path`,
        ...who,
        rule: 'ファイルを読めない / cannot read the file',
      });
    }
    return { name: a.name as string, mediaType: a.mediaType as string, bytes };
  });
  return {
    procedureId: json.procedureId as string,
    municipalityCode: json.municipalityCode as string,
    form: json.form as Record<string, unknown>,
    attachments,
  };
}
