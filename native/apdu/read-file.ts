/**
 * Reads a whole transparent EF whose content is one TLV (certificates, kenhojo files), in the
 * fewest APDUs the protocol allows (jpki-protocol §5.3): the first READ asks for a full chunk
 * (256 short, or everything with extended Le), its header gives the total size, and the rest
 * follows in 256-byte chunks. Truncated and oversized answers are MALFORMED_RESPONSE.
 */
import type { CardChannel } from '../card-transport.ts';
import { readBinary } from './commands.ts';
import { CardError } from './errors.ts';
import { exchangeOk } from './exchange.ts';

const SHORT_CHUNK = 256;
const EXTENDED_CHUNK = 0x10000;

export interface ReadFileOptions {
  /** Refuse anything larger: a certificate is ~1.3 kB, so a 64 kB "certificate" is corrupt. */
  maxSize: number;
  extended?: boolean;
  operation: string;
}

export async function readTlvFile(ch: CardChannel, opts: ReadFileOptions): Promise<Uint8Array> {
  const chunk = opts.extended ? EXTENDED_CHUNK : SHORT_CHUNK;
  const first = await exchangeOk(ch, readBinary(0, chunk, opts.extended), opts.operation);
  if (first.length > chunk) throw oversized(opts.operation);
  const total = tlvTotalLength(first);
  if (total === undefined) throw new CardError('MALFORMED_RESPONSE', { operation: `${opts.operation}: no TLV header` });
  if (total > opts.maxSize) throw oversized(opts.operation);
  if (first.length >= total) return first.slice(0, total);
  if (first.length < Math.min(chunk, total)) throw truncated(opts.operation);
  const out = new Uint8Array(total);
  out.set(first);
  let off = first.length;
  while (off < total) {
    const want = Math.min(SHORT_CHUNK, total - off);
    const part = await exchangeOk(ch, readBinary(off, want), opts.operation);
    if (part.length > want) throw oversized(opts.operation);
    if (part.length < want) throw truncated(opts.operation);
    out.set(part, off);
    off += part.length;
  }
  return out;
}

function oversized(operation: string): CardError {
  return new CardError('MALFORMED_RESPONSE', { operation: `${operation}: response larger than requested` });
}

function truncated(operation: string): CardError {
  return new CardError('MALFORMED_RESPONSE', { operation: `${operation}: truncated response` });
}

/** Size of the first BER TLV (tag + length + value) from its first bytes; undefined if unreadable. */
export function tlvTotalLength(head: Uint8Array): number | undefined {
  let i = 0;
  const first = head[i++];
  if (first === undefined || first === 0x00) return undefined; // 00: an unwritten EF
  if ((first & 0x1f) === 0x1f) {
    for (let n = 0; ; n++) {
      const b = head[i++];
      if (b === undefined || n > 3) return undefined;
      if ((b & 0x80) === 0) break;
    }
  }
  const l0 = head[i++];
  if (l0 === undefined || l0 === 0x80) return undefined;
  if (l0 < 0x80) return i + l0;
  const n = l0 & 0x7f;
  if (n > 4) return undefined;
  let len = 0;
  for (let k = 0; k < n; k++) {
    const b = head[i++];
    if (b === undefined) return undefined;
    len = len * 256 + b;
  }
  return i + len;
}
