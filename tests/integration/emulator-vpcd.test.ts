/**
 * The emulator as a real PC/SC card: pcscd + vsmartcard-vpcd on slot 1 ("Virtual PCD 00 01",
 * TCP 35964), driven by OpenSC's unchanged JPKI driver (DESIGN §6, §9). APDU-frugal: each APDU
 * through vpcd costs tens of ms. Skips, printing why, when pcscd/vpcd/OpenSC are not usable.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { verify, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApduEntry, readApduLogFile } from '../../native/emulator/apdu-log.ts';
import { CardSlot } from '../../native/emulator/card-slot.ts';
import { makeTestProfile, profileToJson, TEST_PINS } from '../../native/emulator/test-profile.ts';
import { VpcdClient } from '../../native/emulator/vpcd-client.ts';

const run = promisify(execFile);

/** Sends raw APDUs with pcsc-tools' scriptor; resolves with its output even when it fails. */
function scriptor(script: string): Promise<string> {
  return new Promise((resolve) => {
    const p = spawn('scriptor', ['-r', READER], { stdio: 'pipe' });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    p.stderr.on('data', (d: Buffer) => {
      out += d;
    });
    p.on('close', () => resolve(out));
    p.on('error', (e) => resolve(`scriptor failed: ${e.message}`));
    p.stdin.end(script);
  });
}
const SLOT = 1;
const READER = 'Virtual PCD 00 01';
const PORT = 35963 + SLOT;
const JPKI_AID = 'D392F000260100000001';
const PKCS11_MODULES = ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so'];

async function why(): Promise<string | undefined> {
  for (const tool of ['opensc-tool', 'pkcs15-tool', 'scriptor']) {
    try {
      await run(tool, ['--version']);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return `${tool} is not installed`;
    }
  }
  const listening = await new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port: PORT });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
  if (!listening) return `nothing listens on 127.0.0.1:${PORT} (pcscd with vsmartcard-vpcd not running)`;
  await new Promise((r) => setTimeout(r, 600)); // let pcscd notice that the probe left
  try {
    const { stdout } = await run('opensc-tool', ['-l']);
    const line = stdout.split('\n').find((l) => l.includes(READER));
    if (!line) return `pcscd has no reader "${READER}"`;
    if (/\bYes\b/.test(line)) return `"${READER}" already holds a card (another emulator attached?)`;
  } catch (e) {
    return `opensc-tool -l failed: ${(e as Error).message.split('\n')[0]}`;
  }
  return undefined;
}

const skipReason = await why();
if (skipReason) console.warn(`vpcd.test.ts skipped: ${skipReason}`);

const profile = makeTestProfile();
const apduCount = (e: { kind: string }[]) => e.filter((x) => x.kind === 'apdu').length;
const certApdus = (der: Uint8Array) => 2 + Math.ceil(der.length / 256); // SELECT + 4-byte read + chunks

function pemToDer(pem: string): string {
  return Buffer.from(new X509Certificate(pem).raw).toString('hex');
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe.skipIf(skipReason !== undefined)('emulator through pcscd + vpcd, checked by OpenSC (slot 1)', () => {
  let cardSlot: CardSlot;
  let client: VpcdClient;

  beforeAll(async () => {
    cardSlot = new CardSlot(profile);
    client = new VpcdClient(cardSlot, { slot: SLOT });
    const ready = once(client, 'ready');
    client.start();
    await ready;
  }, 15_000);

  afterAll(async () => {
    await client?.stop();
    // Leave the slot empty for a while: pcscd must see the card go (polls ~0.44 s) before the
    // next emulator attaches, or it may never power the new one up (see vpcd-client.ts).
    await new Promise((r) => setTimeout(r, 1200));
  });

  it('a real PC/SC client reaches the card: opensc-tool SELECT of the JPKI AP → 90 00', async () => {
    const mark = cardSlot.log.mark('opensc-tool');
    const { stdout } = await run('opensc-tool', ['-r', READER, '-s', `00 A4 04 0C 0A ${JPKI_AID}`]);
    expect(stdout).toMatch(/Received \(SW1=0x90, SW2=0x00\)/);
    // opensc-tool connects through OpenSC's card detection first (foreign-driver probes, then
    // the JPKI driver's own SELECT), then sends ours: the last APDU.
    const apdus = cardSlot.log.apdusSince(mark);
    expect(apdus.at(-1)).toMatchObject({ header: '00A4040C', data: JPKI_AID, sw: '9000' });
    console.info(`opensc-tool -s: ${apdus.length} APDUs for 1 sent (OpenSC card detection included)`);
  }, 30_000);

  it("pkcs15-tool --list-certificates lists all four certificates with OpenSC's JPKI driver", async () => {
    const mark = cardSlot.log.mark('list');
    const { stdout } = await run('pkcs15-tool', ['--reader', READER, '--list-certificates']);
    for (const label of [
      'User Authentication Certificate',
      'Digital Signature Certificate',
      'User Authentication Certificate CA',
      'Digital Signature Certificate CA',
    ]) {
      expect(stdout).toContain(`[${label}]`);
    }
    const apdus = cardSlot.log.apdusSince(mark);
    const firstJpki = apdus.findIndex((e) => e.data === JPKI_AID);
    const jpki = apdus.slice(firstJpki);
    // match SELECT + bind (SELECT AP, SELECT 0018, 00200080, SELECT 001B, 00200080) +
    // 000A, 000B, 0002 in full + 0001 stopped by 6982 after its 4-byte read (jpki-protocol §5.1)
    const expected =
      1 + 5 + certApdus(profile.authCert) + 2 + certApdus(profile.authCaCert) + certApdus(profile.signCaCert);
    console.info(
      `pkcs15-tool --list-certificates: ${apdus.length} APDUs = ${firstJpki} foreign-driver probes + ${jpki.length} JPKI`,
    );
    expect(jpki).toHaveLength(expected);
    expect(jpki.filter((e) => e.sw === '6982').map((e) => e.header)).toEqual(['00B00000']);
    expect(apdus.slice(0, firstJpki).every((e) => ['6A82', '6D00'].includes(e.sw))).toBe(true);
  }, 30_000);

  it('pkcs15-tool --read-certificate returns the profile DER for 01, 03, 04; 02 only with the sign PIN', async () => {
    for (const [id, der] of [
      ['01', profile.authCert],
      ['03', profile.authCaCert],
      ['04', profile.signCaCert],
    ] as const) {
      const { stdout } = await run('pkcs15-tool', ['--reader', READER, '--read-certificate', id]);
      expect(pemToDer(stdout), `certificate ${id}`).toBe(hex(der));
    }
    const denied = await run('pkcs15-tool', ['--reader', READER, '--read-certificate', '02']).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect((denied as { code?: number }).code).not.toBe(0);
    const { stdout } = await run('pkcs15-tool', [
      '--reader',
      READER,
      '--read-certificate',
      '02',
      '--auth-id',
      '02',
      '--verify-pin',
      '--pin',
      TEST_PINS.signPassword,
    ]);
    expect(pemToDer(stdout)).toBe(hex(profile.signCert));
    expect(cardSlot.card.pins.triesLeft('sign')).toBe(5);
  }, 60_000);

  it('pkcs11-tool signs with the auth key; the signature verifies with the certificate', async (ctx) => {
    const module = PKCS11_MODULES.find((m) => {
      try {
        readFileSync(m, { flag: 'r' });
        return true;
      } catch {
        return false;
      }
    });
    if (!module) ctx.skip('opensc-pkcs11.so not found');
    const dir = mkdtempSync(join(tmpdir(), 'myna-emu-p11-'));
    try {
      writeFileSync(join(dir, 'msg'), 'hello from pkcs11-tool');
      await run('pkcs11-tool', [
        '--module',
        module as string,
        '--token-label',
        'JPKI (User Authentication PIN)',
        '--login',
        '--pin',
        TEST_PINS.authPin,
        '--sign',
        '--id',
        '01',
        '-m',
        'SHA256-RSA-PKCS',
        '-i',
        join(dir, 'msg'),
        '-o',
        join(dir, 'sig'),
      ]).catch((e: { stderr?: string; message: string }) => {
        const pins = cardSlot.log
          .apdus()
          .filter((x) => x.header.startsWith('0020') || ['0018', '001B', '0017', '001A'].includes(x.data ?? ''))
          .map((x) => `${x.header}${x.data ?? ''}/${x.lc}:${x.sw}`);
        throw new Error(`pkcs11-tool failed: ${e.stderr ?? e.message} ${pins.join(' ')}`);
      });
      const sig = readFileSync(join(dir, 'sig'));
      expect(sig.length).toBe(256);
      const pub = new X509Certificate(profile.authCert).publicKey;
      expect(verify('sha256', Buffer.from('hello from pkcs11-tool'), pub, sig)).toBe(true);
      expect(
        cardSlot.log
          .apdus()
          .filter((e) => e.header === '802A0080')
          .at(-1),
      ).toMatchObject({ sw: '9000', lc: 51 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.skipIf(skipReason !== undefined)('npm run emulator (cli.ts) on slot 1', () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'myna-emu-cli-'));
  });
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints ready, serves opensc-tool, removes the card after APDU n, exits 0 on SIGTERM', async () => {
    const cardFile = join(dir, 'card.json');
    const logFile = join(dir, 'apdu.jsonl');
    const stateFile = join(dir, 'state.json');
    writeFileSync(cardFile, JSON.stringify(profileToJson(profile)));
    const cli = fileURLToPath(new URL('../../native/emulator/cli.ts', import.meta.url));
    const c = spawn(
      process.execPath,
      [
        cli,
        '--slot',
        String(SLOT),
        '--card',
        cardFile,
        '--log',
        logFile,
        '--state',
        stateFile,
        '--remove-after',
        '2',
        '--lock-pin',
        'kenhojo',
      ],
      { stdio: 'pipe' },
    );
    child = c;
    let stdout = '';
    let stderr = '';
    c.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    const readyLines = () => stdout.split('\n').filter((l) => l.includes('ready')).length;
    const waitReady = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no "ready" line; stderr: ${stderr}`)), 15_000);
        const check = () => {
          if (readyLines() >= n) {
            clearTimeout(t);
            c.stdout.off('data', onData);
            resolve();
          }
        };
        const onData = (d: Buffer) => {
          stdout += d;
          check();
        };
        c.stdout.on('data', onData);
        check();
      });
    await waitReady(1);
    expect(stdout).toContain(`emulator ready: test-card on ${READER} (127.0.0.1:${PORT})`);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).tries.kenhojo).toBe(0); // --lock-pin

    // APDU 1 and 2 are answered, then the card leaves the reader (--remove-after 2). scriptor
    // sends exactly the APDUs given (opensc-tool would add OpenSC's detection probes).
    const script = `00 A4 04 0C 0A ${JPKI_AID.replace(/(..)(?!$)/g, '$1 ')}\n00 A4 02 0C 02 00 06\n00 B0 00 00 20\n`;
    const first = await scriptor(script);
    expect(first.match(/< 90 00/g), first).toHaveLength(2);
    expect(first).not.toContain('4A 50 4B 49'); // "JPKI": the READ never got an answer
    const apdus = readApduLogFile(logFile).filter((e): e is ApduEntry => e.kind === 'apdu');
    expect(apdus.map((e) => `${e.header}:${e.sw}`)).toEqual(['00A4040C:9000', '00A4020C:9000']);
    expect(stderr).toContain('card removed');

    // SIGUSR2 re-inserts the card: pcscd powers it up again, a second ready line appears
    c.kill('SIGUSR2');
    await waitReady(2);
    const second = await scriptor(script);
    expect(second, second).toContain('4A 50 4B 49 41 50 49 43 43 54 4F 4B 45 4E 32 20'); // JPKIAPICCTOKEN2
    expect(apduCount(readApduLogFile(logFile))).toBe(5);

    const exited = once(c, 'exit');
    c.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(stderr).toMatch(/attached to Virtual PCD 00 01/);
    expect(stderr).toMatch(/detached from Virtual PCD 00 01 \(127\.0\.0\.1:35964\): stopped/);
    child = undefined;
  }, 60_000);
});
