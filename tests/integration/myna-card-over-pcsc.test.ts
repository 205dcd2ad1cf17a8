/**
 * MynaCard over the real stack — pcsclite → pcscd → vsmartcard-vpcd → the emulator process —
 * with the emulator's APDU log as the witness that every operation stays at the protocol
 * minimum (jpki-protocol §5.3), plus OpenSC as an independent client of the same card and a
 * card pulled in the middle of a signature. One emulator per scenario: APDUs cost ~45 ms here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { constants, createHash, publicDecrypt, X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CardError, isCardError } from '../../native/apdu/errors.ts';
import { type ApduEntry, readApduLogFile } from '../../native/emulator/apdu-log.ts';
import { loadResident } from '../../native/emulator/load-profile.ts';
import type { CardProfile } from '../../native/emulator/profile.ts';
import { sha256DigestInfo } from '../../native/jpki/digest-info.ts';
import { MynaCard } from '../../native/myna-card.ts';
import { PcscTransport } from '../../native/pcsc/pcsc-transport.ts';
import type { ReaderMonitor } from '../../native/pcsc/reader-monitor.ts';
import { EmulatorProcess, emulatorAvailable } from './harness/emulator-process.ts';
import { nextEvent, waitUntil } from './harness/events.ts';
import { monitorWithEmptyReader, pcscUnavailableReason, VPCD_READERS } from './harness/pcscd.ts';

const pcscReason = await pcscUnavailableReason();
// pkcs15-tool --version exits non-zero; only a missing binary (ENOENT) means "not installed"
const openscReason =
  spawnSync('pkcs15-tool', ['--version'], { stdio: 'ignore' }).error !== undefined
    ? 'OpenSC (pkcs15-tool) is not installed'
    : undefined;
const skipReason = pcscReason ?? (emulatorAvailable() ? undefined : 'the emulator CLI is missing');
if (skipReason) console.warn(`[integration] MynaCard over PC/SC skipped: ${skipReason}`);
if (!skipReason && openscReason) console.warn(`[integration] OpenSC comparison skipped: ${openscReason}`);

const READER = VPCD_READERS[0];
const MYNA = fileURLToPath(new URL('../../bin/myna.js', import.meta.url));
const digestInfo = sha256DigestInfo(createHash('sha256').update('児童手当 認定請求書').digest());

describe.skipIf(skipReason !== undefined)('MynaCard through pcscd + vpcd + the emulator', () => {
  let monitor: ReaderMonitor;
  let alice: CardProfile;
  const dir = mkdtempSync(join(tmpdir(), 'myna-int-'));

  beforeAll(async () => {
    alice = await loadResident('resident-01');
    monitor = await monitorWithEmptyReader(READER, 0);
  });
  afterAll(async () => {
    await monitor?.close();
  });

  async function withEmulator<T>(
    opts: { log?: string; removeAfter?: number },
    fn: (emu: EmulatorProcess) => Promise<T>,
  ): Promise<T> {
    const inserted = nextEvent(monitor, 'card-inserted', (e: { reader: string }) => e.reader === READER);
    const emu = await EmulatorProcess.start({ slot: 0, log: opts.log, removeAfter: opts.removeAfter });
    try {
      await inserted;
      return await fn(emu);
    } finally {
      await emu.stop();
      await waitUntil(() => monitor.reader(READER)?.cardPresent === false, 3000, `${READER} to be empty`);
    }
  }

  it('every operation at the protocol minimum, counted in the emulator log', async () => {
    const log = join(dir, 'apdu.jsonl');
    await withEmulator({ log }, async () => {
      const t = new PcscTransport(READER, { monitor });
      const card = new MynaCard(t);
      const shortCard = new MynaCard(t, { extendedLength: 'never' });
      const counted = async <T>(fn: () => Promise<T>): Promise<{ value: T; apdus: ApduEntry[] }> => {
        const before = readApduLogFile(log).filter((e) => e.kind === 'apdu').length;
        const value = await fn();
        const all = readApduLogFile(log).filter((e): e is ApduEntry => e.kind === 'apdu');
        return { value, apdus: all.slice(before) };
      };
      try {
        const tries = await counted(() => card.pinStatus('sign'));
        expect(tries.value.remaining).toBe(5);
        expect(tries.apdus).toHaveLength(3);

        const authShort = await counted(() => shortCard.readCertificate('auth'));
        expect(Buffer.from(authShort.value).equals(Buffer.from(alice.authCert))).toBe(true);
        expect(authShort.apdus).toHaveLength(2 + Math.ceil(alice.authCert.length / 256));

        const authExt = await counted(() => new MynaCard(t).readCertificate('auth'));
        expect(authExt.apdus).toHaveLength(3);
        expect(authExt.apdus[2]?.extended).toBe(true);

        const sig = await counted(() => card.sign('sign', digestInfo, 'abc123'));
        expect(sig.apdus.map((a) => a.header)).toEqual(['00A4040C', '00A4020C', '00200080', '00A4020C', '802A0080']);
        const key = new X509Certificate(Buffer.from(alice.signCert)).publicKey;
        expect(publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, sig.value).equals(digestInfo)).toBe(true);

        const auth = await counted(() => card.sign('auth', digestInfo, '1234'));
        expect(auth.apdus).toHaveLength(5);

        const info = await counted(() => card.readBasicInfo('1234'));
        expect(info.value).toEqual(alice.basic4);
        expect(info.apdus).toHaveLength(5);

        // the log never carries the PIN: VERIFY entries have a length, no data
        const verifies = readApduLogFile(log).filter(
          (e): e is ApduEntry => e.kind === 'apdu' && e.header === '00200080',
        );
        expect(verifies.every((v) => v.data === undefined)).toBe(true);
      } finally {
        await t.close();
      }
    });
  });

  it.skipIf(openscReason !== undefined)(
    'OpenSC, unchanged, lists the certificates and reads the same DER as `myna cert`',
    async () => {
      await withEmulator({}, async () => {
        // Each OpenSC run costs ~30 foreign probe APDUs (jpki-protocol §5.1): two runs only.
        const list = execFileSync('pkcs15-tool', ['--reader', READER, '--list-certificates'], { encoding: 'utf8' });
        // the sign certificate (02) is PIN-protected: OpenSC lists the three public ones
        expect(list.match(/X\.509 Certificate/g)?.length).toBeGreaterThanOrEqual(3);
        const opensc = execFileSync('pkcs15-tool', ['--reader', READER, '--read-certificate', '01'], {
          encoding: 'utf8',
        });
        const ours = execFileSync(process.execPath, [MYNA, 'cert', 'auth', '--pem', '--reader', READER], {
          encoding: 'utf8',
        });
        expect(new X509Certificate(opensc).raw.equals(new X509Certificate(ours).raw)).toBe(true);
        expect(new X509Certificate(ours).raw.equals(Buffer.from(alice.authCert))).toBe(true);
      });
    },
  );

  it('a card pulled in the middle of a signature: CARD_REMOVED and no signature, never a hang', async () => {
    // APDUs 1–3 are SELECT AP, SELECT 001B, VERIFY; the card leaves before SELECT 001A / 80 2A.
    await withEmulator({ removeAfter: 3 }, async () => {
      const t = new PcscTransport(READER, { monitor, apduTimeoutMs: 5000 });
      try {
        const err = await new MynaCard(t).sign('sign', digestInfo, 'ABC123').then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isCardError(err), String(err)).toBe(true);
        expect((err as CardError).code).toBe('CARD_REMOVED');
      } finally {
        await t.close();
      }
    });
  });

  it('a wrong password over PC/SC: the tries left come back and nothing is signed', async () => {
    await withEmulator({}, async () => {
      const t = new PcscTransport(READER, { monitor });
      try {
        const card = new MynaCard(t);
        const err = await card.sign('sign', digestInfo, 'WRONG99').then(
          () => undefined,
          (e: unknown) => e,
        );
        expect((err as CardError).code).toBe('PIN_INCORRECT');
        expect((err as CardError).details.remaining).toBe(4);
        expect((await card.pinStatus('sign')).remaining).toBe(4);
      } finally {
        await t.close();
      }
    });
  });
});
