/**
 * RFC 8785 JSON Canonicalization Scheme, written for the verifier on its own (the signer has
 * its own implementation; each checks the other):
 * - objects: members sorted by their names as arrays of UTF-16 code units (§3.2.3);
 * - strings: only `"` `\` and U+0000–U+001F escaped, with \b \t \n \f \r and otherwise
 *   lower-case \u00xx (§3.2.2.2); lone surrogates are not I-JSON and are refused;
 * - numbers: the ECMAScript Number-to-String algorithm (§3.2.2.3), finite only, -0 → 0;
 * - literals null/true/false, no white space; UTF-8 output, no BOM.
 */

export class JcsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JcsError';
  }
}

const MAX_DEPTH = 64;

function compareUtf16(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const SHORT_ESCAPES: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };

function serializeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c < 0x20) out += SHORT_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) throw new JcsError('lone surrogate in a string (not I-JSON)');
      out += s.slice(i, i + 2);
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) throw new JcsError('lone surrogate in a string (not I-JSON)');
    else out += s.charAt(i);
  }
  return `${out}"`;
}

function serializeNumber(n: number): string {
  if (!Number.isFinite(n)) throw new JcsError('non-finite number');
  if (Object.is(n, -0)) return '0';
  // ECMAScript Number::toString(10) is exactly the serialisation RFC 8785 §3.2.2.3 specifies.
  return String(n);
}

function serialize(v: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new JcsError('nesting too deep');
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') return serializeNumber(v);
  if (typeof v === 'string') return serializeString(v);
  if (Array.isArray(v)) return `[${v.map((x) => serialize(x, depth + 1)).join(',')}]`;
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new JcsError('only plain objects can be canonicalised');
    const keys = Object.keys(v).sort(compareUtf16);
    const rec = v as Record<string, unknown>;
    return `{${keys.map((k) => `${serializeString(k)}:${serialize(rec[k], depth + 1)}`).join(',')}}`;
  }
  throw new JcsError(`${typeof v} is not a JSON value`);
}

/** The canonical JSON text of a JSON value. Throws JcsError on values JSON cannot carry. */
export function canonicalize(value: unknown): string {
  return serialize(value, 0);
}

/** The canonical UTF-8 bytes of a JSON value. */
export function canonicalBytes(value: unknown): Uint8Array {
  return new Uint8Array(Buffer.from(canonicalize(value), 'utf8'));
}

export type CanonicalCheck =
  | { canonical: true; value: unknown }
  | { canonical: false; value?: unknown; reason: string; reasonJa: string };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Whether `bytes` are exactly the JCS form of what they parse to (so: valid UTF-8, no BOM, valid
 * JSON, no duplicate names, no white space, sorted names, canonical numbers and escapes).
 */
export function checkCanonical(bytes: Uint8Array): CanonicalCheck {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { canonical: false, reason: 'not valid UTF-8', reasonJa: 'UTF-8として正しくありません' };
  }
  if (text.charCodeAt(0) === 0xfeff) {
    return { canonical: false, reason: 'starts with a byte order mark', reasonJa: 'BOMで始まっています' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return {
      canonical: false,
      reason: `not valid JSON (${(e as Error).message})`,
      reasonJa: 'JSONとして解釈できません',
    };
  }
  let canon: string;
  try {
    canon = canonicalize(value);
  } catch (e) {
    return {
      canonical: false,
      value,
      reason: `cannot be canonicalised: ${(e as Error).message}`,
      reasonJa: '正規化できない値を含んでいます',
    };
  }
  if (canon !== text) {
    let i = 0;
    while (i < canon.length && canon[i] === text[i]) i++;
    return {
      canonical: false,
      value,
      reason: `not in RFC 8785 canonical form (first difference at character ${i})`,
      reasonJa: `RFC 8785の正規形ではありません（${i}文字目で相違）`,
    };
  }
  return { canonical: true, value };
}

/** Whether `bytes` are canonical JSON (RFC 8785). */
export function isCanonical(bytes: Uint8Array): boolean {
  return checkCanonical(bytes).canonical;
}
