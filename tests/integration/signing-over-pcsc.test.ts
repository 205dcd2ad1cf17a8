/**
 * Issue 3 through the real stack: `myna sign-application` and `myna sign` against the emulator
 * behind pcscd + vpcd, then `myna verify-application` / `myna verify` (our independent
 * verifier) and `openssl cms -verify` (someone else's) on the very same files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReaderMonitor } from '../../native/pcsc/reader-monitor.ts';
import { readPackageArchive } from '../../portal/verify/index.ts';
import { EmulatorProcess, emulatorAvailable } from './harness/emulator-process.ts';
import { nextEvent } from './harness/events.ts';
import { monitorWithEmptyReader, pcscUnavailableReason, VPCD_READERS } from './harness/pcscd.ts';

const skipReason = (await pcscUnavailableReason()) ?? (emulatorAvailable() ? undefined : 'the emulator CLI is missing');
if (skipReason) console.warn(`[integration] signing over PC/SC skipped: ${skipReason}`);

const READER = VPCD_READERS[0];
const MYNA = fileURLToPath(new URL('../../bin/myna.js', import.meta.url));
const SIGN_CA = fileURLToPath(new URL('../../resources/demo/pki/sign-ca.pem', import.meta.url));

function myna(args: string[], stdin = '') {
  const r = spawnSync(process.execPath, [MYNA, ...args], { input: stdin, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function openssl(args: string[]) {
  return spawnSync('openssl', args, { encoding: 'utf8' });
}

describe.skipIf(skipReason !== undefined)('signing through pcscd + vpcd, verified twice', () => {
  let monitor: ReaderMonitor;
  let emu: EmulatorProcess;
  const dir = mkdtempSync(join(tmpdir(), 'myna-sign-int-'));

  beforeAll(async () => {
    monitor = await monitorWithEmptyReader(READER, 0);
    const inserted = nextEvent(monitor, 'card-inserted', (e: { reader: string }) => e.reader === READER);
    emu = await EmulatorProcess.start({ slot: 0 });
    await inserted;
  });
  afterAll(async () => {
    await emu?.stop();
    await monitor?.close();
  });

  it('sign-application → verify-application and openssl cms -verify accept the same package', () => {
    writeFileSync(join(dir, 'income.pdf'), '%PDF-1.7\n所得証明書\n%%EOF\n');
    writeFileSync(
      join(dir, 'draft.json'),
      JSON.stringify({
        procedureId: 'hoikusho-nyusho',
        municipalityCode: '131016',
        form: { applicant: { name: '見本　花子' }, desiredStart: '2027-04-01' },
        attachments: [{ name: '就労証明書.pdf', mediaType: 'application/pdf', path: 'income.pdf' }],
      }),
    );
    const pkg = join(dir, 'app.mynapkg');
    const s = myna(
      ['sign-application', '--draft', join(dir, 'draft.json'), '--out', pkg, '--reader', READER, '--pin-stdin'],
      'abc123\n',
    );
    expect(s.code, s.err).toBe(0);

    const v = myna(['verify-application', pkg, '--json']);
    expect(v.code, v.out + v.err).toBe(0);
    expect(JSON.parse(v.out).valid).toBe(true);

    const archive = readPackageArchive(new Uint8Array(readFileSync(pkg)));
    writeFileSync(join(dir, 'signature.p7s'), archive.signature);
    const o = openssl([
      'cms',
      '-verify',
      '-inform',
      'DER',
      '-in',
      join(dir, 'signature.p7s'),
      '-CAfile',
      SIGN_CA,
      '-purpose',
      'any',
      '-out',
      join(dir, 'manifest.out'),
    ]);
    expect(o.status, o.stderr).toBe(0);
    expect(readFileSync(join(dir, 'manifest.out')).equals(Buffer.from(archive.manifest))).toBe(true);
  });

  it('sign (detached) → verify --content and openssl cms -verify -content', () => {
    const doc = join(dir, 'letter.pdf');
    writeFileSync(doc, '%PDF-1.7\nお知らせ\n%%EOF\n');
    const p7s = join(dir, 'letter.pdf.p7s');
    const s = myna(['sign', '--in', doc, '--out', p7s, '--reader', READER, '--pin-stdin'], 'ABC123\n');
    expect(s.code, s.err).toBe(0);
    expect(myna(['verify', p7s, '--content', doc]).code).toBe(0);
    const o = openssl([
      'cms',
      '-verify',
      '-inform',
      'DER',
      '-binary',
      '-in',
      p7s,
      '-content',
      doc,
      '-CAfile',
      SIGN_CA,
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);
    expect(o.status, o.stderr).toBe(0);
  });

  it('a wrong password: exit 5 with the tries left, and no file written', () => {
    const doc = join(dir, 'letter.pdf');
    const out = join(dir, 'never.p7s');
    const s = myna(['sign', '--in', doc, '--out', out, '--reader', READER, '--pin-stdin'], 'WRONG123\n');
    expect(s.code).toBe(5);
    expect(s.err).toContain('PIN_INCORRECT');
    expect(existsSync(out)).toBe(false);
  });
});
