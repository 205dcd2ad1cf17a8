/**
 * Reader presence against the real pcscd + vpcd + node-pcsclite (DESIGN §4, §9). Uses vpcd
 * slot 0 ("Virtual PCD 00 00") and the tiny vpcd responder: these tests are about presence and
 * the process lifecycle, not about the card.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listReaders } from '../../native/pcsc/list-readers.ts';
import type { ReaderMonitor } from '../../native/pcsc/reader-monitor.ts';
import { nextEvent, recordEvents, sleep } from './harness/events.ts';
import { monitorWithEmptyReader, pcscUnavailableReason, VPCD_READERS } from './harness/pcscd.ts';
import { MYNUMBER_ATR, VpcdResponder } from './harness/vpcd-responder.ts';

const skipReason = await pcscUnavailableReason();
if (skipReason) console.warn(`[integration] pcsc monitor tests skipped: ${skipReason}`);

const READER = VPCD_READERS[0];
const ATR_HEX = Buffer.from(MYNUMBER_ATR).toString('hex').toUpperCase();

describe.skipIf(skipReason !== undefined)('ReaderMonitor over pcscd + vpcd', () => {
  let monitor: ReaderMonitor;

  beforeAll(async () => {
    monitor = await monitorWithEmptyReader(READER, 0);
  });
  afterAll(async () => {
    await monitor?.close();
  });

  it('listReaders() shows both Virtual PCDs, slot 0 empty', async () => {
    const t0 = Date.now();
    const readers = await listReaders();
    const ms = Date.now() - t0;
    const names = readers.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining([...VPCD_READERS]));
    expect(readers.find((r) => r.name === READER)).toEqual({ name: READER, cardPresent: false, atr: '' });
    console.log(`[timing] listReaders: ${ms} ms`);
  });

  it('hot-plug: a vpcd client attaching is card-inserted with its ATR; detaching is card-removed', async () => {
    expect(monitor.state).toBe('up');
    expect(monitor.reader(READER)?.cardPresent).toBe(false);
    const { log } = recordEvents(monitor, ['card-inserted', 'card-removed', 'reader-removed', 'service-down']);

    const t0 = Date.now();
    const inserted = nextEvent<{ reader: string; atr: string }>(monitor, 'card-inserted', (e) => e.reader === READER);
    const card = await VpcdResponder.attach({ slot: 0 });
    const ev = await inserted;
    const insertMs = Date.now() - t0;
    expect(ev.atr).toBe(ATR_HEX);
    expect(monitor.reader(READER)).toEqual({ name: READER, cardPresent: true, atr: ATR_HEX });

    const t1 = Date.now();
    const removed = nextEvent(monitor, 'card-removed', (e: { reader: string }) => e.reader === READER);
    await card.detach();
    await removed;
    const removeMs = Date.now() - t1;
    expect(monitor.reader(READER)).toEqual({ name: READER, cardPresent: false, atr: '' });
    await sleep(100);
    expect(log.filter((l) => l.endsWith(READER))).toEqual([`card-inserted ${READER}`, `card-removed ${READER}`]);
    console.log(`[timing] vpcd attach → card-inserted ${insertMs} ms; detach → card-removed ${removeMs} ms`);
  });

  it('a process that used a monitor, a transport and listReaders exits by itself once they are closed', () => {
    const probe = fileURLToPath(new URL('./harness/exit-probe.ts', import.meta.url));
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [probe, READER], { encoding: 'utf8', timeout: 15_000 });
    const total = Date.now() - t0;
    expect(r.error, r.stderr).toBeUndefined(); // a leaked handle would hit the 15 s timeout
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim()) as { readers: string[]; result: string; closedAt: number };
    expect(out.readers).toEqual(expect.arrayContaining([...VPCD_READERS]));
    expect(out.result).toBe('NO_CARD'); // slot 0 is empty here
    const exitLag = Date.now() - out.closedAt;
    expect(exitLag).toBeLessThan(2000);
    console.log(`[timing] probe process: ${total} ms in all, exit ${exitLag} ms after close()`);
  });
});
