/**
 * pcscd going away and coming back, with the real daemon (DESIGN §4: the monitor survives pcscd
 * restarts). This is the one test that stops pcscd: it restarts it in `finally`, whatever
 * happens, and waits until the vpcd ports listen again. Other users of pcscd (e.g. a test run
 * on vpcd slot 1) lose their card for the ~1 s this takes.
 */
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type CardError, isCardError } from '../../native/apdu/errors.ts';
import { MynaCard } from '../../native/myna-card.ts';
import { listReaders } from '../../native/pcsc/list-readers.ts';
import { PcscTransport } from '../../native/pcsc/pcsc-transport.ts';
import { ReaderMonitor } from '../../native/pcsc/reader-monitor.ts';
import { EmulatorProcess } from './harness/emulator-process.ts';
import { nextEvent, recordEvents, sleep, waitUntil } from './harness/events.ts';
import {
  isPcscdRunning,
  pcscUnavailableReason,
  startPcscd,
  stopPcscd,
  VPCD_READERS,
  vpcdClients,
  vpcdListening,
  waitForFreeSlot,
} from './harness/pcscd.ts';
import { VpcdResponder } from './harness/vpcd-responder.ts';

const skipReason = await pcscUnavailableReason();
if (skipReason) console.warn(`[integration] pcscd restart test skipped: ${skipReason}`);

const READER = VPCD_READERS[0];
const SELECT_JPKI = Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, 0x0a, 0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0, 0, 0, 0x01]);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const openFds = () => readdirSync('/proc/self/fd').length;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return isCardError(e) ? (e as CardError).code : `not a CardError: ${String(e)}`;
  }
}

describe.skipIf(skipReason !== undefined)('pcscd stop / start', () => {
  afterAll(async () => {
    // belt and braces: never leave the machine without pcscd
    if (!isPcscdRunning() || !vpcdListening()) await startPcscd();
  });

  it('stopped → service-down, removals, SERVICE_DOWN everywhere; restarted → the monitor recovers by itself', async () => {
    await waitForFreeSlot(0);
    await waitForFreeSlot(1, 5000).catch((e: Error) => console.warn(`[integration] going ahead: ${e.message}`));
    const monitor = new ReaderMonitor();
    const transport = new PcscTransport(READER, { monitor });
    let card: VpcdResponder | undefined;
    // The real emulator on slot 1 lives through the restart: it must re-attach by itself.
    let emulator: EmulatorProcess | undefined;
    try {
      emulator = await EmulatorProcess.start({ slot: 1 });
      await monitor.start();
      await waitUntil(() => monitor.reader(READER)?.cardPresent === false, 3000, `${READER} to be empty`);
      const inserted = nextEvent(monitor, 'card-inserted', (e: { reader: string }) => e.reader === READER);
      card = await VpcdResponder.attach({ slot: 0 });
      await inserted;
      const fdsBefore = openFds();
      const { log, times } = recordEvents(monitor, [
        'service-down',
        'service-up',
        'reader-added',
        'reader-removed',
        'card-inserted',
        'card-removed',
      ]);

      // --- stop ---
      const down = nextEvent<{ error: CardError }>(monitor, 'service-down', undefined, 10_000);
      const t0 = Date.now();
      await stopPcscd();
      const stoppedMs = Date.now() - t0;
      const { error } = await down;
      const downMs = Date.now() - t0;
      expect(error.code).toBe('SERVICE_DOWN');
      await waitUntil(() => monitor.readers().length === 0, 2000, 'the readers to be removed');
      // card events of slot 1 belong to whoever else uses it
      const mine = () => log.filter((l) => !l.startsWith('card-') || l.endsWith(READER));
      expect(mine()).toEqual([
        'service-down',
        `card-removed ${READER}`,
        ...VPCD_READERS.map((r) => `reader-removed ${r}`),
      ]);
      expect(monitor.state).toBe('down');
      expect(await codeOf(transport.withCard(async (ch) => ch.transmit(SELECT_JPKI)))).toBe('SERVICE_DOWN');
      expect(await codeOf(listReaders())).toBe('SERVICE_DOWN');
      await card.closed; // vpcd's socket went with pcscd
      card = undefined;
      await sleep(1200); // a few retries while down: no event storm
      expect(log.filter((l) => l === 'service-down')).toHaveLength(1);

      // --- start ---
      const up = nextEvent(monitor, 'service-up', undefined, 15_000);
      const t1 = Date.now();
      const listenMs = await startPcscd();
      await up;
      const upMs = Date.now() - t1;
      await waitUntil(() => VPCD_READERS.every((r) => monitor.reader(r)), 5000, 'the readers to come back');
      const readersMs = Date.now() - t1;
      expect(monitor.state).toBe('up');

      const reinserted = nextEvent(monitor, 'card-inserted', (e: { reader: string }) => e.reader === READER);
      card = await VpcdResponder.attach({ slot: 0 });
      await reinserted;
      expect(hex(await transport.withCard(async (ch) => ch.transmit(SELECT_JPKI)))).toBe('9000');
      await waitUntil(() => monitor.reader(VPCD_READERS[1])?.cardPresent === true, 10_000, 'the emulator to re-attach');
      const slot1 = new PcscTransport(VPCD_READERS[1], { monitor });
      expect((await new MynaCard(slot1).identify()).kind).toBe('mynumber-card');
      await slot1.close();
      expect(mine().slice(4)).toEqual([
        'service-up',
        ...VPCD_READERS.map((r) => `reader-added ${r}`),
        `card-inserted ${READER}`,
      ]);
      console.log(
        `[timing] pkill → pcscd gone ${stoppedMs} ms, service-down after ${downMs} ms (event at ${times.get('service-down')} ms); ` +
          `pcscd start → vpcd ports listen ${listenMs} ms, service-up ${upMs} ms, readers back ${readersMs} ms; ` +
          `open fds before ${fdsBefore}, after recovery ${openFds()} (old context's socket is released on GC only)`,
      );
      if (vpcdClients(1).length === 0) console.log('[integration] slot 1 was free during the restart');
    } finally {
      await emulator?.stop();
      await card?.detach();
      await transport.close();
      await monitor.close();
      if (!isPcscdRunning() || !vpcdListening()) await startPcscd();
    }
  });
});
