/**
 * Test helpers for the signing service (imported by *.test.ts only): emulated cards, sample
 * attachments with the right magic numbers, a valid draft, and the openssl CLI as an
 * independent verifier.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CardChannel, CardTransport } from '../../../../native/card-transport.ts';
import { InProcessTransport } from '../../../../native/emulator/in-process-transport.ts';
import { loadResident } from '../../../../native/emulator/load-profile.ts';
import type { CardProfile } from '../../../../native/emulator/profile.ts';
import { MynaCard } from '../../../../native/myna-card.ts';
import type { ApplicationDraft } from './draft.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const SIGN_CA_PEM = join(REPO_ROOT, 'resources/demo/pki/sign-ca.pem');

const profiles = new Map<string, CardProfile>();

export async function residentProfile(id = 'resident-01'): Promise<CardProfile> {
  let p = profiles.get(id);
  if (!p) {
    p = await loadResident(id);
    profiles.set(id, p);
  }
  return p;
}

/** A fresh emulated card (fresh PIN counters) of a demo resident. */
export async function emulatedCard(id = 'resident-01') {
  const profile = await residentProfile(id);
  const transport = new InProcessTransport(profile, { readerName: `test (${id})` });
  return { profile, transport, card: new MynaCard(transport) };
}

function filler(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function withHead(head: number[] | string, size: number, seed: number): Uint8Array {
  const h = typeof head === 'string' ? Buffer.from(head, 'latin1') : Uint8Array.from(head);
  const out = filler(Math.max(size, h.length), seed);
  out.set(h);
  return out;
}

export const samplePdf = (size = 2048, seed = 1) => withHead('%PDF-1.7\n', size, seed);
export const samplePng = (size = 1024, seed = 2) =>
  withHead([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], size, seed);
export const sampleJpeg = (size = 1024, seed = 3) => withHead([0xff, 0xd8, 0xff, 0xe0], size, seed);

export function sampleDraft(overrides: Partial<ApplicationDraft> = {}): ApplicationDraft {
  return {
    procedureId: 'jidou-teate-nintei',
    municipalityCode: '131016',
    form: {
      applicant: { name: '見本　花子', address: '東京都千代田区千代田1-1', birthDate: '1990-04-01' },
      children: [{ name: '見本　太郎', birthDate: '2020-05-05' }],
      bankAccount: { bank: '0001', branch: '001', number: '1234567' },
      income: 4_200_000,
      consent: true,
      note: null,
    },
    attachments: [
      { name: '所得証明書.pdf', mediaType: 'application/pdf', bytes: samplePdf(4096) },
      { name: 'photo.png', mediaType: 'image/png', bytes: samplePng(1500) },
    ],
    ...overrides,
  };
}

export interface ProcessResult {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

export function run(cmd: string, args: string[], input?: Uint8Array): ProcessResult {
  const r = spawnSync(cmd, args, { input, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

export function tempDir(prefix = 'myna-sign-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * `openssl cms -verify` against the demo Sign CA (the independent verifier, DESIGN §9).
 * Returns the recovered content (attached) or the status for detached (`content` given).
 */
export function opensslVerify(cms: Uint8Array, content?: Uint8Array): ProcessResult {
  const dir = tempDir('myna-openssl-');
  const sig = join(dir, 'sig.p7s');
  writeFileSync(sig, cms);
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-CAfile', SIGN_CA_PEM, '-purpose', 'any'];
  if (content) {
    const data = join(dir, 'content.bin');
    writeFileSync(data, content);
    args.push('-content', data, '-out', '/dev/null');
  } else {
    args.push('-out', '-');
  }
  return run('openssl', args);
}

export interface ZipEntryInfo {
  name: string;
  data: Uint8Array;
  flags: number;
  method: number;
  versionNeeded: number;
  versionMadeBy: number;
  localExtraLength: number;
  centralExtraLength: number;
  commentLength: number;
  externalAttributes: number;
  crc: number;
}

/** A strict little ZIP reader for tests: walks the central directory and each local header. */
export function readZip(zip: Uint8Array): { entries: ZipEntryInfo[]; archiveCommentLength: number } {
  const b = Buffer.from(zip.buffer, zip.byteOffset, zip.length);
  const eocd = b.length - 22;
  if (b.readUInt32LE(eocd) !== 0x06054b50) throw new Error('no EOCD at the end (comment present?)');
  const count = b.readUInt16LE(eocd + 10);
  const cdSize = b.readUInt32LE(eocd + 12);
  const cdOffset = b.readUInt32LE(eocd + 16);
  if (cdOffset + cdSize !== eocd) throw new Error('central directory not right before EOCD');
  const entries: ZipEntryInfo[] = [];
  let p = cdOffset;
  let expectLocal = 0;
  for (let i = 0; i < count; i++) {
    if (b.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central header');
    const nameLen = b.readUInt16LE(p + 28);
    const extra = b.readUInt16LE(p + 30);
    const comment = b.readUInt16LE(p + 32);
    const local = b.readUInt32LE(p + 42);
    if (local !== expectLocal) throw new Error('local headers are not contiguous, in order');
    const name = b.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const size = b.readUInt32LE(p + 24);
    if (b.readUInt32LE(local) !== 0x04034b50) throw new Error('bad local header');
    const lNameLen = b.readUInt16LE(local + 26);
    const lExtra = b.readUInt16LE(local + 28);
    const start = local + 30 + lNameLen + lExtra;
    entries.push({
      name,
      data: new Uint8Array(b.subarray(start, start + size)),
      flags: b.readUInt16LE(p + 8),
      method: b.readUInt16LE(p + 10),
      versionMadeBy: b.readUInt16LE(p + 4),
      versionNeeded: b.readUInt16LE(p + 6),
      localExtraLength: lExtra,
      centralExtraLength: extra,
      commentLength: comment,
      externalAttributes: b.readUInt32LE(p + 38),
      crc: b.readUInt32LE(p + 16),
    });
    expectLocal = start + size;
    p += 46 + nameLen + extra + comment;
  }
  if (expectLocal !== cdOffset) throw new Error('bytes between the last entry and the central directory');
  return { entries, archiveCommentLength: b.readUInt16LE(eocd + 20) };
}

/** A transport that lets the card answer, then damages the COMPUTE DIGITAL SIGNATURE response. */
export class FlippingTransport implements CardTransport {
  readonly inner: InProcessTransport;
  constructor(inner: InProcessTransport) {
    this.inner = inner;
  }
  get readerName() {
    return this.inner.readerName;
  }
  atr() {
    return this.inner.atr();
  }
  cardGeneration() {
    return this.inner.cardGeneration();
  }
  close() {
    return this.inner.close();
  }
  withCard<T>(fn: (ch: CardChannel) => Promise<T>, opts?: { resetAfter?: boolean }): Promise<T> {
    return this.inner.withCard(
      (ch) =>
        fn({
          transmit: async (apdu) => {
            const r = await ch.transmit(apdu);
            if (apdu[0] === 0x80 && apdu[1] === 0x2a && r.length > 2) {
              const out = Uint8Array.from(r);
              out[100] = (out[100] as number) ^ 0x01;
              return out;
            }
            return r;
          },
        }),
      opts,
    );
  }
}
