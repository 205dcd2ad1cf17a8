/** The ZIP container: opens with unzip and Python's zipfile; stored, UTF-8, nothing extra. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readZip, run, samplePdf, tempDir } from './test-support.ts';
import { writeZip } from './zip-writer.ts';

const entries = [
  { name: 'manifest.json', data: new TextEncoder().encode('{"a":1}') },
  { name: 'signature.p7s', data: Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01]) },
  { name: 'attachments/所得証明書.pdf', data: samplePdf(70_000) },
  { name: 'attachments/𠮷野.png', data: new Uint8Array(0) },
];
const when = new Date('2026-04-01T09:30:15Z');

describe('writeZip', () => {
  it('stores entries in order with UTF-8 names, CRC-32, no extra fields, no comments', () => {
    const zip = writeZip(entries, when);
    const r = readZip(zip);
    expect(r.archiveCommentLength).toBe(0);
    expect(r.entries.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    for (const [i, e] of r.entries.entries()) {
      const src = entries[i]?.data as Uint8Array;
      expect(Buffer.from(e.data).equals(Buffer.from(src))).toBe(true);
      expect(e.method).toBe(0);
      expect(e.flags).toBe(0x0800);
      expect(e.localExtraLength + e.centralExtraLength + e.commentLength).toBe(0);
      expect(e.versionNeeded).toBe(20);
      expect(e.versionMadeBy).toBe(0x0314);
      expect(e.externalAttributes >>> 16).toBe(0o100644);
      expect(e.crc).toBe(crc32(src) >>> 0);
    }
  });

  it('opens with `unzip -t` and `python3 -m zipfile -t`, and unzip extracts the same bytes', () => {
    const dir = tempDir('myna-zip-');
    const file = join(dir, 'x.zip');
    writeFileSync(file, writeZip(entries, when));
    const u = run('unzip', ['-t', file]);
    expect(u.status, u.stdout.toString() + u.stderr).toBe(0);
    expect(u.stdout.toString()).toContain('No errors detected');
    const py = run('python3', ['-m', 'zipfile', '-t', file]);
    expect(py.status, py.stderr).toBe(0);
    const list = run('python3', [
      '-c',
      'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print("\\n".join(i.filename+" "+str(i.date_time)+" "+str(i.compress_type) for i in z.infolist()))',
      file,
    ]);
    expect(list.stdout.toString('utf8')).toContain('attachments/所得証明書.pdf (2026, 4, 1, 9, 30, 14) 0');
    const out = join(dir, 'out');
    expect(run('unzip', ['-q', file, '-d', out]).status).toBe(0);
    expect(run('cmp', [join(out, 'attachments/所得証明書.pdf'), '-'], entries[2]?.data).status).toBe(0);
  });

  it('is deterministic for the same entries and time', () => {
    expect(Buffer.from(writeZip(entries, when)).equals(Buffer.from(writeZip(entries, when)))).toBe(true);
  });

  it('refuses directory entries and empty names', () => {
    expect(() => writeZip([{ name: 'attachments/', data: new Uint8Array(0) }], when)).toThrow(RangeError);
    expect(() => writeZip([{ name: '', data: new Uint8Array(0) }], when)).toThrow(RangeError);
  });
});
