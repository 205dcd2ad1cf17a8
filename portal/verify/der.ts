/**
 * A small, strict ASN.1 TLV reader for the verifier. It never throws anything but `Asn1Error`,
 * keeps byte offsets so that callers can hash and compare the exact bytes they received, and
 * records every departure from DER (X.690 §10) as a problem instead of normalising it away —
 * a verifier must judge the bytes it was given, not a re-encoding of them.
 *
 * BER that is merely not DER (indefinite lengths, long-form lengths, constructed strings) is
 * still readable so that the later checks can run; malformed input (lengths past the end,
 * truncated headers, nesting deeper than MAX_DEPTH) is an `Asn1Error`.
 */

export class Asn1Error extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = 'Asn1Error';
    this.offset = offset;
  }
}

export const CLASS_UNIVERSAL = 0;
export const CLASS_CONTEXT = 2;

export const TAG = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  ENUMERATED: 10,
  UTF8_STRING: 12,
  SEQUENCE: 16,
  SET: 17,
  NUMERIC_STRING: 18,
  PRINTABLE_STRING: 19,
  TELETEX_STRING: 20,
  IA5_STRING: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  UNIVERSAL_STRING: 28,
  BMP_STRING: 30,
} as const;

/** Universal types DER requires to be primitive (X.690 §10.2: strings are never constructed). */
const PRIMITIVE_IN_DER = new Set<number>([1, 2, 3, 4, 5, 6, 10, 12, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30]);

export interface Tlv {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  readonly cls: number;
  readonly constructed: boolean;
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  readonly valueStart: number;
  /** End of the contents (before the end-of-contents octets of an indefinite length). */
  readonly valueEnd: number;
  /** Offset just after this TLV. */
  readonly end: number;
  readonly indefinite: boolean;
  /** Parsed children of a constructed encoding; empty for primitives. */
  readonly children: readonly Tlv[];
}

export interface DerProblem {
  offset: number;
  message: string;
}

export interface Decoded {
  bytes: Uint8Array;
  root: Tlv;
  /** Every place where the encoding is valid BER but not DER. */
  derProblems: DerProblem[];
}

const MAX_DEPTH = 48;
const MAX_PROBLEMS = 50;

class Reader {
  readonly buf: Uint8Array;
  readonly problems: DerProblem[] = [];
  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  problem(offset: number, message: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ offset, message });
  }

  byte(pos: number, limit: number): number {
    if (pos >= limit) throw new Asn1Error('unexpected end of data', pos);
    return this.buf[pos] as number;
  }

  read(pos: number, limit: number, depth: number): Tlv {
    if (depth > MAX_DEPTH) throw new Asn1Error('nesting too deep', pos);
    const start = pos;
    const id = this.byte(pos++, limit);
    const cls = id >> 6;
    const constructed = (id & 0x20) !== 0;
    let tag = id & 0x1f;
    if (tag === 0x1f) {
      tag = 0;
      for (let i = 0; ; i++) {
        const b = this.byte(pos++, limit);
        if (i === 0 && b === 0x80) this.problem(start, 'tag number with a leading zero septet');
        tag = tag * 128 + (b & 0x7f);
        if (tag > 0x7fffffff) throw new Asn1Error('tag number too large', start);
        if ((b & 0x80) === 0) break;
      }
      if (tag < 31) this.problem(start, 'high-tag-number form for a tag below 31');
    }
    const lb = this.byte(pos++, limit);
    let indefinite = false;
    let length = 0;
    if (lb === 0x80) {
      if (!constructed) throw new Asn1Error('indefinite length on a primitive encoding', start);
      indefinite = true;
      this.problem(start, 'indefinite length');
    } else if (lb > 0x80) {
      const n = lb & 0x7f;
      if (n === 0x7f) throw new Asn1Error('reserved length octet 0xff', start);
      if (n > 4) throw new Asn1Error('length field too long', start);
      if (pos + n > limit) throw new Asn1Error('unexpected end of data in a length', start);
      if (this.buf[pos] === 0) this.problem(start, 'length with leading zero octets');
      for (let i = 0; i < n; i++) length = length * 256 + (this.buf[pos++] as number);
      if (length < 0x80) this.problem(start, 'long-form length for a length below 128');
    } else {
      length = lb;
    }
    const valueStart = pos;
    const children: Tlv[] = [];
    let valueEnd: number;
    let end: number;
    if (indefinite) {
      let p = valueStart;
      for (;;) {
        if (p + 1 < limit && this.buf[p] === 0 && this.buf[p + 1] === 0) {
          valueEnd = p;
          end = p + 2;
          break;
        }
        const child = this.read(p, limit, depth + 1);
        children.push(child);
        p = child.end;
      }
    } else {
      if (length > limit - valueStart) throw new Asn1Error('length runs past the end of the data', start);
      valueEnd = valueStart + length;
      end = valueEnd;
      if (constructed) {
        let p = valueStart;
        while (p < valueEnd) {
          const child = this.read(p, valueEnd, depth + 1);
          children.push(child);
          p = child.end;
        }
      }
    }
    const tlv: Tlv = { cls, constructed, tag, start, valueStart, valueEnd, end, indefinite, children };
    if (cls === CLASS_UNIVERSAL) this.checkUniversal(tlv);
    return tlv;
  }

  checkUniversal(t: Tlv): void {
    const len = t.valueEnd - t.valueStart;
    if (t.tag === 0) throw new Asn1Error('unexpected end-of-contents octets', t.start);
    if ((t.tag === TAG.SEQUENCE || t.tag === TAG.SET) && !t.constructed) {
      throw new Asn1Error('SEQUENCE or SET with a primitive encoding', t.start);
    }
    if (t.constructed && PRIMITIVE_IN_DER.has(t.tag)) {
      this.problem(t.start, `constructed encoding of universal type ${t.tag}`);
      return;
    }
    if (t.constructed) return;
    const v = this.buf;
    switch (t.tag) {
      case TAG.BOOLEAN:
        if (len !== 1) throw new Asn1Error('BOOLEAN of length other than 1', t.start);
        if (v[t.valueStart] !== 0 && v[t.valueStart] !== 0xff)
          this.problem(t.start, 'BOOLEAN true not encoded as 0xff');
        break;
      case TAG.INTEGER:
      case TAG.ENUMERATED:
        if (len === 0) throw new Asn1Error('INTEGER of length 0', t.start);
        if (len > 1) {
          const a = v[t.valueStart] as number;
          const b = v[t.valueStart + 1] as number;
          if ((a === 0 && (b & 0x80) === 0) || (a === 0xff && (b & 0x80) !== 0)) {
            this.problem(t.start, 'INTEGER not in its shortest form');
          }
        }
        break;
      case TAG.NULL:
        if (len !== 0) throw new Asn1Error('NULL with contents', t.start);
        break;
      case TAG.BIT_STRING:
        if (len === 0) throw new Asn1Error('BIT STRING without the unused-bits octet', t.start);
        if ((v[t.valueStart] as number) > 7) throw new Asn1Error('BIT STRING with more than 7 unused bits', t.start);
        if (len === 1 && v[t.valueStart] !== 0) throw new Asn1Error('empty BIT STRING with unused bits', t.start);
        if (len > 1) {
          const unused = v[t.valueStart] as number;
          const last = v[t.valueEnd - 1] as number;
          if ((last & ((1 << unused) - 1)) !== 0) this.problem(t.start, 'BIT STRING with non-zero unused bits');
        }
        break;
      case TAG.OID:
        if (len === 0) throw new Asn1Error('empty OBJECT IDENTIFIER', t.start);
        break;
    }
  }
}

/**
 * Decodes exactly one TLV filling the whole input (trailing bytes are an error). Never throws
 * anything but Asn1Error.
 */
export function decode(bytes: Uint8Array): Decoded {
  const r = new Reader(bytes);
  if (bytes.length === 0) throw new Asn1Error('empty input', 0);
  const root = r.read(0, bytes.length, 0);
  if (root.end !== bytes.length) throw new Asn1Error('trailing bytes after the outer structure', root.end);
  return { bytes, root, derProblems: r.problems };
}

/** Decodes one TLV inside `bytes` (e.g. an extension value) — same rules as decode(). */
export function decodeInner(bytes: Uint8Array): Tlv {
  return decode(bytes).root;
}

// ---------------------------------------------------------------------------------------------
// Accessors. All take the buffer the TLV was read from.

export function whole(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.end);
}

export function contents(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.valueStart, t.valueEnd);
}

export function is(t: Tlv | undefined, cls: number, tag: number, constructed?: boolean): t is Tlv {
  return (
    t !== undefined && t.cls === cls && t.tag === tag && (constructed === undefined || t.constructed === constructed)
  );
}

export function isUniversal(t: Tlv | undefined, tag: number): t is Tlv {
  return is(t, CLASS_UNIVERSAL, tag);
}

export function isContext(t: Tlv | undefined, tag: number): t is Tlv {
  return is(t, CLASS_CONTEXT, tag);
}

export function expectUniversal(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!isUniversal(t, tag)) throw new Asn1Error(`expected ${what}`, (t as Tlv | undefined)?.start ?? -1);
  return t;
}

export function child(t: Tlv, index: number, what: string): Tlv {
  const c = t.children[index];
  if (c === undefined) throw new Asn1Error(`missing ${what}`, t.start);
  return c;
}

/** Dotted-decimal OBJECT IDENTIFIER; rejects non-minimal sub-identifiers. */
export function oid(buf: Uint8Array, t: Tlv): string {
  expectUniversal(t, TAG.OID, 'OBJECT IDENTIFIER');
  if (t.constructed) throw new Asn1Error('constructed OBJECT IDENTIFIER', t.start);
  const parts: bigint[] = [];
  let acc = 0n;
  let fresh = true;
  for (let i = t.valueStart; i < t.valueEnd; i++) {
    const b = buf[i] as number;
    if (fresh && b === 0x80) throw new Asn1Error('OBJECT IDENTIFIER sub-identifier with a leading zero', t.start);
    acc = (acc << 7n) | BigInt(b & 0x7f);
    fresh = (b & 0x80) === 0;
    if (fresh) {
      parts.push(acc);
      acc = 0n;
    }
  }
  if (!fresh) throw new Asn1Error('truncated OBJECT IDENTIFIER', t.start);
  const first = parts[0] as bigint;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...parts.slice(1)].join('.');
}

/** The two's-complement content octets of an INTEGER. */
export function integerBytes(buf: Uint8Array, t: Tlv): Uint8Array {
  if (!isUniversal(t, TAG.INTEGER) || t.constructed) throw new Asn1Error('expected INTEGER', t.start);
  return contents(buf, t);
}

/** A small non-negative INTEGER (version numbers, path lengths). */
export function smallInteger(buf: Uint8Array, t: Tlv): number {
  const b = t.tag === TAG.ENUMERATED && t.cls === CLASS_UNIVERSAL ? contents(buf, t) : integerBytes(buf, t);
  if (b.length > 4 || ((b[0] as number) & 0x80) !== 0) throw new Asn1Error('integer out of range', t.start);
  let n = 0;
  for (const x of b) n = n * 256 + x;
  return n;
}

/** Hex of an INTEGER's magnitude without the sign octet (certificate serials). */
export function integerHex(bytes: Uint8Array): string {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return Buffer.from(bytes.subarray(i)).toString('hex');
}

/**
 * Value octets of an OCTET STRING; a constructed (BER) one is concatenated from its segments
 * (DER forbids that; decode() has already recorded the problem).
 */
export function octets(buf: Uint8Array, t: Tlv): Uint8Array {
  if (!isUniversal(t, TAG.OCTET_STRING)) throw new Asn1Error('expected OCTET STRING', (t as Tlv).start);
  if (!t.constructed) return contents(buf, t);
  const parts: Uint8Array[] = [];
  for (const c of t.children) parts.push(octets(buf, c));
  return new Uint8Array(Buffer.concat(parts));
}

/** BIT STRING: the unused-bit count and the bits, first bit = MSB of the first octet. */
export function bitString(buf: Uint8Array, t: Tlv): { unused: number; bits: Uint8Array } {
  if (!isUniversal(t, TAG.BIT_STRING) || t.constructed) throw new Asn1Error('expected BIT STRING', t.start);
  return { unused: buf[t.valueStart] as number, bits: buf.subarray(t.valueStart + 1, t.valueEnd) };
}

const ASCII = new TextDecoder('latin1');

/**
 * UTCTime / GeneralizedTime in the DER profile RFC 5280 §4.1.2.5 requires (`YYMMDDHHMMSSZ`,
 * `YYYYMMDDHHMMSSZ`, no fractions). Anything else is an Asn1Error.
 */
export function time(buf: Uint8Array, t: Tlv): Date {
  if (t.cls !== CLASS_UNIVERSAL || t.constructed || (t.tag !== TAG.UTC_TIME && t.tag !== TAG.GENERALIZED_TIME)) {
    throw new Asn1Error('expected UTCTime or GeneralizedTime', t.start);
  }
  const s = ASCII.decode(contents(buf, t));
  const m =
    t.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw new Asn1Error(`time not in DER form: ${JSON.stringify(s)}`, t.start);
  const n = m.slice(1).map(Number) as [number, number, number, number, number, number];
  let year = n[0];
  if (t.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900;
  const [, month, day, hour, minute, second] = n;
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    d.getUTCFullYear() !== year ||
    d.getUTCMonth() !== month - 1 ||
    d.getUTCDate() !== day ||
    d.getUTCHours() !== hour ||
    d.getUTCMinutes() !== minute ||
    d.getUTCSeconds() !== second
  ) {
    throw new Asn1Error(`not a real date and time: ${JSON.stringify(s)}`, t.start);
  }
  return d;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LATIN1 = new TextDecoder('latin1');

/** A string value of a directory attribute or a JPKI otherName, decoded by its universal tag. */
export function directoryString(buf: Uint8Array, t: Tlv): string {
  if (t.cls !== CLASS_UNIVERSAL || t.constructed) throw new Asn1Error('expected a string', t.start);
  const v = contents(buf, t);
  try {
    switch (t.tag) {
      case TAG.UTF8_STRING:
        return UTF8.decode(v);
      case TAG.PRINTABLE_STRING:
      case TAG.IA5_STRING:
      case TAG.NUMERIC_STRING:
        if (v.some((b) => b > 0x7f)) throw new Asn1Error('non-ASCII octet in an ASCII string type', t.start);
        return LATIN1.decode(v);
      case TAG.TELETEX_STRING:
        return LATIN1.decode(v);
      case TAG.BMP_STRING: {
        if (v.length % 2 !== 0) throw new Asn1Error('odd-length BMPString', t.start);
        let s = '';
        for (let i = 0; i < v.length; i += 2) s += String.fromCharCode(((v[i] as number) << 8) | (v[i + 1] as number));
        return s;
      }
      case TAG.UNIVERSAL_STRING: {
        if (v.length % 4 !== 0) throw new Asn1Error('UniversalString length not a multiple of 4', t.start);
        let s = '';
        for (let i = 0; i < v.length; i += 4) {
          const cp =
            (((v[i] as number) << 24) |
              ((v[i + 1] as number) << 16) |
              ((v[i + 2] as number) << 8) |
              (v[i + 3] as number)) >>>
            0;
          if (cp > 0x10ffff) throw new Asn1Error('UniversalString code point out of range', t.start);
          s += String.fromCodePoint(cp);
        }
        return s;
      }
    }
  } catch (e) {
    if (e instanceof Asn1Error) throw e;
    throw new Asn1Error('invalid UTF-8 in a UTF8String', t.start);
  }
  throw new Asn1Error(`unsupported string type ${t.tag}`, t.start);
}

/**
 * X.690 §11.6 order of SET OF components: compared as octet strings, the shorter one padded
 * with trailing zero octets. Returns <0, 0, >0.
 */
export function compareSetOfElements(a: Uint8Array, b: Uint8Array): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x - y;
  }
  return 0;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
