import { describe, expect, it } from 'vitest';
import { flipByte, prng, writeStoredZip, type ZipEntrySpec } from './test-fixtures.ts';
import { MAX_ARCHIVE_BYTES, PackageFormatError, readPackageArchive, readZip } from './zip-reader.ts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const base = (): ZipEntrySpec[] => [
  { name: 'manifest.json', data: bytes('{"a":1}') },
  { name: 'signature.p7s', data: bytes('SIG') },
  { name: 'attachments/所得証明書.pdf', data: bytes('%PDF-1.4 test') },
];

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof PackageFormatError) return e.code;
    throw e;
  }
  return 'OK';
}

describe('readZip / readPackageArchive', () => {
  it('reads a well-formed package, UTF-8 names, in order', () => {
    const p = readPackageArchive(writeStoredZip(base()));
    expect(Buffer.from(p.manifest).toString()).toBe('{"a":1}');
    expect(Buffer.from(p.signature).toString()).toBe('SIG');
    expect(p.attachments.map((a) => a.name)).toEqual(['所得証明書.pdf']);
  });

  it('accepts a package without attachments', () => {
    expect(readPackageArchive(writeStoredZip(base().slice(0, 2))).attachments).toEqual([]);
  });

  const cases: [string, () => Uint8Array][] = [
    ['NOT_A_ZIP', () => bytes('hello, this is not a zip file at all')],
    ['TRUNCATED', () => writeStoredZip(base()).slice(0, 60)],
    ['ARCHIVE_COMMENT', () => writeStoredZip(base(), { comment: 'hi' })],
    ['ARCHIVE_COMMENT', () => writeStoredZip(base(), { trailing: bytes('xx') })],
    ['MULTI_DISK', () => writeStoredZip(base(), { eocd: { diskNumber: 1 } })],
    ['ZIP64', () => writeStoredZip(base(), { eocd: { entries: 0xffff } })],
    ['TOO_MANY_ENTRIES', () => writeStoredZip(base(), { eocd: { entries: 101 } })],
    ['CENTRAL_DIRECTORY', () => writeStoredZip(base(), { eocd: { cdOffset: 3 } })],
    ['CENTRAL_DIRECTORY', () => writeStoredZip(base(), { eocd: { entries: 4 } })],
    ['ENCRYPTED', () => writeStoredZip([{ ...base()[0]!, flags: 0x0801 }, ...base().slice(1)])],
    ['DATA_DESCRIPTOR', () => writeStoredZip([{ ...base()[0]!, flags: 0x0808 }, ...base().slice(1)])],
    ['UNSUPPORTED_FLAGS', () => writeStoredZip([{ ...base()[0]!, flags: 0x0802 }, ...base().slice(1)])],
    ['NAME_NOT_UTF8', () => writeStoredZip([{ ...base()[0]!, flags: 0 }, ...base().slice(1)])],
    [
      'NAME_NOT_UTF8',
      () => writeStoredZip([...base(), { name: '', nameBytes: new Uint8Array([0x61, 0xff, 0xfe]), data: bytes('x') }]),
    ],
    ['NAME_NOT_UTF8', () => writeStoredZip([{ ...base()[0]!, localFlags: 0 }, ...base().slice(1)])],
    ['COMPRESSED', () => writeStoredZip([{ ...base()[0]!, method: 8 }, ...base().slice(1)])],
    ['UNSUPPORTED_VERSION', () => writeStoredZip([{ ...base()[0]!, versionNeeded: 45 }, ...base().slice(1)])],
    [
      'EXTRA_FIELD',
      () => writeStoredZip([{ ...base()[0]!, extra: new Uint8Array([0x75, 0x78, 0, 0]) }, ...base().slice(1)]),
    ],
    ['ENTRY_COMMENT', () => writeStoredZip([{ ...base()[0]!, comment: 'c' }, ...base().slice(1)])],
    ['DIRECTORY_ENTRY', () => writeStoredZip([...base(), { name: 'attachments/', data: new Uint8Array() }])],
    ['DUPLICATE_ENTRY', () => writeStoredZip([...base(), base()[2]!])],
    ['CRC_MISMATCH', () => writeStoredZip([{ ...base()[0]!, crc: 1234 }, ...base().slice(1)])],
    ['HEADER_MISMATCH', () => writeStoredZip([{ ...base()[0]!, localName: 'manifest.jsoN' }, ...base().slice(1)])],
    ['LAYOUT', () => writeStoredZip([base()[0]!, { ...base()[1]!, gapBefore: bytes('hidden!') }, base()[2]!])],
    ['LOCAL_HEADER', () => writeStoredZip([base()[0]!, { ...base()[1]!, declaredSize: 4000 }, base()[2]!])],
    ['UNEXPECTED_ENTRY', () => writeStoredZip([...base(), { name: 'evil.exe', data: bytes('MZ') }])],
    ['UNEXPECTED_ENTRY', () => writeStoredZip([...base(), { name: 'attachments/sub/x.pdf', data: bytes('x') }])],
    ['UNEXPECTED_ENTRY', () => writeStoredZip([...base(), { name: 'Attachments/x.pdf', data: bytes('x') }])],
    ['MISSING_ENTRY', () => writeStoredZip([base()[0]!, base()[2]!])],
    ['MISSING_ENTRY', () => writeStoredZip([base()[1]!, base()[2]!])],
    ['ENTRY_ORDER', () => writeStoredZip([base()[1]!, base()[0]!, base()[2]!])],
    ['ENTRY_ORDER', () => writeStoredZip([base()[0]!, base()[2]!, base()[1]!])],
  ];
  for (const [code, make] of cases) {
    it(`refuses with ${code}: ${make.toString().slice(6, 90)}`, () => {
      expect(codeOf(() => readPackageArchive(make()))).toBe(code);
    });
  }

  it('refuses more than 100 entries before reading them', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ name: `attachments/${i}.pdf`, data: bytes('x') }));
    expect(codeOf(() => readZip(writeStoredZip(many)))).toBe('TOO_MANY_ENTRIES');
  });

  it('refuses archives over 64 MiB without parsing them', () => {
    const big = new Uint8Array(MAX_ARCHIVE_BYTES + 1);
    expect(codeOf(() => readZip(big))).toBe('TOO_LARGE');
  });

  it('gives every error a Japanese message too', () => {
    try {
      readPackageArchive(writeStoredZip([base()[1]!, base()[0]!]));
    } catch (e) {
      expect((e as PackageFormatError).messageJa).toMatch(/manifest\.json/);
    }
  });

  describe('never crashes on garbage (always a PackageFormatError or a result)', () => {
    const good = writeStoredZip(base());
    const attempt = (b: Uint8Array) => {
      try {
        readPackageArchive(b);
        return 'OK';
      } catch (e) {
        expect(e).toBeInstanceOf(PackageFormatError);
        return (e as PackageFormatError).code;
      }
    };

    it('random bytes', () => {
      const rnd = prng(1);
      for (let i = 0; i < 500; i++) {
        const b = new Uint8Array(Math.floor(rnd() * 400));
        for (let j = 0; j < b.length; j++) b[j] = Math.floor(rnd() * 256);
        attempt(b);
      }
    });

    it('random bytes that start like a ZIP and end with an end record', () => {
      const rnd = prng(2);
      for (let i = 0; i < 500; i++) {
        const b = good.slice();
        for (let k = 0; k < 6; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
        attempt(b);
      }
    });

    it('every truncation', () => {
      for (let n = 0; n < good.length; n++) expect(attempt(good.subarray(0, n))).not.toBe('OK');
    });

    it('every single flipped byte: refused unless it hit an unchecked field (time/date, external attributes)', () => {
      const accepted: number[] = [];
      for (let i = 0; i < good.length; i++) {
        if (attempt(flipByte(good, i)) === 'OK') accepted.push(i);
      }
      // Local header time/date (offsets 10–13 of each local header) and the central directory's
      // "made by", time/date, internal/external attributes are not security relevant.
      const u8 = Buffer.from(good);
      const localStarts: number[] = [];
      const cdStarts: number[] = [];
      for (let i = 0; i + 4 <= u8.length; i++) {
        if (u8.readUInt32LE(i) === 0x04034b50) localStarts.push(i);
        if (u8.readUInt32LE(i) === 0x02014b50) cdStarts.push(i);
      }
      const harmless = new Set<number>();
      for (const s of localStarts) for (const o of [10, 11, 12, 13]) harmless.add(s + o);
      for (const s of cdStarts) for (const o of [4, 5, 12, 13, 14, 15, 36, 37, 38, 39, 40, 41]) harmless.add(s + o);
      expect(accepted.filter((i) => !harmless.has(i))).toEqual([]);
    });
  });
});
