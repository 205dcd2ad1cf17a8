import { afterEach, describe, expect, it } from 'vitest';
import { type CardError, isCardError } from '../apdu/errors.ts';
import { FakePcscSystem } from './fake-pcsclite.ts';
import { PcscTransport } from './pcsc-transport.ts';
import { ReaderMonitor } from './reader-monitor.ts';

const ATR = '3BDA13FF8131FB468012392F31C173C601C03B';
const SELECT = Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, 0x02, 0xd3, 0x92]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(opts: { apduTimeoutMs?: number; connectTimeoutMs?: number; card?: boolean } = {}) {
  const sys = new FakePcscSystem();
  sys.addReader('R');
  if (opts.card !== false) sys.insertCard('R', ATR);
  const monitor = new ReaderMonitor({ binding: () => sys.binding, retryDelaysMs: [5], minHealthyMs: 0 });
  await monitor.start();
  const t = new PcscTransport('R', {
    monitor,
    apduTimeoutMs: opts.apduTimeoutMs ?? 200,
    connectTimeoutMs: opts.connectTimeoutMs ?? 200,
  });
  cleanup.push(async () => {
    sys.releaseHung();
    await t.close();
    await monitor.close();
  });
  return { sys, monitor, t };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return isCardError(e) ? e.code : `not a CardError: ${(e as Error).message}`;
  }
}

describe('PcscTransport (fake pcsclite)', () => {
  it('connects exclusive + T=1, transmits with a 65538-byte buffer, leaves the card', async () => {
    const { sys, t } = await setup();
    const r = await t.withCard(async (ch) => hex(await ch.transmit(SELECT)));
    expect(r).toBe('9000');
    expect(sys.calls).toEqual(['connect exclusive T1', `transmit ${hex(SELECT)} 65538 2`, 'disconnect leave']);
    expect(hex(t.atr())).toBe(ATR);
  });

  it('resets the card after the operation when asked (and when the operation failed)', async () => {
    const { sys, t } = await setup();
    await t.withCard(async () => undefined, { resetAfter: true });
    await expect(
      t.withCard(
        async () => {
          throw new Error('boom');
        },
        { resetAfter: true },
      ),
    ).rejects.toThrow('boom');
    expect(sys.calls.filter((c) => c.startsWith('disconnect'))).toEqual(['disconnect reset', 'disconnect reset']);
  });

  it('serialises operations, also across transports on the same reader', async () => {
    const { sys, monitor, t } = await setup();
    const t2 = new PcscTransport('R', { monitor });
    const log: string[] = [];
    const op = (tr: PcscTransport, name: string) =>
      tr.withCard(async (ch) => {
        log.push(`${name} start`);
        await ch.transmit(SELECT);
        await sleep(5);
        await ch.transmit(SELECT);
        log.push(`${name} end`);
      });
    await Promise.all([op(t, 'a'), op(t2, 'b'), op(t, 'c')]);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(sys.calls.filter((c) => c.startsWith('connect'))).toHaveLength(3);
    await t2.close();
  });

  it('NO_READER, NO_CARD, READER_BUSY', async () => {
    const { sys, monitor, t } = await setup({ card: false });
    expect(await codeOf(new PcscTransport('nope', { monitor }).withCard(async () => 1))).toBe('NO_READER');
    expect(await codeOf(t.withCard(async () => 1))).toBe('NO_CARD');
    sys.insertCard('R', ATR);
    await sleep(5);
    // another program holds the card exclusively
    const other = new ReaderMonitor({ binding: () => sys.binding });
    await other.start();
    const r = other.nativeReader('R')!;
    await new Promise<void>((res, rej) => r.connect({ share_mode: 1, protocol: 2 }, (e) => (e ? rej(e) : res())));
    expect(await codeOf(t.withCard(async () => 1))).toBe('READER_BUSY');
    await other.close();
  });

  it('SERVICE_DOWN when pcscd is down, before any native call', async () => {
    const { sys, monitor, t } = await setup();
    sys.stop();
    await new Promise((r) => monitor.once('service-down', r));
    const before = sys.calls.length;
    expect(await codeOf(t.withCard(async () => 1))).toBe('SERVICE_DOWN');
    expect(sys.calls.length).toBe(before);
  });

  it('pcscd dying during an operation → SERVICE_DOWN, not a hang', async () => {
    const { sys, t } = await setup({ apduTimeoutMs: 5000 });
    sys.onTransmit = () => 'hang';
    const p = t.withCard(async (ch) => ch.transmit(SELECT));
    await sleep(10);
    const t0 = Date.now();
    sys.stop();
    expect(await codeOf(p)).toBe('SERVICE_DOWN');
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('card-removed event fails the pending transmit at once, and later transmits too', async () => {
    const { sys, t } = await setup({ apduTimeoutMs: 5000 });
    sys.onTransmit = () => 'hang';
    let second = '';
    const p = t.withCard(async (ch) => {
      try {
        await ch.transmit(SELECT);
      } finally {
        second = await codeOf(ch.transmit(SELECT));
      }
    });
    await sleep(10);
    const t0 = Date.now();
    sys.removeCard('R');
    expect(await codeOf(p)).toBe('CARD_REMOVED');
    expect(Date.now() - t0).toBeLessThan(500);
    expect(second).toBe('CARD_REMOVED');
  });

  it('an empty R-APDU (vpcd: card pulled mid-APDU) is CARD_REMOVED; one byte is MALFORMED_RESPONSE', async () => {
    const { sys, t } = await setup();
    sys.onTransmit = () => Buffer.alloc(0);
    expect(await codeOf(t.withCard(async (ch) => ch.transmit(SELECT)))).toBe('CARD_REMOVED');
    sys.onTransmit = () => Buffer.from([0x90]);
    expect(await codeOf(t.withCard(async (ch) => ch.transmit(SELECT)))).toBe('MALFORMED_RESPONSE');
  });

  it('a card that never answers: TIMEOUT; the reader takes no new native work until the call returns', async () => {
    const { sys, t } = await setup({ apduTimeoutMs: 50, connectTimeoutMs: 50 });
    sys.onTransmit = () => 'hang';
    const t0 = Date.now();
    expect(await codeOf(t.withCard(async (ch) => ch.transmit(SELECT)))).toBe('TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(300);
    const calls = sys.calls.length;
    // still stuck: the next operation waits connectTimeoutMs and fails without touching pcsc
    expect(await codeOf(t.withCard(async () => 1))).toBe('TIMEOUT');
    expect(sys.calls.length).toBe(calls);
    // the card finally answers: the deferred disconnect runs, and the reader works again
    sys.onTransmit = () => Buffer.from([0x90, 0x00]);
    sys.releaseHung();
    await sleep(10);
    expect(sys.calls.slice(calls)).toEqual(['disconnect leave']);
    await expect(t.withCard(async (ch) => hex(await ch.transmit(SELECT)))).resolves.toBe('9000');
  });

  it('a connect that completes after its timeout is undone (no card held exclusively behind our back)', async () => {
    const { sys, t } = await setup({ connectTimeoutMs: 20 });
    sys.latencyMs = 60;
    expect(await codeOf(t.withCard(async () => 1))).toBe('TIMEOUT');
    await sleep(200);
    expect(sys.calls).toEqual(['connect exclusive T1', 'disconnect reset']);
    expect(sys.slots.get('R')?.holder).toBeUndefined();
  });

  it('the channel is dead once its operation is over', async () => {
    const { t } = await setup();
    const ch = await t.withCard(async (c) => c);
    await expect(ch.transmit(SELECT)).rejects.toThrow(/after its withCard/);
  });

  it('close() waits for running operations, then refuses new ones', async () => {
    const { t } = await setup();
    let finished = false;
    const p = t.withCard(async (ch) => {
      await sleep(20);
      await ch.transmit(SELECT);
      finished = true;
    });
    await t.close();
    expect(finished).toBe(true);
    await p;
    await expect(t.withCard(async () => 1)).rejects.toThrow(/closed/);
  });

  it('owns and closes its own monitor when none is given', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('R');
    sys.insertCard('R', ATR);
    const t = new PcscTransport('R', { monitorOptions: { binding: () => sys.binding } });
    expect(hex(await t.withCard(async (ch) => ch.transmit(SELECT)))).toBe('9000');
    await t.close();
    expect(sys.liveContexts).toBe(0);
  });

  it('errors are CardErrors with the reader and the PC/SC code', async () => {
    const { sys, t } = await setup();
    sys.onTransmit = () => new Error('SCardTransmit error: Card was reset.(0x80100068)');
    const e = (await t.withCard(async (ch) => ch.transmit(SELECT)).catch((x) => x)) as CardError;
    expect(e.code).toBe('CARD_REMOVED');
    expect(e.details).toEqual({ reader: 'R', operation: 'SCardTransmit 0x80100068' });
  });
});
