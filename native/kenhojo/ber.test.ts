import { describe, expect, it } from 'vitest';
import { CardError } from '../apdu/errors.ts';
import { tlvTotalLength } from '../apdu/read-file.ts';
import { readTlv, readTlvs } from './ber.ts';
import { decodeBasicInfo, decodeMyNumber } from './kenhojo-ap.ts';

const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));
const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('hex');

function tlv(tag: string, valueHex: string, lengthForm: 'min' | '82' = 'min'): string {
  const n = valueHex.length / 2;
  const len =
    lengthForm === '82'
      ? `82${n.toString(16).padStart(4, '0')}`
      : n < 128
        ? n.toString(16).padStart(2, '0')
        : `81${n.toString(16)}`;
  return tag + len + valueHex;
}

function basic4(opts: { name?: string; sex?: string; birth?: string; form?: 'min' | '82' } = {}): Uint8Array {
  const inner =
    tlv('DF21', '000F') +
    tlv('DF22', utf8(opts.name ?? '山田 花子')) +
    tlv('DF23', utf8('東京都千代田区霞が関2丁目1番2号')) +
    tlv('DF24', utf8(opts.birth ?? '19800217')) +
    tlv('DF25', utf8(opts.sex ?? '2'));
  return bytes(tlv('FF20', inner, opts.form ?? '82'));
}

describe('lenient BER', () => {
  it('accepts non-minimal lengths as real cards write them (FF 20 82 00 xx)', () => {
    const t = readTlv(bytes('FF2082000 3DF2100'.replace(' ', '')));
    expect(t.tag).toBe(0xff20);
    expect(t.constructed).toBe(true);
    expect(t.value.length).toBe(3);
    expect(readTlv(bytes('DF108100')).value.length).toBe(0);
  });

  it('rejects indefinite, overlong and truncated forms with MALFORMED_RESPONSE', () => {
    for (const bad of ['FF2080', 'DF1085000000000100', 'DF100C3132', 'DF', '']) {
      expect(() => readTlv(bytes(bad))).toThrow(CardError);
    }
  });

  it('stops at trailing padding of the EF', () => {
    expect(readTlvs(bytes('DF2101AA DF2201BB 0000000000'.replace(/ /g, ''))).length).toBe(2);
    expect(readTlvs(bytes('DF2101AAFFFFFF')).length).toBe(1);
  });

  it('computes the total size of a TLV from its first bytes', () => {
    expect(tlvTotalLength(bytes('308205 14'.replace(' ', '')))).toBe(4 + 0x0514);
    expect(tlvTotalLength(bytes('FF2082004D'))).toBe(5 + 0x4d);
    expect(tlvTotalLength(bytes('DF100C'))).toBe(15);
    expect(tlvTotalLength(bytes('3080'))).toBeUndefined();
    expect(tlvTotalLength(bytes('0000'))).toBeUndefined();
    expect(tlvTotalLength(bytes('30'))).toBeUndefined();
  });
});

describe('kenhojo files', () => {
  it('decodes the basic 4 information in either length form', () => {
    for (const form of ['min', '82'] as const) {
      const info = decodeBasicInfo(basic4({ form, name: '髙橋 﨑子' }));
      expect(info).toEqual({
        name: '髙橋 﨑子',
        address: '東京都千代田区霞が関2丁目1番2号',
        birthDate: '19800217',
        sex: '2',
      });
    }
  });

  it('refuses a basic 4 file with bad fields', () => {
    expect(() => decodeBasicInfo(basic4({ sex: '3' }))).toThrow(CardError);
    expect(() => decodeBasicInfo(basic4({ birth: '1980-2-17' }))).toThrow(CardError);
    expect(() => decodeBasicInfo(bytes(tlv('FF21', '')))).toThrow(CardError);
    expect(() => decodeBasicInfo(bytes(tlv('FF20', tlv('DF22', 'C3'))))).toThrow(CardError); // not UTF-8, and fields missing
  });

  it('decodes the My Number TLV and refuses anything that is not 12 digits', () => {
    expect(decodeMyNumber(bytes(`DF100C${utf8('123456789018')}0000`))).toBe('123456789018');
    expect(() => decodeMyNumber(bytes(`DF100B${utf8('12345678901')}`))).toThrow(CardError);
    expect(() => decodeMyNumber(bytes(`DF110C${utf8('123456789018')}`))).toThrow(CardError);
  });
});
