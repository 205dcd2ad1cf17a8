/**
 * A minimal ZIP writer for the application package (README "Application package format",
 * Container; PKWARE APPNOTE 6.3.x §4.3): every entry stored (method 0), CRC-32 from node:zlib,
 * sizes in the local header (no data descriptor, flag bit 3 clear), UTF-8 names (flag bit 11),
 * no extra fields, no comments, no directory entries, no ZIP64, entries in the given order.
 * "Version needed" is 2.0. "Made by" is 2.0 on Unix with mode 0644 regular files as the
 * external attributes: Info-ZIP's unzip applies an OEM code-page translation to names from
 * MS-DOS hosts even when flag bit 11 says UTF-8 (so 所得証明書.pdf came out as mojibake), and a
 * Unix host with mode 0 would extract unreadable files. The timestamp is the signing time in UTC (DOS time has no
 * zone; 2-second resolution; clamped to 1980–2107).
 */
import { crc32 } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20; // 2.0
const MADE_BY_UNIX = (3 << 8) | VERSION;
const REGULAR_FILE_0644 = (0o100644 << 16) >>> 0;
const FLAG_UTF8 = 0x0800;
const METHOD_STORED = 0;
const MAX_U32 = 0xffffffff;
const MAX_U16 = 0xffff;

function dosDateTime(d: Date): { date: number; time: number } {
  let y = d.getUTCFullYear();
  let mo = d.getUTCMonth() + 1;
  let day = d.getUTCDate();
  let h = d.getUTCHours();
  let mi = d.getUTCMinutes();
  let s = d.getUTCSeconds();
  if (y < 1980) [y, mo, day, h, mi, s] = [1980, 1, 1, 0, 0, 0];
  if (y > 2107) [y, mo, day, h, mi, s] = [2107, 12, 31, 23, 59, 58];
  return { date: ((y - 1980) << 9) | (mo << 5) | day, time: (h << 11) | (mi << 5) | (s >> 1) };
}

export function writeZip(entries: ZipEntry[], modified: Date): Uint8Array {
  if (entries.length > MAX_U16) throw new RangeError('too many ZIP entries');
  const { date, time } = dosDateTime(modified);
  const prepared = entries.map((e) => {
    if (e.name.length === 0 || e.name.endsWith('/')) throw new RangeError('ZIP entry names must be file names');
    const name = Buffer.from(e.name, 'utf8');
    if (name.length > MAX_U16) throw new RangeError('ZIP entry name too long');
    if (e.data.length > MAX_U32 - 1) throw new RangeError('ZIP entry too large (no ZIP64)');
    return { name, data: e.data, crc: crc32(e.data) >>> 0 };
  });
  const localSize = prepared.reduce((n, e) => n + 30 + e.name.length + e.data.length, 0);
  const centralSize = prepared.reduce((n, e) => n + 46 + e.name.length, 0);
  const total = localSize + centralSize + 22;
  if (localSize > MAX_U32 || total > MAX_U32) throw new RangeError('ZIP archive too large (no ZIP64)');

  // Every byte is written below (checked against `total` at the end), so no zero-fill.
  const out = Buffer.allocUnsafeSlow(total);
  let p = 0;
  const offsets: number[] = [];
  for (const e of prepared) {
    offsets.push(p);
    p = out.writeUInt32LE(LOCAL_HEADER, p);
    p = out.writeUInt16LE(VERSION, p); // version needed to extract
    p = out.writeUInt16LE(FLAG_UTF8, p);
    p = out.writeUInt16LE(METHOD_STORED, p);
    p = out.writeUInt16LE(time, p);
    p = out.writeUInt16LE(date, p);
    p = out.writeUInt32LE(e.crc, p);
    p = out.writeUInt32LE(e.data.length, p); // compressed size
    p = out.writeUInt32LE(e.data.length, p); // uncompressed size
    p = out.writeUInt16LE(e.name.length, p);
    p = out.writeUInt16LE(0, p); // extra field length
    p += e.name.copy(out, p);
    out.set(e.data, p);
    p += e.data.length;
  }
  const centralStart = p;
  prepared.forEach((e, i) => {
    p = out.writeUInt32LE(CENTRAL_HEADER, p);
    p = out.writeUInt16LE(MADE_BY_UNIX, p); // version made by: 2.0, Unix
    p = out.writeUInt16LE(VERSION, p); // version needed to extract
    p = out.writeUInt16LE(FLAG_UTF8, p);
    p = out.writeUInt16LE(METHOD_STORED, p);
    p = out.writeUInt16LE(time, p);
    p = out.writeUInt16LE(date, p);
    p = out.writeUInt32LE(e.crc, p);
    p = out.writeUInt32LE(e.data.length, p);
    p = out.writeUInt32LE(e.data.length, p);
    p = out.writeUInt16LE(e.name.length, p);
    p = out.writeUInt16LE(0, p); // extra field length
    p = out.writeUInt16LE(0, p); // file comment length
    p = out.writeUInt16LE(0, p); // disk number start
    p = out.writeUInt16LE(0, p); // internal attributes
    p = out.writeUInt32LE(REGULAR_FILE_0644, p); // external attributes: -rw-r--r--
    p = out.writeUInt32LE(offsets[i] as number, p);
    p += e.name.copy(out, p);
  });
  const centralLength = p - centralStart;
  p = out.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, p);
  p = out.writeUInt16LE(0, p); // this disk
  p = out.writeUInt16LE(0, p); // disk with the central directory
  p = out.writeUInt16LE(prepared.length, p);
  p = out.writeUInt16LE(prepared.length, p);
  p = out.writeUInt32LE(centralLength, p);
  p = out.writeUInt32LE(centralStart, p);
  p = out.writeUInt16LE(0, p); // comment length
  if (p !== total) throw new Error('ZIP size miscalculated');
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
