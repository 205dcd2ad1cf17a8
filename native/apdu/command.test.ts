import { describe, expect, it } from 'vitest';
import { atrAdvertisesExtendedLength, historicalBytes } from './atr.ts';
import { encodeApdu, parseApdu } from './command.ts';
import { CardError } from './errors.ts';
import { parseResponse, triesFromSw } from './response.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));

describe('APDU encoding', () => {
  it('encodes the four short cases as real clients send them', () => {
    expect(hex(encodeApdu({ cla: 0, ins: 0x20, p1: 0, p2: 0x80 }))).toBe('00200080');
    expect(hex(encodeApdu({ cla: 0, ins: 0xb0, p1: 1, p2: 0, le: 256 }))).toBe('00B0010000');
    expect(hex(encodeApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: bytes('0018') }))).toBe('00A4020C020018');
    expect(hex(encodeApdu({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: bytes('AABB'), le: 256 }))).toBe(
      '802A008002AABB00',
    );
  });

  it('encodes extended Le and Lc', () => {
    expect(hex(encodeApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 0x10000, extended: true }))).toBe('00B00000000000');
    expect(hex(encodeApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 0x0123, extended: true }))).toBe('00B00000000123');
    const data = new Uint8Array(300).fill(7);
    const e = encodeApdu({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data, le: 2, extended: true });
    expect(hex(e.subarray(0, 7))).toBe('00D6000000012C');
    expect(e.length).toBe(4 + 3 + 300 + 2);
  });

  it('refuses what does not fit the chosen form', () => {
    expect(() => encodeApdu({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(256) })).toThrow(RangeError);
    expect(() => encodeApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 257 })).toThrow(RangeError);
    expect(() => encodeApdu({ cla: 0x100, ins: 0, p1: 0, p2: 0 })).toThrow(RangeError);
  });

  it('parses what it encodes, in every case', () => {
    const cases = [
      { cla: 0, ins: 0x20, p1: 0, p2: 0x80 },
      { cla: 0, ins: 0xb0, p1: 0, p2: 4, le: 4 },
      { cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: bytes('D392F000260100000001') },
      { cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: new Uint8Array(51).fill(1), le: 256 },
      { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 0x10000, extended: true },
      { cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(300).fill(2), extended: true },
      { cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(300).fill(2), le: 9, extended: true },
    ];
    for (const c of cases) {
      const p = parseApdu(encodeApdu(c));
      expect(p.ins).toBe(c.ins);
      expect(p.le).toBe(c.le);
      expect(hex(p.data)).toBe(hex(c.data ?? new Uint8Array(0)));
      expect(p.extended).toBe(Boolean(c.extended) && (c.data !== undefined || c.le !== undefined));
    }
  });

  it('rejects malformed command APDUs', () => {
    expect(() => parseApdu(bytes('00A4'))).toThrow(RangeError);
    expect(() => parseApdu(bytes('00A4020C030018'))).toThrow(RangeError);
    expect(() => parseApdu(bytes('00B0000000'.concat('00')))).toThrow(RangeError);
  });
});

describe('responses', () => {
  it('splits data and status word', () => {
    const r = parseResponse(bytes('0102039000'));
    expect(hex(r.data)).toBe('010203');
    expect(r.sw).toBe(0x9000);
  });
  it('a response shorter than a status word is MALFORMED_RESPONSE', () => {
    expect(() => parseResponse(bytes('90'))).toThrow(CardError);
    try {
      parseResponse(new Uint8Array(0));
    } catch (e) {
      expect((e as CardError).code).toBe('MALFORMED_RESPONSE');
    }
  });
  it('reads tries from 63Cx only', () => {
    expect(triesFromSw(0x63c3)).toBe(3);
    expect(triesFromSw(0x63c0)).toBe(0);
    expect(triesFromSw(0x6984)).toBeUndefined();
    expect(triesFromSw(0x9000)).toBeUndefined();
  });
});

describe('ATR', () => {
  it('finds the historical bytes of the My Number Card ATR and its extended-length capability', () => {
    const atr = bytes('3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B');
    expect(hex(historicalBytes(atr)!)).toBe('8012392F31C173C601C0');
    expect(atrAdvertisesExtendedLength(atr)).toBe(true);
  });
  it('does not claim extended length for the older card generation or the 住基 card', () => {
    expect(atrAdvertisesExtendedLength(bytes('3B C5 FF 81 31 FB 45 80 73 C6 01 00 00'))).toBe(false);
    expect(atrAdvertisesExtendedLength(bytes('3B E0 00 FF 81 31 FE 45 14'))).toBe(false);
    expect(atrAdvertisesExtendedLength(bytes('3B'))).toBe(false);
    expect(atrAdvertisesExtendedLength(new Uint8Array(0))).toBe(false);
  });
});
