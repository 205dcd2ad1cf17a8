/**
 * A strict reader for the application package ZIP (README "Application package format"):
 * stored entries only, CRC-32 checked, UTF-8 names (flag bit 11), no extra fields, comments,
 * encryption, data descriptors, ZIP64, directory entries or duplicates; every local header
 * agrees with its central-directory record; entries are contiguous from offset 0 up to the
 * central directory, which is followed by the end record and nothing else. Anything else is a
 * `PackageFormatError` with a stable code — never a crash, whatever the input.
 */
import { crc32 } from 'node:zlib';

export const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;
export const MAX_ENTRIES = 100;

export type PackageFormatCode =
  | 'TOO_LARGE'
  | 'TOO_MANY_ENTRIES'
  | 'NOT_A_ZIP'
  | 'TRUNCATED'
  | 'ARCHIVE_COMMENT'
  | 'MULTI_DISK'
  | 'ZIP64'
  | 'CENTRAL_DIRECTORY'
  | 'LOCAL_HEADER'
  | 'HEADER_MISMATCH'
  | 'LAYOUT'
  | 'UNSUPPORTED_VERSION'
  | 'ENCRYPTED'
  | 'DATA_DESCRIPTOR'
  | 'UNSUPPORTED_FLAGS'
  | 'NAME_NOT_UTF8'
  | 'COMPRESSED'
  | 'SIZE_MISMATCH'
  | 'EXTRA_FIELD'
  | 'ENTRY_COMMENT'
  | 'DIRECTORY_ENTRY'
  | 'DUPLICATE_ENTRY'
  | 'CRC_MISMATCH'
  | 'UNEXPECTED_ENTRY'
  | 'MISSING_ENTRY'
  | 'ENTRY_ORDER';

export class PackageFormatError extends Error {
  readonly code: PackageFormatCode;
  readonly messageJa: string;
  /** The entry concerned, when there is one. */
  readonly entry?: string;
  constructor(code: PackageFormatCode, message: string, messageJa: string, entry?: string) {
    super(message);
    this.name = 'PackageFormatError';
    this.code = code;
    this.messageJa = messageJa;
    if (entry !== undefined) this.entry = entry;
  }
}

export interface ZipEntry {
  name: string;
  /** A view into the archive bytes (not a copy). */
  data: Uint8Array;
  crc32: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_MASKED_HEADERS = 0x2000;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function u16(b: Uint8Array, o: number): number {
  return (b[o] as number) | ((b[o + 1] as number) << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (
    ((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24)) >>> 0
  );
}

interface CentralRecord {
  name: string;
  nameBytes: Uint8Array;
  versionNeeded: number;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function checkFlags(flags: number, name: string, where: string): void {
  if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS)) {
    throw new PackageFormatError(
      'ENCRYPTED',
      `entry ${name} is encrypted`,
      `エントリ ${name} が暗号化されています`,
      name,
    );
  }
  if (flags & FLAG_DATA_DESCRIPTOR) {
    throw new PackageFormatError(
      'DATA_DESCRIPTOR',
      `entry ${name} uses a data descriptor (sizes after the data)`,
      `エントリ ${name} がデータ記述子を使っています`,
      name,
    );
  }
  if ((flags & FLAG_UTF8) === 0) {
    throw new PackageFormatError(
      'NAME_NOT_UTF8',
      `entry ${name}: the UTF-8 name flag (bit 11) is not set in the ${where}`,
      `エントリ ${name} のUTF-8フラグ（ビット11）が${where === 'local header' ? 'ローカルヘッダ' : '中央ディレクトリ'}で立っていません`,
      name,
    );
  }
  if (flags & ~FLAG_UTF8) {
    throw new PackageFormatError(
      'UNSUPPORTED_FLAGS',
      `entry ${name} has unsupported general-purpose flags 0x${flags.toString(16)}`,
      `エントリ ${name} に未対応の汎用フラグ 0x${flags.toString(16)} があります`,
      name,
    );
  }
}

function decodeName(bytes: Uint8Array, index: number): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new PackageFormatError(
      'NAME_NOT_UTF8',
      `the name of entry #${index + 1} is not valid UTF-8`,
      `${index + 1}番目のエントリ名がUTF-8として正しくありません`,
    );
  }
}

/**
 * Reads every entry of a strict stored-only ZIP, in archive order. Throws PackageFormatError.
 */
export function readZip(bytes: Uint8Array): ZipEntry[] {
  if (bytes.length > MAX_ARCHIVE_BYTES) {
    throw new PackageFormatError(
      'TOO_LARGE',
      `the package is ${bytes.length} bytes; at most ${MAX_ARCHIVE_BYTES} are accepted`,
      `パッケージが大きすぎます（${bytes.length}バイト、上限${MAX_ARCHIVE_BYTES}バイト）`,
    );
  }
  if (bytes.length < EOCD_SIZE) {
    throw new PackageFormatError(
      bytes.length >= 4 && u32(bytes, 0) === SIG_LOCAL ? 'TRUNCATED' : 'NOT_A_ZIP',
      'the file is too short to be a ZIP archive',
      'ZIPアーカイブとしては短すぎます',
    );
  }
  const eocd = bytes.length - EOCD_SIZE;
  if (u32(bytes, eocd) !== SIG_EOCD) {
    // The format forbids an archive comment, so the end record must be the last 22 bytes.
    const hasEocdElsewhere = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).lastIndexOf(
      Buffer.from([0x50, 0x4b, 0x05, 0x06]),
    );
    if (hasEocdElsewhere >= 0) {
      throw new PackageFormatError(
        'ARCHIVE_COMMENT',
        'the end-of-central-directory record is not at the end (archive comment or trailing data)',
        '中央ディレクトリ終端レコードが末尾にありません（アーカイブコメントまたは余分なデータ）',
      );
    }
    throw new PackageFormatError(
      u32(bytes, 0) === SIG_LOCAL ? 'TRUNCATED' : 'NOT_A_ZIP',
      u32(bytes, 0) === SIG_LOCAL
        ? 'the archive is truncated (no end-of-central-directory record)'
        : 'not a ZIP archive',
      u32(bytes, 0) === SIG_LOCAL ? 'アーカイブが途中で切れています' : 'ZIPアーカイブではありません',
    );
  }
  const diskNo = u16(bytes, eocd + 4);
  const cdDisk = u16(bytes, eocd + 6);
  const entriesOnDisk = u16(bytes, eocd + 8);
  const entries = u16(bytes, eocd + 10);
  const cdSize = u32(bytes, eocd + 12);
  const cdOffset = u32(bytes, eocd + 16);
  const commentLength = u16(bytes, eocd + 20);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    throw new PackageFormatError('ZIP64', 'ZIP64 archives are not accepted', 'ZIP64形式は受け付けません');
  }
  if (eocd >= 20 && u32(bytes, eocd - 20) === SIG_ZIP64_LOCATOR) {
    throw new PackageFormatError('ZIP64', 'ZIP64 archives are not accepted', 'ZIP64形式は受け付けません');
  }
  if (diskNo !== 0 || cdDisk !== 0 || entriesOnDisk !== entries) {
    throw new PackageFormatError(
      'MULTI_DISK',
      'split (multi-disk) archives are not accepted',
      '分割アーカイブは受け付けません',
    );
  }
  if (commentLength !== 0) {
    throw new PackageFormatError('ARCHIVE_COMMENT', 'the archive has a comment', 'アーカイブにコメントがあります');
  }
  if (entries > MAX_ENTRIES) {
    throw new PackageFormatError(
      'TOO_MANY_ENTRIES',
      `the archive has ${entries} entries; at most ${MAX_ENTRIES} are accepted`,
      `エントリが多すぎます（${entries}個、上限${MAX_ENTRIES}個）`,
    );
  }
  if (entries === 0) {
    throw new PackageFormatError('MISSING_ENTRY', 'the archive is empty', 'アーカイブが空です');
  }
  if (cdOffset + cdSize !== eocd) {
    throw new PackageFormatError(
      'CENTRAL_DIRECTORY',
      'the central directory does not end where the end record begins',
      '中央ディレクトリの位置と大きさが終端レコードと一致しません',
    );
  }

  // Central directory.
  const records: CentralRecord[] = [];
  let p = cdOffset;
  for (let i = 0; i < entries; i++) {
    if (p + CENTRAL_SIZE > eocd || u32(bytes, p) !== SIG_CENTRAL) {
      throw new PackageFormatError(
        'CENTRAL_DIRECTORY',
        `central-directory record #${i + 1} is missing or malformed`,
        `中央ディレクトリの${i + 1}番目のレコードが壊れています`,
      );
    }
    const nameLength = u16(bytes, p + 28);
    const extraLength = u16(bytes, p + 30);
    const commentLen = u16(bytes, p + 32);
    if (p + CENTRAL_SIZE + nameLength + extraLength + commentLen > eocd) {
      throw new PackageFormatError(
        'CENTRAL_DIRECTORY',
        `central-directory record #${i + 1} runs past the directory`,
        `中央ディレクトリの${i + 1}番目のレコードが範囲外に及んでいます`,
      );
    }
    const nameBytes = bytes.subarray(p + CENTRAL_SIZE, p + CENTRAL_SIZE + nameLength);
    const name = decodeName(nameBytes, i);
    const rec: CentralRecord = {
      name,
      nameBytes,
      versionNeeded: u16(bytes, p + 6),
      flags: u16(bytes, p + 8),
      method: u16(bytes, p + 10),
      crc: u32(bytes, p + 16),
      compressedSize: u32(bytes, p + 20),
      size: u32(bytes, p + 24),
      localOffset: u32(bytes, p + 42),
    };
    const diskStart = u16(bytes, p + 34);
    if (name.length === 0) {
      throw new PackageFormatError(
        'CENTRAL_DIRECTORY',
        `entry #${i + 1} has an empty name`,
        `${i + 1}番目のエントリ名が空です`,
      );
    }
    if (rec.compressedSize === 0xffffffff || rec.size === 0xffffffff || rec.localOffset === 0xffffffff) {
      throw new PackageFormatError(
        'ZIP64',
        `entry ${name} uses ZIP64 sizes`,
        `エントリ ${name} がZIP64を使っています`,
        name,
      );
    }
    if (diskStart !== 0) {
      throw new PackageFormatError(
        'MULTI_DISK',
        'split (multi-disk) archives are not accepted',
        '分割アーカイブは受け付けません',
      );
    }
    if (rec.versionNeeded > 20) {
      throw new PackageFormatError(
        'UNSUPPORTED_VERSION',
        `entry ${name} needs ZIP version ${rec.versionNeeded / 10}; at most 2.0 is accepted`,
        `エントリ ${name} はZIPバージョン${rec.versionNeeded / 10}を必要とします（2.0まで対応）`,
        name,
      );
    }
    checkFlags(rec.flags, name, 'central directory');
    if (rec.method !== 0) {
      throw new PackageFormatError(
        'COMPRESSED',
        `entry ${name} is compressed (method ${rec.method}); only stored entries are accepted`,
        `エントリ ${name} が圧縮されています（方式${rec.method}）。無圧縮のみ受け付けます`,
        name,
      );
    }
    if (rec.compressedSize !== rec.size) {
      throw new PackageFormatError(
        'SIZE_MISMATCH',
        `entry ${name}: stored size ${rec.compressedSize} differs from size ${rec.size}`,
        `エントリ ${name} の格納サイズと元のサイズが異なります`,
        name,
      );
    }
    if (extraLength !== 0) {
      throw new PackageFormatError(
        'EXTRA_FIELD',
        `entry ${name} has extra fields`,
        `エントリ ${name} に拡張フィールドがあります`,
        name,
      );
    }
    if (commentLen !== 0) {
      throw new PackageFormatError(
        'ENTRY_COMMENT',
        `entry ${name} has a comment`,
        `エントリ ${name} にコメントがあります`,
        name,
      );
    }
    if (name.endsWith('/')) {
      throw new PackageFormatError(
        'DIRECTORY_ENTRY',
        `entry ${name} is a directory entry`,
        `エントリ ${name} はディレクトリです`,
        name,
      );
    }
    if (records.some((r) => r.name === name)) {
      throw new PackageFormatError(
        'DUPLICATE_ENTRY',
        `entry ${name} appears twice`,
        `エントリ ${name} が重複しています`,
        name,
      );
    }
    records.push(rec);
    p += CENTRAL_SIZE + nameLength + extraLength + commentLen;
  }
  if (p !== eocd) {
    throw new PackageFormatError(
      'CENTRAL_DIRECTORY',
      'unexpected bytes after the last central-directory record',
      '中央ディレクトリの後に余分なデータがあります',
    );
  }

  // Local headers: contiguous from offset 0, in central-directory order, up to the directory.
  const out: ZipEntry[] = [];
  let expected = 0;
  for (const rec of records) {
    const name = rec.name;
    if (rec.localOffset !== expected) {
      throw new PackageFormatError(
        'LAYOUT',
        `entry ${name} does not start right after the previous one (gap, overlap or reordering)`,
        `エントリ ${name} の位置が直前のエントリに続いていません（隙間・重なり・順序の不一致）`,
        name,
      );
    }
    const o = rec.localOffset;
    if (o + LOCAL_SIZE > cdOffset || u32(bytes, o) !== SIG_LOCAL) {
      throw new PackageFormatError(
        'LOCAL_HEADER',
        `the local header of entry ${name} is missing or malformed`,
        `エントリ ${name} のローカルヘッダが壊れています`,
        name,
      );
    }
    const lFlags = u16(bytes, o + 6);
    checkFlags(lFlags, name, 'local header');
    const lNameLength = u16(bytes, o + 26);
    const lExtraLength = u16(bytes, o + 28);
    if (lExtraLength !== 0) {
      throw new PackageFormatError(
        'EXTRA_FIELD',
        `entry ${name} has extra fields`,
        `エントリ ${name} に拡張フィールドがあります`,
        name,
      );
    }
    const dataStart = o + LOCAL_SIZE + lNameLength;
    if (dataStart + rec.size > cdOffset) {
      throw new PackageFormatError(
        'LOCAL_HEADER',
        `entry ${name} runs into the central directory`,
        `エントリ ${name} が中央ディレクトリに食い込んでいます`,
        name,
      );
    }
    const lName = bytes.subarray(o + LOCAL_SIZE, dataStart);
    if (
      u16(bytes, o + 4) !== rec.versionNeeded ||
      lFlags !== rec.flags ||
      u16(bytes, o + 8) !== rec.method ||
      u32(bytes, o + 14) !== rec.crc ||
      u32(bytes, o + 18) !== rec.compressedSize ||
      u32(bytes, o + 22) !== rec.size ||
      Buffer.compare(lName, rec.nameBytes) !== 0
    ) {
      throw new PackageFormatError(
        'HEADER_MISMATCH',
        `the local header of entry ${name} disagrees with the central directory`,
        `エントリ ${name} のローカルヘッダが中央ディレクトリと一致しません`,
        name,
      );
    }
    const data = bytes.subarray(dataStart, dataStart + rec.size);
    const actual = crc32(data) >>> 0;
    if (actual !== rec.crc) {
      throw new PackageFormatError(
        'CRC_MISMATCH',
        `entry ${name} is corrupt (CRC-32 mismatch)`,
        `エントリ ${name} が破損しています（CRC-32不一致）`,
        name,
      );
    }
    out.push({ name, data, crc32: actual });
    expected = dataStart + rec.size;
  }
  if (expected !== cdOffset) {
    throw new PackageFormatError(
      'LAYOUT',
      'unexpected bytes between the last entry and the central directory',
      '最後のエントリと中央ディレクトリの間に余分なデータがあります',
    );
  }
  return out;
}

export const MANIFEST_ENTRY = 'manifest.json';
export const SIGNATURE_ENTRY = 'signature.p7s';
export const ATTACHMENT_PREFIX = 'attachments/';

export interface PackageArchive {
  manifest: Uint8Array;
  signature: Uint8Array;
  /** In archive order; `name` without the `attachments/` prefix. */
  attachments: { name: string; data: Uint8Array }[];
}

/**
 * The package layout on top of readZip(): `manifest.json`, then `signature.p7s`, then
 * `attachments/<name>` entries (no further `/`), nothing else.
 */
export function readPackageArchive(bytes: Uint8Array): PackageArchive {
  const entries = readZip(bytes);
  const manifest = entries.find((e) => e.name === MANIFEST_ENTRY);
  const signature = entries.find((e) => e.name === SIGNATURE_ENTRY);
  for (const e of entries) {
    if (e.name === MANIFEST_ENTRY || e.name === SIGNATURE_ENTRY) continue;
    const rest = e.name.startsWith(ATTACHMENT_PREFIX) ? e.name.slice(ATTACHMENT_PREFIX.length) : undefined;
    if (rest === undefined || rest.length === 0 || rest.includes('/')) {
      throw new PackageFormatError(
        'UNEXPECTED_ENTRY',
        `unexpected entry ${e.name}: only manifest.json, signature.p7s and attachments/<name> are allowed`,
        `想定外のエントリ ${e.name} があります（manifest.json・signature.p7s・attachments/<名前> のみ可）`,
        e.name,
      );
    }
  }
  if (!manifest) {
    throw new PackageFormatError(
      'MISSING_ENTRY',
      'manifest.json is missing',
      'manifest.json がありません',
      MANIFEST_ENTRY,
    );
  }
  if (!signature) {
    throw new PackageFormatError(
      'MISSING_ENTRY',
      'signature.p7s is missing',
      'signature.p7s がありません',
      SIGNATURE_ENTRY,
    );
  }
  if (entries[0]?.name !== MANIFEST_ENTRY || entries[1]?.name !== SIGNATURE_ENTRY) {
    throw new PackageFormatError(
      'ENTRY_ORDER',
      'the archive must start with manifest.json followed by signature.p7s',
      'アーカイブは manifest.json、signature.p7s の順で始まる必要があります',
    );
  }
  return {
    manifest: manifest.data,
    signature: signature.data,
    attachments: entries.slice(2).map((e) => ({ name: e.name.slice(ATTACHMENT_PREFIX.length), data: e.data })),
  };
}
