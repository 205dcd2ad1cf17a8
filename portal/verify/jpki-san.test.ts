import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { decodeJpkiSubjectAltName, eraFitsDate, jpkiAttributesOf, parseJpkiBirthDate } from './jpki-san.ts';
import { resident } from './test-fixtures.ts';
import { parseCertificate } from './x509.ts';

function otherName(oid: string, value: asn1js.BaseBlock): asn1js.Constructed {
  return new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 0 },
    value: [
      new asn1js.ObjectIdentifier({ value: oid }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [value] }),
    ],
  });
}
const san = (...names: asn1js.BaseBlock[]) => new Uint8Array(new asn1js.Sequence({ value: names }).toBER(false));
const utf8 = (s: string) => new asn1js.Utf8String({ value: s });

describe('JPKI subjectAltName attributes', () => {
  it('decodes resident-01', () => {
    const a = jpkiAttributesOf(parseCertificate(resident('resident-01').signCert));
    expect(a).toMatchObject({
      name: '見本　花子',
      nameAltChars: '00000',
      birthDate: '1985-06-15',
      birthEra: 3,
      birthEraName: '昭和',
      sex: '2',
      address: '東京都千代田区見本町一丁目２番３号',
      problems: [],
    });
  });

  it('decodes resident-06: 4-byte UTF-8 kanji, long address, sex 9, last day of 昭和', () => {
    const r = resident('resident-06');
    const a = jpkiAttributesOf(parseCertificate(r.signCert));
    expect(a.name).toBe('髙﨑　𠮷野');
    expect(a.name).toBe(r.basic4.name);
    expect(a.address).toBe(r.basic4.address);
    expect(a.address).toContain('𠮷');
    expect([...(a.name ?? '')].length).toBe(5);
    expect(a.nameAltChars).toBe('00000');
    expect(a.addressAltChars?.length).toBe([...(a.address ?? '')].length);
    expect(a.sex).toBe('9');
    expect(a.birthDate).toBe('1989-01-07');
    expect(a.birthEra).toBe(3);
    expect(a.problems).toEqual([]);
  });

  it('decodes every demo resident consistently with the card data', () => {
    for (const id of ['resident-01', 'resident-02', 'resident-03', 'resident-04', 'resident-05', 'resident-06']) {
      const r = resident(id);
      const a = jpkiAttributesOf(parseCertificate(r.signCert));
      expect(a.problems, id).toEqual([]);
      expect(a.name, id).toBe(r.basic4.name);
      expect(a.address, id).toBe(r.basic4.address);
      expect(a.sex, id).toBe(r.basic4.sex);
      expect(a.birthDate?.replaceAll('-', ''), id).toBe(r.basic4.birthDate);
    }
  });

  it('the auth certificate carries none of them', () => {
    const a = jpkiAttributesOf(parseCertificate(resident('resident-01').authCert));
    expect(a.name).toBeUndefined();
    expect(a.problems).toEqual(['the certificate has no subjectAltName']);
  });

  it('parses EYYYYMMDD strictly', () => {
    expect(parseJpkiBirthDate('420190430')).toEqual({ era: 4, date: '2019-04-30' });
    expect(parseJpkiBirthDate('019000101')).toEqual({ era: 0, date: '1900-01-01' });
    expect(parseJpkiBirthDate('319890230')).toBeUndefined(); // Feb 30
    expect(parseJpkiBirthDate('61989010')).toBeUndefined();
    expect(parseJpkiBirthDate('619890107')).toBeUndefined(); // no era 6
  });

  it('checks that the era digit fits the date (accession days fit both eras)', () => {
    expect(eraFitsDate(3, '1989-01-07')).toBe(true);
    expect(eraFitsDate(4, '1989-01-07')).toBe(false);
    expect(eraFitsDate(5, '1989-01-07')).toBe(false);
    expect(eraFitsDate(4, '1989-01-08')).toBe(true);
    expect(eraFitsDate(3, '1926-12-25')).toBe(true);
    expect(eraFitsDate(2, '1926-12-25')).toBe(true);
    expect(eraFitsDate(5, '2019-05-01')).toBe(true);
    expect(eraFitsDate(4, '2019-04-30')).toBe(true);
    expect(eraFitsDate(1, '1800-01-01')).toBe(false);
    expect(eraFitsDate(0, '1800-01-01')).toBe(true);
    const a = decodeJpkiSubjectAltName(san(otherName('1.2.392.200149.8.5.5.4', utf8('519890107'))));
    expect(a.birthDate).toBe('1989-01-07');
    expect(a.problems).toEqual(['birth date era digit 5 (令和) does not fit 1989-01-07']);
  });

  it('reports entries that do not follow the profile, keeps the rest', () => {
    const a = decodeJpkiSubjectAltName(
      san(
        otherName('1.2.392.200149.8.5.5.1', utf8('𠮷田')),
        otherName('1.2.392.200149.8.5.5.2', utf8('000')), // 3 positions for 2 characters
        otherName('1.2.392.200149.8.5.5.3', new asn1js.PrintableString({ value: '1' })),
        otherName('1.2.392.200149.8.5.5.4', utf8('319891332')),
        otherName('1.2.392.200149.8.5.5.5', utf8('東京都')),
        otherName('1.2.392.200149.8.5.5.5', utf8('大阪府')),
        new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 }, valueHex: new Uint8Array([0x61]).buffer }), // dNSName
        otherName('1.3.6.1.4.1.99999.1', utf8('unrelated')),
      ),
    );
    expect(a.name).toBe('𠮷田');
    expect(a.sex).toBe('1');
    expect(a.address).toBe('東京都');
    expect(a.birthDate).toBeUndefined();
    expect(a.problems.join('\n')).toMatch(/alternative-character positions do not match/);
    expect(a.problems.join('\n')).toMatch(/5\.5\.3: value is not a UTF8String/);
    expect(a.problems.join('\n')).toMatch(/birth date/);
    expect(a.problems.join('\n')).toMatch(/5\.5\.5: appears more than once/);
  });

  it('never throws on garbage', () => {
    for (const b of [
      new Uint8Array(),
      new Uint8Array([0x30, 0x05, 0xa0]),
      new Uint8Array([0x04, 0x00]),
      san(utf8('x')),
    ]) {
      expect(() => decodeJpkiSubjectAltName(b)).not.toThrow();
    }
    const bad = decodeJpkiSubjectAltName(
      san(otherName('1.2.392.200149.8.5.5.1', new asn1js.Utf8String({ valueHex: new Uint8Array([0xff]).buffer }))),
    );
    expect(bad.name).toBeUndefined();
    expect(bad.problems[0]).toMatch(/UTF-8/);
  });
});
