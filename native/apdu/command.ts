/**
 * ISO 7816-4 command APDU encoding, short and extended. Extended length is used only when
 * the caller asks for it (the card's ATR must advertise it — jpki-protocol §2.2, §8.6).
 */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
  /** Expected response length: undefined = none (case 1/3); 256 short max, 65536 extended max. */
  le?: number;
  extended?: boolean;
}

function checkByte(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`APDU ${name} out of range`);
}

export function encodeApdu(c: CommandApdu): Uint8Array {
  checkByte('CLA', c.cla);
  checkByte('INS', c.ins);
  checkByte('P1', c.p1);
  checkByte('P2', c.p2);
  const data = c.data ?? new Uint8Array(0);
  const lc = data.length;
  const hasLe = c.le !== undefined;
  const maxLc = c.extended ? 0xffff : 0xff;
  const maxLe = c.extended ? 0x10000 : 0x100;
  if (lc > maxLc) throw new RangeError(`APDU data too long for ${c.extended ? 'extended' : 'short'} form`);
  if (hasLe && (!Number.isInteger(c.le) || (c.le as number) < 1 || (c.le as number) > maxLe)) {
    throw new RangeError('APDU Le out of range');
  }
  const header = [c.cla, c.ins, c.p1, c.p2];
  const out: number[] = [...header];
  if (!c.extended) {
    if (lc > 0) out.push(lc, ...data);
    if (hasLe) out.push((c.le as number) === 256 ? 0 : (c.le as number));
    return Uint8Array.from(out);
  }
  // Extended: Lc = 00 HH LL; Le = HH LL after Lc, or 00 HH LL when there is no data.
  const le = hasLe ? ((c.le as number) === 0x10000 ? 0 : (c.le as number)) : undefined;
  if (lc > 0) {
    out.push(0, lc >> 8, lc & 0xff, ...data);
    if (le !== undefined) out.push(le >> 8, le & 0xff);
  } else if (le !== undefined) {
    out.push(0, le >> 8, le & 0xff);
  }
  return Uint8Array.from(out);
}

/** Parsed form of a command APDU, used by the emulator to understand what a client sent. */
export interface ParsedCommand {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  /** undefined = no Le; otherwise 1..65536 */
  le: number | undefined;
  extended: boolean;
}

/** Decodes every ISO 7816-4 case (1, 2S, 3S, 4S, 2E, 3E, 4E). Throws RangeError on a malformed APDU. */
export function parseApdu(b: Uint8Array): ParsedCommand {
  if (b.length < 4) throw new RangeError('APDU shorter than its header');
  const [cla, ins, p1, p2] = [b[0], b[1], b[2], b[3]] as [number, number, number, number];
  const body = b.subarray(4);
  const n = body.length;
  const base = { cla, ins, p1, p2 };
  if (n === 0) return { ...base, data: new Uint8Array(0), le: undefined, extended: false };
  const b0 = body[0] as number;
  if (n === 1) return { ...base, data: new Uint8Array(0), le: b0 === 0 ? 256 : b0, extended: false };
  if (b0 !== 0) {
    // short case 3 or 4
    const lc = b0;
    if (n === 1 + lc) return { ...base, data: body.slice(1, 1 + lc), le: undefined, extended: false };
    if (n === 2 + lc) {
      const le = body[1 + lc] as number;
      return { ...base, data: body.slice(1, 1 + lc), le: le === 0 ? 256 : le, extended: false };
    }
    throw new RangeError('APDU length does not match Lc');
  }
  // extended forms start with 00
  if (n === 3) {
    const le = ((body[1] as number) << 8) | (body[2] as number);
    return { ...base, data: new Uint8Array(0), le: le === 0 ? 0x10000 : le, extended: true };
  }
  if (n < 3) throw new RangeError('malformed extended APDU');
  const lc = ((body[1] as number) << 8) | (body[2] as number);
  if (lc === 0) throw new RangeError('extended Lc of zero');
  if (n === 3 + lc) return { ...base, data: body.slice(3, 3 + lc), le: undefined, extended: true };
  if (n === 5 + lc) {
    const le = ((body[3 + lc] as number) << 8) | (body[4 + lc] as number);
    return { ...base, data: body.slice(3, 3 + lc), le: le === 0 ? 0x10000 : le, extended: true };
  }
  throw new RangeError('APDU length does not match extended Lc');
}
