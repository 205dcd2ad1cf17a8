/**
 * The whole PC/SC path against the real card emulator (DESIGN §6) as a separate process on vpcd
 * slot 0: pcsclite → pcscd → vpcd → emulator. Two operations, three APDUs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CardError, isCardError } from '../../native/apdu/errors.ts';
import { PcscTransport } from '../../native/pcsc/pcsc-transport.ts';
import type { ReaderMonitor } from '../../native/pcsc/reader-monitor.ts';
import { EmulatorProcess, emulatorAvailable } from './harness/emulator-process.ts';
import { nextEvent } from './harness/events.ts';
import { monitorWithEmptyReader, pcscUnavailableReason, VPCD_READERS } from './harness/pcscd.ts';

const skipReason =
  (await pcscUnavailableReason()) ?? (emulatorAvailable() ? undefined : 'native/emulator/cli.ts does not exist yet');
if (skipReason) console.warn(`[integration] pcsc + emulator tests skipped: ${skipReason}`);

const READER = VPCD_READERS[0];
const SELECT_JPKI = Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, 0x0a, 0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0, 0, 0, 0x01]);
const SELECT_UNKNOWN_AP = Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, 0x05, 0xa0, 0x00, 0x00, 0x00, 0x00]);
const sw = (r: Uint8Array) =>
  Buffer.from(r.subarray(r.length - 2))
    .toString('hex')
    .toUpperCase();

describe.skipIf(skipReason !== undefined)('PcscTransport with the card emulator on vpcd', () => {
  let monitor: ReaderMonitor;

  beforeAll(async () => {
    monitor = await monitorWithEmptyReader(READER, 0);
  });
  afterAll(async () => {
    await monitor?.close();
  });

  it('SELECT of the JPKI AP answers 9000, an unknown AP 6A82', async () => {
    const inserted = nextEvent<{ reader: string; atr: string }>(monitor, 'card-inserted', (e) => e.reader === READER);
    const emu = await EmulatorProcess.start({ slot: 0 });
    try {
      const ev = await inserted;
      expect(ev.atr).toBe('3BDA13FF8131FB468012392F31C173C601C03B');
      const t = new PcscTransport(READER, { monitor });
      const [jpki, unknown] = await t.withCard(async (ch) => [
        await ch.transmit(SELECT_JPKI),
        await ch.transmit(SELECT_UNKNOWN_AP),
      ]);
      expect(sw(jpki!)).toBe('9000');
      expect(sw(unknown!)).toBe('6A82');
      await t.close();
    } finally {
      await emu.stop();
    }
  });

  it('emulator --remove-after 1: the second APDU of an operation fails with CARD_REMOVED, no hang', async () => {
    const inserted = nextEvent(monitor, 'card-inserted', (e: { reader: string }) => e.reader === READER);
    const emu = await EmulatorProcess.start({ slot: 0, removeAfter: 1 });
    try {
      await inserted;
      const t = new PcscTransport(READER, { monitor, apduTimeoutMs: 5000 });
      const t0 = Date.now();
      let first = '';
      const err = await t
        .withCard(async (ch) => {
          first = sw(await ch.transmit(SELECT_JPKI));
          await ch.transmit(SELECT_JPKI);
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      const ms = Date.now() - t0;
      expect(first).toBe('9000');
      expect(isCardError(err), String(err)).toBe(true);
      expect((err as CardError).code).toBe('CARD_REMOVED');
      expect(ms).toBeLessThan(3000);
      console.log(
        `[timing] emulator pulled the card after APDU 1 → CARD_REMOVED (${(err as CardError).details.operation}) after ${ms} ms`,
      );
      await t.close();
    } finally {
      await emu.stop();
    }
  });
});
