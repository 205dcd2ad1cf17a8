/**
 * A small, strict DER reader: just enough to take certificates apart (issuer, serial) and to
 * check what we produce — definite, minimal lengths; no constructed string types; no trailing
 * bytes. Independent of asn1js/PKI.js on purpose, so the self-check does not trust the library
 * that built the structure.
 */

export interface Tlv {
  /** The identifier octet (single-octet tags only: CMS and X.509 need no others). */
  tag: number;
  constructed: boolean;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just past the last content octet. */
  end: number;
}

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Reads one TLV at `offset`, which must end at or before `limit`. Strict DER lengths. */
export function readTlv(buf: Uint8Array, offset = 0, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError(`truncated TLV at ${offset}`);
  const tag = buf[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError(`multi-octet tag at ${offset}`);
  const first = buf[offset + 1] as number;
  let length: number;
  let header = 2;
  if (first < 0x80) {
    length = first;
  } else if (first === 0x80) {
    throw new DerError(`indefinite length at ${offset}`);
  } else {
    const n = first & 0x7f;
    if (n > 4) throw new DerError(`length of ${n} octets at ${offset}`);
    if (offset + 2 + n > limit) throw new DerError(`truncated length at ${offset}`);
    if (buf[offset + 2] === 0) throw new DerError(`non-minimal length at ${offset}`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[offset + 2 + i] as number);
    if (length < 0x80) throw new DerError(`non-minimal length at ${offset}`);
    header = 2 + n;
  }
  const contentStart = offset + header;
  const end = contentStart + length;
  if (end > limit) throw new DerError(`TLV at ${offset} overruns its container`);
  return { tag, constructed: (tag & 0x20) !== 0, start: offset, contentStart, end };
}

/** The single TLV that `buf` must consist of exactly. */
export function readWhole(buf: Uint8Array): Tlv {
  const t = readTlv(buf, 0, buf.length);
  if (t.end !== buf.length) throw new DerError(`${buf.length - t.end} trailing bytes`);
  return t;
}

/** The children of a constructed TLV. */
export function childrenOf(buf: Uint8Array, parent: Tlv): Tlv[] {
  if (!parent.constructed) throw new DerError(`tag ${hex(parent.tag)} at ${parent.start} is not constructed`);
  const out: Tlv[] = [];
  let p = parent.contentStart;
  while (p < parent.end) {
    const c = readTlv(buf, p, parent.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** The children, each checked against an expected tag. */
export function expectChildren(buf: Uint8Array, parent: Tlv, what: string, min: number, max = min): Tlv[] {
  const c = childrenOf(buf, parent);
  if (c.length < min || c.length > max) throw new DerError(`${what}: ${c.length} elements`);
  return c;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t) throw new DerError(`${what}: missing`);
  if (t.tag !== tag) throw new DerError(`${what}: tag ${hex(t.tag)}, expected ${hex(tag)}`);
  return t;
}

export function bytesOf(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.end);
}

export function contentOf(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.contentStart, t.end);
}

/**
 * Checks a whole tree for DER's structural rules: every length definite and minimal (readTlv);
 * universal-class constructed encodings only for SEQUENCE and SET (no constructed OCTET STRING
 * and friends); nothing after the outer TLV. `opaque(tlv, depth)` may stop the descent into a
 * subtree we did not produce (e.g. the certificates, which are embedded byte for byte).
 */
export function assertStrictDer(buf: Uint8Array, opaque?: (t: Tlv, path: readonly number[]) => boolean): void {
  const walk = (t: Tlv, path: number[]): void => {
    const universal = (t.tag & 0xc0) === 0;
    if (t.constructed && universal && t.tag !== TAG.SEQUENCE && t.tag !== TAG.SET) {
      throw new DerError(`constructed universal tag ${hex(t.tag)} at ${t.start}`);
    }
    if (!t.constructed || opaque?.(t, path)) return;
    childrenOf(buf, t).forEach((c, i) => {
      walk(c, [...path, i]);
    });
  };
  walk(readWhole(buf), []);
}

/** Encodes one TLV with a DER length. */
export function encodeTlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  let header: number[];
  if (n < 0x80) header = [tag, n];
  else if (n < 0x100) header = [tag, 0x81, n];
  else if (n < 0x10000) header = [tag, 0x82, n >> 8, n & 0xff];
  else if (n < 0x1000000) header = [tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  else header = [tag, 0x84, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(header.length + n);
  out.set(header);
  out.set(content, header.length);
  return out;
}

/** Decodes an OBJECT IDENTIFIER's content octets to dotted form. */
export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new DerError('empty OID');
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < content.length; i++) {
    const b = content[i] as number;
    if (v === 0 && b === 0x80) throw new DerError('non-minimal OID arc');
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(v);
      v = 0;
    } else if (i === content.length - 1) {
      throw new DerError('truncated OID');
    }
  }
  const first = arcs.shift() as number;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

export function hex(n: number): string {
  return n.toString(16).padStart(2, '0').toUpperCase();
}

/** Issuer Name and serialNumber INTEGER of a DER certificate, as their exact encodings. */
export function certificateIssuerAndSerial(cert: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  const outer = expectTag(readWhole(cert), TAG.SEQUENCE, 'Certificate');
  const [tbsTlv] = childrenOf(cert, outer);
  const tbs = expectTag(tbsTlv, TAG.SEQUENCE, 'tbsCertificate');
  const parts = childrenOf(cert, tbs);
  // [0] EXPLICIT version is optional (absent in v1 certificates).
  const i = parts[0]?.tag === 0xa0 ? 1 : 0;
  const serial = expectTag(parts[i], TAG.INTEGER, 'serialNumber');
  expectTag(parts[i + 1], TAG.SEQUENCE, 'signature algorithm');
  const issuer = expectTag(parts[i + 2], TAG.SEQUENCE, 'issuer');
  return { issuer: bytesOf(cert, issuer), serial: bytesOf(cert, serial) };
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}
