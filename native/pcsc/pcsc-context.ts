/**
 * One PC/SC context (PcscContext) and the supervisor that keeps one alive across pcscd
 * restarts (PcscService). See binding.ts for the node-pcsclite behaviour this works around.
 *
 * What happens when pcscd stops (observed, pcscd 1.9.9 on Linux, node-pcsclite 1.0.1):
 * within ~20 ms the context emits 'error' `SCardGetStatusChange error: RPC transport
 * error.(0x80100013)`, and every reader emits the same 'error' followed by 'end' (and leaves
 * `context.readers`). The context's watcher thread has exited by then; the context object is
 * dead for good: its handle stays invalid even after pcscd is back (`SCardConnect error:
 * Service not available.(0x8010001d)` from an old reader object after a restart). So recovery
 * means a new context, and new reader objects.
 * While pcscd is down, `pcsclite()` throws `SCardEstablishContext error: Service not
 * available.(0x8010001d)` synchronously and leaks nothing; it succeeds again within a few ms
 * of pcscd starting.
 */
import type { CardError } from '../apdu/errors.ts';
import { loadPcscLite, type NativeContext, type NativeReader, type PcscBinding, parseReaderList } from './binding.ts';
import { mapPcscError } from './pcsc-errors.ts';

export interface ContextHooks {
  /** A reader appeared (called synchronously while the binding processes a reader list). */
  reader(reader: NativeReader): void;
  /** A reader list has been processed: `names` is the complete current list. */
  listed(names: string[]): void;
  /** A reader's raw status changed (binding.ts: the native mutex is held during this call). */
  status(reader: NativeReader, state: number, atr: Buffer | undefined): void;
  /** A reader's watch ended: unplugged, failed, or closed by us. */
  readerEnd(reader: NativeReader): void;
  /** The context is unusable (pcscd stopped, or the watcher failed). Called at most once. */
  dead(error: CardError): void;
}

const noop = (): void => {};

export class PcscContext {
  private readonly native: NativeContext;
  private readonly hooks: ContextHooks;
  private closing: Promise<void> | undefined;

  private constructor(native: NativeContext, hooks: ContextHooks) {
    this.native = native;
    this.hooks = hooks;
  }

  /** Opens a context; throws a CardError (SERVICE_DOWN when pcscd is unreachable). */
  static open(binding: PcscBinding, hooks: ContextHooks): PcscContext {
    let native: NativeContext;
    try {
      native = binding();
    } catch (e) {
      throw mapPcscError(e, { operation: 'context' });
    }
    const ctx = new PcscContext(native, hooks);
    ctx.attach();
    return ctx;
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** The binding's reader object for `name`, while this context watches it. */
  reader(name: string): NativeReader | undefined {
    if (this.closed) return undefined;
    return Object.hasOwn(this.native.readers, name) ? this.native.readers[name] : undefined;
  }

  /**
   * Stops every watch and lets the native objects go. Safe to call from inside any binding
   * callback: hooks stop at once, the native teardown runs on the next turn of the loop.
   */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        const readers = Object.values(this.native.readers);
        try {
          this.native.close();
        } catch {
          // already dead: nothing to stop
        }
        for (const r of readers) {
          try {
            r.close();
          } catch {
            // idem
          }
        }
        resolve();
      });
    });
    return this.closing;
  }

  private attach(): void {
    const native = this.native;
    // Never removed: the binding emits 'error' after close() (binding.ts), and an 'error'
    // without listener would throw from a native callback.
    native.on('error', (e) => {
      if (this.closed) return;
      this.die(mapPcscError(e, { operation: 'context' }));
    });
    native.on('reader', (r) => {
      r.on('error', noop); // reader failures are followed by 'end'; pcscd death also by the context's 'error'
      r.on('status', (s) => {
        if (!this.closed) this.hooks.status(r, s.state, s.atr);
      });
      r.on('end', () => {
        if (!this.closed) this.hooks.readerEnd(r);
      });
      if (!this.closed) this.hooks.reader(r);
    });
    // lib/pcsclite.js calls `p.start(cb)` on the next tick and processes each reader list in
    // `cb`, emitting 'reader' for new names. Wrapping `start` tells us when a list is complete
    // (including an empty one, which produces no event at all).
    const start = native.start;
    native.start = (cb) =>
      start.call(native, (err, data) => {
        cb(err, data);
        if (!err && !this.closed) this.hooks.listed(parseReaderList(data));
      });
  }

  private die(error: CardError): void {
    void this.close();
    this.hooks.dead(error);
  }
}

export type ServiceState = 'idle' | 'up' | 'down' | 'closed';

export interface ServiceHooks extends Omit<ContextHooks, 'dead'> {
  /** A context is open (first time, or again after `down`/`lost`). */
  up(ctx: PcscContext): void;
  /** The current context died and a new one is already open (`up` follows at once). */
  lost(error: CardError): void;
  /**
   * PC/SC is unreachable: the first attempt failed, or the context died and could not be
   * reopened (its readers are gone). Retries continue until close(); not repeated while down.
   */
  down(error: CardError): void;
}

export interface PcscServiceOptions {
  /** Defaults to the real node-pcsclite, loaded on first use. */
  binding?: () => PcscBinding;
  /** Delay before the n-th consecutive retry (the last value repeats). Default 250, 500, 1000 ms. */
  retryDelaysMs?: readonly number[];
  /** A context that dies younger than this counts as a failed attempt (no instant reopen). */
  minHealthyMs?: number;
}

/**
 * Keeps one PcscContext open: reopens it when it dies, retrying with backoff while pcscd is
 * down, without ever holding more than one context.
 */
export class PcscService {
  private readonly hooks: ServiceHooks;
  private readonly loadBinding: () => PcscBinding;
  private readonly delays: readonly number[];
  private readonly minHealthyMs: number;
  private ctx: PcscContext | undefined;
  private openedAt = 0;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private current: ServiceState = 'idle';
  private error: CardError | undefined;
  private closing: Promise<void> | undefined;

  constructor(hooks: ServiceHooks, opts: PcscServiceOptions) {
    this.hooks = hooks;
    this.loadBinding = opts.binding ?? loadPcscLite;
    this.delays = opts.retryDelaysMs ?? [250, 500, 1000];
    this.minHealthyMs = opts.minHealthyMs ?? 2000;
  }

  get state(): ServiceState {
    return this.current;
  }

  get lastError(): CardError | undefined {
    return this.error;
  }

  get context(): PcscContext | undefined {
    return this.ctx;
  }

  start(): void {
    if (this.current !== 'idle') return;
    this.attempt();
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.current = 'closed';
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      const ctx = this.ctx;
      this.ctx = undefined;
      this.closing = ctx ? ctx.close() : Promise.resolve();
    }
    return this.closing;
  }

  private attempt(): void {
    this.timer = undefined;
    if (this.current === 'closed') return;
    const opened = this.open();
    if (opened instanceof PcscContext) {
      this.install(opened);
      return;
    }
    this.failures++;
    this.error = opened;
    if (this.current !== 'down') {
      this.current = 'down';
      this.hooks.down(opened);
    }
    this.schedule();
  }

  private open(): PcscContext | CardError {
    try {
      const ctx: PcscContext = PcscContext.open(this.loadBinding(), {
        reader: (r) => this.ctx === ctx && this.hooks.reader(r),
        listed: (names) => this.ctx === ctx && this.hooks.listed(names),
        status: (r, state, atr) => this.ctx === ctx && this.hooks.status(r, state, atr),
        readerEnd: (r) => this.ctx === ctx && this.hooks.readerEnd(r),
        dead: (e) => this.ctx === ctx && this.onDead(e),
      });
      return ctx;
    } catch (e) {
      // PcscContext.open maps binding errors; this also catches a binding that fails to load.
      return mapPcscError(e, { operation: 'context' });
    }
  }

  private install(ctx: PcscContext): void {
    this.ctx = ctx;
    this.openedAt = Date.now();
    this.current = 'up';
    this.error = undefined;
    this.hooks.up(ctx);
  }

  private onDead(e: CardError): void {
    this.ctx = undefined; // the context closes itself
    this.error = e;
    if (this.current === 'closed') return;
    // pcscd may be back already (socket activation) or never gone (a watcher failure): a context
    // that lived long enough is replaced at once, and `down` is reported only if that fails. A
    // context that dies young goes through the backoff, so a crash-looping pcscd cannot spin us.
    const healthy = Date.now() - this.openedAt >= this.minHealthyMs;
    const reopened = healthy ? this.open() : e;
    if (reopened instanceof PcscContext) {
      this.failures = 0;
      this.hooks.lost(e);
      this.install(reopened);
      return;
    }
    this.failures = healthy ? 1 : this.failures + 1;
    this.error = reopened;
    this.current = 'down';
    this.hooks.down(reopened);
    this.schedule();
  }

  private schedule(): void {
    if (this.current === 'closed' || this.timer) return;
    const i = Math.min(Math.max(this.failures - 1, 0), this.delays.length - 1);
    this.timer = setTimeout(() => this.attempt(), this.delays[i] ?? 1000);
  }
}
