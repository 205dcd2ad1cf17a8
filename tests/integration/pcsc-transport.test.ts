/**
 * PcscTransport against the real pcscd + vpcd + node-pcsclite, slot 0, with the tiny vpcd
 * responder (its hooks make removal and stalls exact). APDU-frugal: each APDU through vpcd
 * costs ~45 ms here.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CardError, isCardError } from '../../native/apdu/errors.ts';
import { PcscTransport } from '../../native/pcsc/pcsc-transport.ts';
import { ReaderMonitor } from '../../native/pcsc/reader-monitor.ts';
import { nextEvent, sleep } from './harness/events.ts';
import { monitorWithEmptyReader, pcscUnavailableReason, VPCD_READERS } from './harness/pcscd.ts';
import { type ApduAction, VpcdResponder } from './harness/vpcd-responder.ts';

const skipReason = await pcscUnavailableReason();
if (skipReason) console.warn(`[integration] pcsc transport tests skipped: ${skipReason}`);

const READER = VPCD_READERS[0];
const SELECT_JPKI = Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, 0x0a, 0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0, 0, 0, 0x01]);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

async function failure(p: Promise<unknown>): Promise<CardError> {
  try {
    await p;
  } catch (e) {
    if (isCardError(e)) return e;
    throw e;
  }
  throw new Error('expected a CardError, the operation succeeded');
}

describe.skipIf(skipReason !== undefined)('PcscTransport over pcscd + vpcd', () => {
  let monitor: ReaderMonitor;
  let card: VpcdResponder | undefined;

  /** Puts a responder card into slot 0 and waits until pcscd reports it. */
  async function insert(onApdu?: (apdu: Uint8Array, n: number) => ApduAction): Promise<VpcdResponder> {
    const inserted = nextEvent(monitor, 'card-inserted', (e: { reader: string }) => e.reader === READER);
    card = await VpcdResponder.attach({ slot: 0, ...(onApdu ? { onApdu } : {}) });
    await inserted;
    return card;
  }

  async function remove(): Promise<void> {
    if (!card) return;
    const c = card;
    card = undefined;
    const wasPresent = monitor.reader(READER)?.cardPresent === true;
    const removed = nextEvent(monitor, 'card-removed', (e: { reader: string }) => e.reader === READER);
    await c.detach();
    if (wasPresent) await removed.catch(() => undefined);
  }

  beforeAll(async () => {
    monitor = await monitorWithEmptyReader(READER, 0);
  });
  afterEach(async () => {
    await remove();
  });
  afterAll(async () => {
    await monitor?.close();
  });

  it('SELECT through PcscTransport: exclusive T=1 connection, the APDU arrives unchanged, 9000 back', async () => {
    const c = await insert();
    const t = new PcscTransport(READER, { monitor });
    expect(hex(t.atr())).toBe('3BDA13FF8131FB468012392F31C173C601C03B');
    const t0 = Date.now();
    const resp = await t.withCard(async (ch) => ch.transmit(SELECT_JPKI));
    const ms = Date.now() - t0;
    expect(hex(resp)).toBe('9000');
    expect(c.apdus.map(hex)).toEqual([hex(SELECT_JPKI)]);
    console.log(`[timing] connect + 1 APDU + disconnect: ${ms} ms`);
    await t.close();
  });

  it('the card is left as it is after a plain operation, and reset after a resetAfter one', async () => {
    const c = await insert();
    const t = new PcscTransport(READER, { monitor });
    await t.withCard(async (ch) => ch.transmit(SELECT_JPKI));
    await sleep(50);
    const afterLeave = c.controls.slice(c.controls.lastIndexOf(1)); // since the last power-on
    await t.withCard(async (ch) => ch.transmit(SELECT_JPKI), { resetAfter: true });
    await sleep(50);
    const afterReset = c.controls.slice(c.controls.lastIndexOf(1));
    console.log(`[vpcd] controls after LEAVE: ${afterLeave.join(',')}; after RESET: ${afterReset.join(',')}`);
    expect(afterLeave).not.toContain(2); // 2 = vpcd RESET
    expect(afterReset).toContain(2);
    await t.close();
  });

  it('another program holding the card exclusively → READER_BUSY', async () => {
    await insert();
    const other = new ReaderMonitor(); // its own PC/SC context, as another program would have
    await other.start();
    try {
      const r = other.nativeReader(READER)!;
      await new Promise<void>((res, rej) =>
        r.connect({ share_mode: r.SCARD_SHARE_EXCLUSIVE, protocol: r.SCARD_PROTOCOL_T1 }, (e) => (e ? rej(e) : res())),
      );
      const t = new PcscTransport(READER, { monitor });
      expect((await failure(t.withCard(async () => 1))).code).toBe('READER_BUSY');
      await new Promise<void>((res) => r.disconnect(r.SCARD_LEAVE_CARD, () => res()));
      await t.close();
    } finally {
      await other.close();
    }
  });

  it('NO_CARD on an empty reader, NO_READER on a reader that does not exist', async () => {
    const t = new PcscTransport(READER, { monitor });
    expect((await failure(t.withCard(async () => 1))).code).toBe('NO_CARD');
    const ghost = new PcscTransport('Virtual PCD 00 07', { monitor });
    expect((await failure(ghost.withCard(async () => 1))).code).toBe('NO_READER');
    await t.close();
    await ghost.close();
  });

  it('card pulled in the middle of an operation → CARD_REMOVED at once, no hang', async () => {
    const c = await insert((_apdu, n) => (n === 2 ? 'close' : Uint8Array.of(0x90, 0x00)));
    const t = new PcscTransport(READER, { monitor, apduTimeoutMs: 10_000 });
    let sent = 0;
    const t0 = Date.now();
    const err = await failure(
      t.withCard(async (ch) => {
        for (let i = 0; i < 4; i++) {
          await ch.transmit(SELECT_JPKI);
          sent++;
        }
      }),
    );
    const ms = Date.now() - t0;
    expect(err.code).toBe('CARD_REMOVED');
    expect(err.details.reader).toBe(READER);
    expect(sent).toBe(1);
    expect(ms).toBeLessThan(3000);
    await c.closed;
    card = undefined;
    await nextEvent(monitor, 'card-removed', (e: { reader: string }) => e.reader === READER).catch(() => undefined);
    expect(monitor.reader(READER)?.cardPresent).toBe(false);
    console.log(`[timing] card pulled on APDU 2 → CARD_REMOVED after ${ms} ms`);
    await t.close();
  });

  it('a card that stops answering → TIMEOUT after apduTimeoutMs; the reader recovers when it goes away', async () => {
    const c = await insert((_apdu, n) => (n === 1 ? 'stall' : Uint8Array.of(0x90, 0x00)));
    const t = new PcscTransport(READER, { monitor, apduTimeoutMs: 1000, connectTimeoutMs: 3000 });
    const t0 = Date.now();
    const err = await failure(t.withCard(async (ch) => ch.transmit(SELECT_JPKI)));
    const ms = Date.now() - t0;
    expect(err.code).toBe('TIMEOUT');
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(2500);
    // pcscd is blocked inside vpcd's recv(): pulling the card unblocks it
    await remove();
    expect(c.apdus).toHaveLength(1);
    const t1 = Date.now();
    expect((await failure(t.withCard(async () => 1))).code).toBe('NO_CARD');
    const fresh = await insert();
    expect(hex(await t.withCard(async (ch) => ch.transmit(SELECT_JPKI)))).toBe('9000');
    expect(fresh.apdus).toHaveLength(1);
    console.log(`[timing] stalled APDU → TIMEOUT after ${ms} ms; reader usable again ${Date.now() - t1} ms later`);
    await t.close();
  });
});
