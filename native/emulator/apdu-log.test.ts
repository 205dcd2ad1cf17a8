import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CardChannel } from '../card-transport.ts';
import { ApduLog, type LogEntry, readApduLogFile } from './apdu-log.ts';
import { InProcessTransport } from './in-process-transport.ts';
import { dataOf, h, makeTestProfile, swOf, TEST_PINS, toHex } from './test-profile.ts';

const SELECT_JPKI = '00A4040C0AD392F000260100000001';
const SELECT_KENHOJO = '00A4040C0AD3921000310001010408';
const ascii = (s: string) => toHex(new TextEncoder().encode(s));
const lc = (s: string) => s.length.toString(16).padStart(2, '0');
const sel = (fid: string) => `00A4020C02${fid}`;

async function tx(ch: CardChannel, apdu: string): Promise<Uint8Array> {
  return ch.transmit(h(apdu));
}

/** Everything secret a session touches: PINs (old and new), signing input, card data. */
async function sensitiveSession(t: InProcessTransport) {
  const profile = makeTestProfile();
  const digest = createHash('sha256').update('payload').digest('hex').toUpperCase();
  const digestInfo = `3031300D060960864801650304020105000420${digest}`;
  let signature: Uint8Array = new Uint8Array(0);
  let basic4: Uint8Array = new Uint8Array(0);
  await t.withCard(async (ch) => {
    await tx(ch, SELECT_JPKI);
    await tx(ch, sel('0018'));
    await tx(ch, `00200080${lc(TEST_PINS.authPin)}${ascii(TEST_PINS.authPin)}`);
    await tx(ch, `0024018004${ascii('7531')}`); // CHANGE REFERENCE DATA → 7531
    await tx(ch, sel('001B'));
    await tx(ch, `00200080${lc(TEST_PINS.signPassword)}${ascii(TEST_PINS.signPassword)}`);
    await tx(ch, sel('001A'));
    signature = dataOf(await tx(ch, `802A008033${digestInfo}00`));
    await tx(ch, sel('0001'));
    await tx(ch, '00B00000000000');
    await tx(ch, SELECT_KENHOJO);
    await tx(ch, `0020009104${ascii(TEST_PINS.kenhojoPin)}`);
    basic4 = dataOf(await tx(ch, '00B08200000000'));
    await tx(ch, '00B0810011');
  });
  return { profile, digest, signature, basic4 };
}

describe('APDU log', () => {
  it('records header, Lc, Le, SW, timing and SELECT data for each APDU', async () => {
    const t = new InProcessTransport(makeTestProfile());
    await t.withCard(async (ch) => {
      await tx(ch, SELECT_JPKI);
      await tx(ch, sel('000A'));
      await tx(ch, '00B0000004');
      await tx(ch, '00B00000000000');
      await tx(ch, '00200080');
    });
    const [a, b, c, d, e] = t.log.apdus();
    expect(a).toMatchObject({
      kind: 'apdu',
      header: '00A4040C',
      lc: 10,
      le: null,
      data: 'D392F000260100000001',
      sw: '9000',
    });
    expect(b).toMatchObject({ header: '00A4020C', lc: 2, data: '000A', respLen: 0 });
    expect(c).toMatchObject({ header: '00B00000', lc: null, le: 4, respLen: 4, sw: '9000', extended: false });
    expect(d).toMatchObject({ le: 65536, extended: true, respLen: makeTestProfile().authCert.length });
    expect(e).toMatchObject({ header: '00200080', lc: null, le: null, sw: '6986' });
    expect(c?.data).toBeUndefined();
    expect((b?.seq ?? 0) - (a?.seq ?? 0)).toBe(1);
    expect(c?.t).toBeGreaterThanOrEqual(b?.t ?? Infinity);
    expect(c?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('never contains PINs, the new PIN, the signing input, the signature or card data', async () => {
    const t = new InProcessTransport(makeTestProfile());
    const { profile, digest, signature, basic4 } = await sensitiveSession(t);
    const serialized = JSON.stringify(t.log.entries()).toUpperCase();
    const forbidden = {
      authPin: ascii(TEST_PINS.authPin),
      newPin: ascii('7531'),
      signPassword: ascii(TEST_PINS.signPassword),
      kenhojoPin: ascii(TEST_PINS.kenhojoPin),
      digest: digest.slice(0, 16),
      signature: toHex(signature.subarray(0, 8)),
      signCert: toHex(profile.signCert.subarray(16, 24)),
      myNumberHex: ascii(profile.myNumber),
      myNumberText: profile.myNumber,
      basic4: toHex(basic4.subarray(20, 28)),
    };
    expect(signature.length).toBe(256);
    for (const [what, needle] of Object.entries(forbidden)) {
      expect(serialized.includes(needle.toUpperCase()), `${what} leaked into the log`).toBe(false);
    }
    // but the lengths are there
    const verify = t.log.apdus().find((e) => e.header === '00200080' && e.lc === TEST_PINS.signPassword.length);
    expect(verify).toBeDefined();
    expect(t.log.apdus().find((e) => e.header === '802A0080')).toMatchObject({ lc: 51, le: 256, respLen: 256 });
  });

  it('marks let a test count the APDUs of one operation', async () => {
    const t = new InProcessTransport(makeTestProfile());
    await t.withCard((ch) => tx(ch, SELECT_JPKI));
    const mark = t.log.mark('sign');
    await t.withCard(async (ch) => {
      await tx(ch, SELECT_JPKI);
      await tx(ch, sel('001B'));
      await tx(ch, `0020008008${ascii(TEST_PINS.signPassword)}`);
      await tx(ch, sel('001A'));
      expect(swOf(await tx(ch, `802A008003AABBCC00`))).toBe('9000');
    });
    expect(t.log.apdusSince(mark)).toHaveLength(5);
    expect(t.log.apdusSince('sign')).toHaveLength(5);
    expect(() => t.log.apdusSince('nope')).toThrow(/mark not found/);
    t.log.clear();
    expect(t.log.entries()).toHaveLength(0);
  });

  it('emits entries as events and keeps at most `limit` in memory', () => {
    const log = new ApduLog({ limit: 3 });
    const seen: LogEntry[] = [];
    log.on('entry', (e) => seen.push(e));
    for (let i = 0; i < 5; i++) log.mark(`m${i}`);
    expect(seen).toHaveLength(5);
    expect(log.entries().map((e) => (e as { event: string }).event)).toEqual(['m2', 'm3', 'm4']);
  });

  it('appends JSON lines to a file that another process can read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'myna-emu-log-'));
    try {
      const file = join(dir, 'apdu.jsonl');
      const t = new InProcessTransport(makeTestProfile(), { log: new ApduLog({ file }) });
      await sensitiveSession(t);
      const fromFile = readApduLogFile(file);
      expect(fromFile).toEqual(JSON.parse(JSON.stringify(t.log.entries())));
      expect(fromFile.filter((e) => e.kind === 'apdu')).toHaveLength(14);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
