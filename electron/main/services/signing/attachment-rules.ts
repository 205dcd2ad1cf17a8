/**
 * Attachment file names and media types (README "Application package format", Limits).
 *
 * Names: 1–120 characters (UTF-16 code units, the stricter count), NFC, well-formed Unicode, none of / \ : * ? " < > |,
 * no control characters, not `.`/`..`, not starting or ending with a space or a dot, unique
 * ignoring case. Beyond the letter of the contract (the signer may be stricter than the
 * verifier, never laxer): bidi controls (U+202E "RIGHT-TO-LEFT OVERRIDE" makes `gpj.exe`
 * look like `exe.jpg`), U+2028/U+2029 line separators and U+FEFF count as control characters,
 * and leading/trailing white space includes U+3000 (全角スペース).
 *
 * Media types: exactly application/pdf, image/jpeg or image/png, and the bytes must look like
 * one (magic numbers) — the consent window says "PDF", so the package must not carry HTML.
 */
import { ALLOWED_MEDIA_TYPES, type AllowedMediaType, PACKAGE_LIMITS } from './package-limits.ts';
import { isBidiControl } from './signing-error.ts';
import { isWellFormed } from './unicode.ts';

const FORBIDDEN = new Set(['/', '\\', ':', '*', '?', '"', '<', '>', '|']);

function isControl(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    isBidiControl(c) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0xfeff ||
    (c >= 0xfff9 && c <= 0xfffb)
  );
}

/** Why `name` cannot be an attachment name, or undefined when it can. */
export function fileNameProblem(name: string): string | undefined {
  if (name.length === 0) return '空の名前 / empty name';
  if (!isWellFormed(name)) return '不正な文字コード / lone surrogate';
  // "120 characters", counted in UTF-16 code units: never more than the code points, so this is
  // the stricter reading (a verifier counting either way accepts what we produce).
  if (name.length > PACKAGE_LIMITS.maxNameLength) {
    return `${PACKAGE_LIMITS.maxNameLength}文字まで / at most ${PACKAGE_LIMITS.maxNameLength} characters`;
  }
  const cps = [...name];
  if (name.normalize('NFC') !== name) return 'NFC正規化されていない / not NFC-normalised';
  for (const ch of cps) {
    if (FORBIDDEN.has(ch)) return `使えない文字 ${ch} / forbidden character ${ch}`;
    if (isControl(ch.codePointAt(0) as number)) return '制御文字 / control character';
  }
  if (name === '.' || name === '..') return '. と .. は使えない / not . or ..';
  if (/^[\s.]|[\s.]$/u.test(name)) {
    return '先頭・末尾に空白やピリオド / starts or ends with a space or a dot';
  }
  return undefined;
}

/**
 * The keys under which two names count as the same ("unique ignoring case"): two names clash
 * when any of their keys are equal. Lower-case, upper-case, and upper-then-lower (which folds
 * ß/SS and other one-to-many mappings): stricter than any one of them, so a verifier using
 * either common reading accepts our names.
 */
export function caseFoldKeys(name: string): string[] {
  const upper = name.toUpperCase();
  return [`l:${name.toLowerCase()}`, `u:${upper}`, `f:${upper.toLowerCase()}`];
}

export function isAllowedMediaType(t: unknown): t is AllowedMediaType {
  return typeof t === 'string' && (ALLOWED_MEDIA_TYPES as readonly string[]).includes(t);
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

/** True when the bytes start like the media type says (PDF: `%PDF-` within the first 1024 bytes). */
export function contentMatchesMediaType(bytes: Uint8Array, t: AllowedMediaType): boolean {
  switch (t) {
    case 'image/png':
      return PNG.every((b, i) => bytes[i] === b);
    case 'image/jpeg':
      return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
    case 'application/pdf': {
      const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024));
      return head.indexOf(Buffer.from(PDF)) >= 0;
    }
  }
}
