/**
 * CardTransport over PC/SC (node-pcsclite), for one reader (DESIGN §5).
 *
 * One operation = connect, `fn`, disconnect:
 * - connect with SCARD_SHARE_EXCLUSIVE and T=1 only. DESIGN §5 asks for one PC/SC transaction
 *   per operation; node-pcsclite 1.0.1 has no binding for SCardBeginTransaction /
 *   SCardEndTransaction (nor does it expose the SCARDHANDLE to anything that could call them),
 *   so the exclusive connection *is* the transaction: while we hold it, pcscd refuses every
 *   other connect with SCARD_E_SHARING_VIOLATION (observed), so no other program can interleave
 *   APDUs or reset the card.
 * - disconnect with SCARD_RESET_CARD when `resetAfter` (a verified PIN must not outlive the
 *   operation), else SCARD_LEAVE_CARD.
 * - operations of the whole app on one reader are serialised (serial-queue.ts).
 *
 * Never a hang: every native call races a timeout (TIMEOUT) and the monitor's
 * card-removed / reader-removed / service-down events (CARD_REMOVED / SERVICE_DOWN). A native
 * call that lost the race keeps running on a libuv pool thread (nothing can cancel an
 * SCardTransmit: a card that stops answering blocks pcscd's reader until it answers or goes;
 * observed with vpcd). Until it returns, this reader takes no new native work: later
 * operations wait for it at most connectTimeoutMs, then fail with TIMEOUT, so a dead card pins
 * at most one pool thread.
 */

import { CardError, type CardErrorCode } from '../apdu/errors.ts';
import type { CardChannel, CardTransport } from '../card-transport.ts';
import type { NativeReader } from './binding.ts';
import { mapPcscError, type PcscOperation } from './pcsc-errors.ts';
import { ReaderMonitor, type ReaderMonitorOptions } from './reader-monitor.ts';
import { readerQueue, type SerialQueue } from './serial-queue.ts';

/** Largest R-APDU: 65536 data bytes (extended Le) + SW1 SW2. */
export const MAX_RESPONSE_LENGTH = 65538;

export interface PcscTransportOptions {
  /**
   * The monitor to borrow reader objects and removal events from (shared with the UI's card
   * presence). Without one, the transport starts its own and closes it in close().
   */
  monitor?: ReaderMonitor;
  /** Options for the transport's own monitor (ignored when `monitor` is given). */
  monitorOptions?: ReaderMonitorOptions;
  /** Per-APDU limit. Default 10 s. */
  apduTimeoutMs?: number;
  /** Limit for connect, disconnect, and waiting for a stuck previous call. Default 10 s. */
  connectTimeoutMs?: number;
}

/** Native calls that lost a race and are still running, per binding reader object. */
const stuck = new WeakMap<NativeReader, Promise<void>>();

export class PcscTransport implements CardTransport {
  readonly readerName: string;
  private readonly monitor: ReaderMonitor;
  private readonly ownsMonitor: boolean;
  private readonly apduTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly queue: SerialQueue;
  private closed = false;
  private readonly pending = new Set<Promise<void>>();
  private generation = 0;
  private readonly onCardChange = (e: { reader: string }) => {
    if (e.reader === this.readerName) this.generation++;
  };

  constructor(readerName: string, opts: PcscTransportOptions = {}) {
    this.readerName = readerName;
    this.ownsMonitor = !opts.monitor;
    this.monitor = opts.monitor ?? new ReaderMonitor(opts.monitorOptions);
    this.apduTimeoutMs = opts.apduTimeoutMs ?? 10_000;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.queue = readerQueue(readerName);
    // An own monitor starts at once, so that atr() knows the card before the first operation.
    if (this.ownsMonitor) void this.monitor.start();
    this.monitor.on('card-inserted', this.onCardChange);
    this.monitor.on('card-removed', this.onCardChange);
  }

  /** Changes with every insertion or removal pcscd reports for this reader (see CardTransport). */
  cardGeneration(): number {
    return this.generation;
  }

  /** ATR of the card in the reader as pcscd last reported it (empty when none). */
  atr(): Uint8Array {
    const atr = this.monitor.reader(this.readerName)?.atr ?? '';
    return new Uint8Array(Buffer.from(atr, 'hex'));
  }

  withCard<T>(fn: (ch: CardChannel) => Promise<T>, opts: { resetAfter?: boolean } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('PcscTransport is closed'));
    const op = this.queue.run(() => this.operate(fn, opts.resetAfter === true));
    const settled = op.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return op;
  }

  /** Lets the operations already submitted finish (they are bounded by the timeouts), then releases. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.monitor.off('card-inserted', this.onCardChange);
    this.monitor.off('card-removed', this.onCardChange);
    await Promise.all(this.pending);
    if (this.ownsMonitor) await this.monitor.close();
  }

  private async operate<T>(fn: (ch: CardChannel) => Promise<T>, resetAfter: boolean): Promise<T> {
    const reader = this.readerName;
    await this.monitor.start();
    await this.monitor.whenSettled();
    if (this.monitor.state === 'down') throw this.monitor.lastError ?? new CardError('SERVICE_DOWN', { reader });
    const nr = this.monitor.nativeReader(reader);
    if (!nr) throw new CardError('NO_READER', { reader, operation: 'connect' });
    await this.waitForStuck(nr);

    const guard = new RemovalGuard(this.monitor, reader);
    try {
      // lib/pcsclite.js skips SCardConnect when its `connected` flag is set, and a failed
      // disconnect (e.g. pcscd gone) leaves it set: always really connect.
      nr.connected = false;
      const protocol = await this.native<number | undefined>(
        nr,
        guard,
        'connect',
        this.connectTimeoutMs,
        (cb) => nr.connect({ share_mode: nr.SCARD_SHARE_EXCLUSIVE, protocol: nr.SCARD_PROTOCOL_T1 }, cb),
        // A connect that completes after we gave up would hold the card exclusively: undo it.
        () => disconnectQuietly(nr, nr.SCARD_RESET_CARD),
      );
      const proto = protocol ?? nr.SCARD_PROTOCOL_T1;
      let open = true;
      const channel: CardChannel = {
        transmit: async (apdu) => {
          if (!open) throw new Error('CardChannel used after its withCard operation ended');
          guard.throwIfTripped();
          const resp = await this.native<Buffer>(nr, guard, 'transmit', this.apduTimeoutMs, (cb) =>
            nr.transmit(Buffer.from(apdu), MAX_RESPONSE_LENGTH, proto, cb),
          );
          if (resp.length >= 2) return new Uint8Array(resp);
          // A card pulled in the middle of an APDU comes back from pcscd+vpcd as a *successful*
          // SCardTransmit with 0 bytes (observed); a card always sends at least SW1 SW2.
          const code: CardErrorCode = resp.length === 0 ? 'CARD_REMOVED' : 'MALFORMED_RESPONSE';
          throw guard.trip(new CardError(code, { reader, operation: 'SCardTransmit' }));
        },
      };
      try {
        return await fn(channel);
      } finally {
        open = false;
        await this.release(nr, resetAfter);
      }
    } finally {
      guard.dispose();
    }
  }

  /** Disconnects; waits for it only when no earlier call on this reader is stuck. */
  private async release(nr: NativeReader, resetAfter: boolean): Promise<void> {
    const disposition = resetAfter ? nr.SCARD_RESET_CARD : nr.SCARD_LEAVE_CARD;
    const disconnect = () => disconnectQuietly(nr, disposition);
    const pending = stuck.get(nr);
    if (pending) {
      // The card cannot be reached now; disconnect (and so reset) as soon as it can.
      this.markStuck(nr, pending.then(disconnect));
      return;
    }
    const d = disconnect();
    if (!(await settlesWithin(d, this.connectTimeoutMs))) this.markStuck(nr, d);
  }

  private async waitForStuck(nr: NativeReader): Promise<void> {
    const pending = stuck.get(nr);
    if (!pending) return;
    if (!(await settlesWithin(pending, this.connectTimeoutMs)))
      throw new CardError('TIMEOUT', { reader: this.readerName, operation: 'reader still busy' });
  }

  private markStuck(nr: NativeReader, p: Promise<unknown>): void {
    const settled: Promise<void> = p.then(
      () => undefined,
      () => undefined,
    );
    stuck.set(nr, settled);
    void settled.then(() => {
      if (stuck.get(nr) === settled) stuck.delete(nr);
    });
  }

  /**
   * Runs one native call against the clock and the removal guard. A call that loses the race
   * is remembered as stuck (see the header comment).
   */
  private native<R>(
    nr: NativeReader,
    guard: RemovalGuard,
    op: PcscOperation,
    timeoutMs: number,
    call: (cb: (err: Error | null | undefined, value: R) => void) => void,
    afterLateSuccess?: () => Promise<void>,
  ): Promise<R> {
    const reader = this.readerName;
    let returned = false;
    const done = new Promise<R>((resolve, reject) => {
      call((err, value) => {
        returned = true;
        if (err) reject(mapPcscError(err, { operation: op, reader }));
        else resolve(value);
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CardError('TIMEOUT', { reader, operation: `SCard${op[0]!.toUpperCase()}${op.slice(1)}` })),
        timeoutMs,
      );
    });
    return Promise.race([done, timeout, guard.tripped]).then(
      (v) => {
        clearTimeout(timer);
        return v;
      },
      (e: unknown) => {
        clearTimeout(timer);
        if (!returned) this.markStuck(nr, afterLateSuccess ? done.then(afterLateSuccess) : done);
        throw guard.trip(e instanceof CardError ? e : mapPcscError(e, { operation: op, reader }));
      },
    );
  }
}

/**
 * Listens to the monitor while one operation runs; trips on the first removal of our card or
 * reader, or on the service going down. Once tripped, every further call fails at once.
 */
class RemovalGuard {
  readonly tripped: Promise<never>;
  private error: CardError | undefined;
  private reject: ((e: CardError) => void) | undefined;
  private readonly monitor: ReaderMonitor;
  private readonly onCard: (e: { reader: string }) => void;
  private readonly onDown: (e: { error: CardError }) => void;

  constructor(monitor: ReaderMonitor, reader: string) {
    this.monitor = monitor;
    this.tripped = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    this.tripped.catch(() => {}); // observed through races only
    this.onCard = (e) => {
      if (e.reader === reader) this.trip(new CardError('CARD_REMOVED', { reader, operation: 'card-removed event' }));
    };
    this.onDown = (e) => this.trip(e.error);
    monitor.on('card-removed', this.onCard);
    monitor.on('reader-removed', this.onCard);
    monitor.on('service-down', this.onDown);
  }

  /** Records the first removal-class error (later ones keep the first); returns `e`. */
  trip(e: CardError): CardError {
    if (this.error) return e;
    if (e.code === 'CARD_REMOVED' || e.code === 'SERVICE_DOWN' || e.code === 'TIMEOUT') {
      this.error = e;
      this.reject?.(e);
    }
    return e;
  }

  throwIfTripped(): void {
    if (this.error) throw this.error;
  }

  dispose(): void {
    this.monitor.off('card-removed', this.onCard);
    this.monitor.off('reader-removed', this.onCard);
    this.monitor.off('service-down', this.onDown);
  }
}

/** SCardDisconnect; never rejects. A failure leaves the binding's `connected` flag set: clear it. */
function disconnectQuietly(nr: NativeReader, disposition: number): Promise<void> {
  return new Promise<void>((resolve) => {
    nr.disconnect(disposition, (err) => {
      if (err) nr.connected = false;
      resolve();
    });
  });
}

/** True when `p` settles within `ms`; the timer never outlives the answer. */
function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    p.then(done, done);
  });
}
