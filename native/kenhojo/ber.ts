/**
 * A lenient BER TLV reader for the kenhojo files (jpki-protocol §3.2): tags in the two-byte
 * private form even below 31, and non-minimal lengths such as `82 00 9F`. Strict DER parsers
 * reject real cards, so this one accepts any definite length form — and nothing else: an
 * indefinite length or a length past the end of the buffer is a MALFORMED_RESPONSE.
 */
import { CardError } from '../apdu/errors.ts';

export interface Tlv {
  /** The tag bytes as an integer, e.g. 0xFF20, 0xDF22. */
  tag: number;
  constructed: boolean;
  value: Uint8Array;
  /** Total encoded size (tag + length + value). */
  size: number;
}

function malformed(why: string): CardError {
  return new CardError('MALFORMED_RESPONSE', { operation: `BER: ${why}` });
}

export function readTlv(buf: Uint8Array, at = 0): Tlv {
  let i = at;
  const first = buf[i++];
  if (first === undefined) throw malformed('missing tag');
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    // multi-byte tag number: continuation bit 8
    for (let n = 0; ; n++) {
      const b = buf[i++];
      if (b === undefined || n > 3) throw malformed('truncated tag');
      tag = (tag << 8) | b;
      if ((b & 0x80) === 0) break;
    }
  }
  const l0 = buf[i++];
  if (l0 === undefined) throw malformed('missing length');
  let len: number;
  if (l0 < 0x80) len = l0;
  else if (l0 === 0x80) throw malformed('indefinite length');
  else {
    const n = l0 & 0x7f;
    if (n > 4) throw malformed('length too long');
    len = 0;
    for (let k = 0; k < n; k++) {
      const b = buf[i++];
      if (b === undefined) throw malformed('truncated length');
      len = len * 256 + b;
    }
  }
  if (i + len > buf.length) throw malformed('value past end of data');
  return { tag, constructed: (first & 0x20) !== 0, value: buf.subarray(i, i + len), size: i + len - at };
}

/** All TLVs laid end to end in `buf`. Trailing 0x00/0xFF padding (unused EF space) is ignored. */
export function readTlvs(buf: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    if (b === 0x00 || b === 0xff) {
      if (buf.subarray(i).every((x) => x === b)) break;
    }
    const t = readTlv(buf, i);
    out.push(t);
    i += t.size;
  }
  return out;
}
