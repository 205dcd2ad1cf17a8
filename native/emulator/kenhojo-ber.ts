/**
 * BER encoders for the 券面事項入力補助AP (kenhojo) files, written the way the card writes them
 * (jpki-protocol §3.2): private-class two-byte tags (`DFxx` primitive, `FFxx` constructed) and,
 * for the basic-4 file, a NON-minimal outer length `82 00 xx` so that a strict DER parser fails
 * exactly as it would on a real card.
 */
import type { Basic4 } from './profile.ts';

const utf8 = new TextEncoder();

/** Size of EF 0001. Clients read 17 bytes (`00 B0 00 00 11`, jpki-protocol §3.3). */
export const MY_NUMBER_EF_SIZE = 17;

/**
 * Value of the 2 bytes after the 15-byte TLV. Unknown on real cards (jpki-protocol §3.3 [U]);
 * 00 is chosen because a lenient BER walker reads `00 00` as end-of-contents and stops.
 */
const MY_NUMBER_PAD = 0x00;

/** Minimal BER length (used for the inner TLVs). */
function berLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n <= 0xff) return [0x81, n];
  if (n <= 0xffff) return [0x82, n >> 8, n & 0xff];
  throw new RangeError('kenhojo TLV too long');
}

function tlv(tag: [number, number], value: Uint8Array): Uint8Array {
  const head = [...tag, ...berLength(value.length)];
  const out = new Uint8Array(head.length + value.length);
  out.set(head, 0);
  out.set(value, head.length);
  return out;
}

/** EF 0001: `DF 10 0C` + 12 ASCII digits, padded to 17 bytes (jpki-protocol §3.3). */
export function encodeMyNumberEf(myNumber: string): Uint8Array {
  if (!/^[0-9]{12}$/.test(myNumber)) throw new RangeError('My Number must be 12 ASCII digits');
  const out = new Uint8Array(MY_NUMBER_EF_SIZE).fill(MY_NUMBER_PAD);
  out.set(tlv([0xdf, 0x10], utf8.encode(myNumber)), 0);
  return out;
}

/**
 * EF 0002: `FF 20 82 00 LL { DF21 offsets, DF22 name, DF23 address, DF24 birth, DF25 sex }`
 * (jpki-protocol §3.4). DF21 holds one big-endian u16 per following TLV: the position of that
 * TLV's first byte from the start of the file. The research leaves DF21's exact meaning open
 * ([U]); jsapdu hashes `buffer[offsets[0] ..]`, which is consistent with offsets[0] pointing at
 * the DF22 TLV (§3.4 [I]).
 */
export function encodeBasic4Ef(b: Basic4): Uint8Array {
  if (!/^[0-9]{8}$/.test(b.birthDate)) throw new RangeError('birth date must be YYYYMMDD');
  if (!['1', '2', '9'].includes(b.sex)) throw new RangeError('sex must be 1, 2 or 9 (ISO 5218)');
  const fields = [
    tlv([0xdf, 0x22], utf8.encode(b.name)),
    tlv([0xdf, 0x23], utf8.encode(b.address)),
    tlv([0xdf, 0x24], utf8.encode(b.birthDate)),
    tlv([0xdf, 0x25], utf8.encode(b.sex)),
  ];
  const OUTER_HEADER = 5; // FF 20 82 00 LL — always the 3-byte length form, even when LL < 0x80
  const DF21_SIZE = 3 + 2 * fields.length; // DF 21 LL + u16 per field (LL < 0x80)
  const offsets = new Uint8Array(2 * fields.length);
  let pos = OUTER_HEADER + DF21_SIZE;
  fields.forEach((f, i) => {
    offsets[2 * i] = pos >> 8;
    offsets[2 * i + 1] = pos & 0xff;
    pos += f.length;
  });
  const content = [tlv([0xdf, 0x21], offsets), ...fields];
  const contentLength = content.reduce((n, c) => n + c.length, 0);
  if (contentLength > 0xffff) throw new RangeError('basic-4 file too long');
  const out = new Uint8Array(OUTER_HEADER + contentLength);
  out.set([0xff, 0x20, 0x82, contentLength >> 8, contentLength & 0xff], 0);
  let at = OUTER_HEADER;
  for (const c of content) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
