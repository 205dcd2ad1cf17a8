/**
 * Reader and card presence (DESIGN §4 "Card presence"): turns pcscd's view into typed events,
 * survives pcscd restarts and readers unplugged mid-session, and owns the one PC/SC context
 * that PcscTransport borrows reader objects from.
 *
 * Event order guarantees:
 * - The first context opened emits `service-up`, or `service-down` if pcscd is not reachable.
 * - `reader-added` precedes any card event of that reader; `card-removed` (when a card was
 *   present) precedes `reader-removed`.
 * - When pcscd goes away: `service-down` first, then `card-removed`/`reader-removed` for
 *   everything that was there (a pcscd restart powers cards down, so their sessions are gone
 *   either way). When it comes back: `service-up`, then the usual added/inserted events.
 * - A card swapped between two polls gives `card-removed` then `card-inserted`.
 * The card is recognised by SELECT, never by the ATR reported here (DESIGN §4).
 */
import { EventEmitter } from 'node:events';
import type { CardError } from '../apdu/errors.ts';
import type { NativeReader, PcscBinding } from './binding.ts';
import { type CardSlotState, diffCardState, slotStateFrom } from './card-state.ts';
import { type PcscContext, PcscService } from './pcsc-context.ts';

export interface ReaderInfo {
  name: string;
  cardPresent: boolean;
  /** Upper-case hex, '' when no card. */
  atr: string;
}

export type ReaderMonitorEvents = {
  'reader-added': [{ reader: string }];
  'reader-removed': [{ reader: string }];
  'card-inserted': [{ reader: string; atr: string }];
  'card-removed': [{ reader: string }];
  'service-down': [{ error: CardError }];
  'service-up': [];
};

export type MonitorState = 'idle' | 'starting' | 'up' | 'down' | 'closed';

export interface ReaderMonitorOptions {
  /** Defaults to the real node-pcsclite. */
  binding?: () => PcscBinding;
  /** Backoff while pcscd is down (see PcscService). */
  retryDelaysMs?: readonly number[];
  minHealthyMs?: number;
  /** Longest wait for a new context's first reader list and statuses. Default 2000 ms. */
  settleTimeoutMs?: number;
}

interface Entry {
  reader: NativeReader;
  slot: CardSlotState | undefined;
}

export class ReaderMonitor extends EventEmitter<ReaderMonitorEvents> {
  private readonly service: PcscService;
  private readonly settleTimeoutMs: number;
  private readonly entries = new Map<string, Entry>();
  private current: MonitorState = 'idle';
  private listedOnce = false;
  private settled: Promise<void> = Promise.resolve();
  private resolveSettled: (() => void) | undefined;
  private settleTimer: NodeJS.Timeout | undefined;

  constructor(opts: ReaderMonitorOptions = {}) {
    super();
    this.settleTimeoutMs = opts.settleTimeoutMs ?? 2000;
    const serviceOpts: ConstructorParameters<typeof PcscService>[1] = {};
    if (opts.binding) serviceOpts.binding = opts.binding;
    if (opts.retryDelaysMs) serviceOpts.retryDelaysMs = opts.retryDelaysMs;
    if (opts.minHealthyMs !== undefined) serviceOpts.minHealthyMs = opts.minHealthyMs;
    this.service = new PcscService(
      {
        up: (ctx) => this.onUp(ctx),
        lost: () => this.clear(),
        down: (error) => this.onDown(error),
        reader: (r) => this.onReader(r),
        listed: (names) => this.onListed(names),
        status: (r, state, atr) => this.onStatus(r, state, atr),
        readerEnd: (r) => this.removeReader(r.name, r),
      },
      serviceOpts,
    );
  }

  get state(): MonitorState {
    return this.current;
  }

  /** Why PC/SC is unavailable, while `state` is 'down'. */
  get lastError(): CardError | undefined {
    return this.service.lastError;
  }

  /**
   * Opens the context (idempotent). Resolves once the first reader list and each reader's first
   * status are known, or PC/SC is found down, or settleTimeoutMs passed. Never rejects.
   */
  start(): Promise<void> {
    if (this.current === 'idle') {
      this.current = 'starting';
      this.service.start();
    }
    return this.whenSettled();
  }

  /** Resolves when the current context has reported its readers (or PC/SC is down). */
  whenSettled(): Promise<void> {
    return this.settled;
  }

  readers(): ReaderInfo[] {
    return [...this.entries.entries()].map(([name, e]) => info(name, e));
  }

  reader(name: string): ReaderInfo | undefined {
    const e = this.entries.get(name);
    return e ? info(name, e) : undefined;
  }

  /** For PcscTransport: the binding's reader object, while the reader is present. */
  nativeReader(name: string): NativeReader | undefined {
    return this.entries.has(name) ? this.service.context?.reader(name) : undefined;
  }

  /** Releases the context and every watch; no events after this. The process can then exit. */
  async close(): Promise<void> {
    this.current = 'closed';
    this.entries.clear();
    this.finishSettling();
    await this.service.close();
  }

  private onUp(_ctx: PcscContext): void {
    const wasDown = this.current === 'down' || this.current === 'starting';
    this.current = 'up';
    this.beginSettling();
    if (wasDown) this.emit('service-up');
  }

  private onDown(error: CardError): void {
    if (this.current !== 'down') {
      this.current = 'down';
      this.emit('service-down', { error });
    }
    this.clear();
    this.finishSettling();
  }

  private onReader(r: NativeReader): void {
    const old = this.entries.get(r.name);
    if (old && old.reader !== r) this.removeReader(r.name, old.reader);
    if (this.entries.has(r.name)) return;
    this.entries.set(r.name, { reader: r, slot: undefined });
    this.emit('reader-added', { reader: r.name });
  }

  private onListed(names: string[]): void {
    this.listedOnce = true;
    for (const [name, e] of [...this.entries]) if (!names.includes(name)) this.removeReader(name, e.reader);
    this.checkSettled();
  }

  private onStatus(r: NativeReader, state: number, atr: Buffer | undefined): void {
    const e = this.entries.get(r.name);
    if (!e || e.reader !== r) return;
    const next = slotStateFrom(state, atr);
    const changes = diffCardState(e.slot, next);
    e.slot = next;
    for (const c of changes) {
      if (this.entries.get(r.name) !== e) return; // a listener closed us or the reader left
      if (c.type === 'card-inserted') this.emit('card-inserted', { reader: r.name, atr: c.atr });
      else this.emit('card-removed', { reader: r.name });
    }
    this.checkSettled();
  }

  private removeReader(name: string, r: NativeReader): void {
    const e = this.entries.get(name);
    if (!e || e.reader !== r) return;
    this.entries.delete(name);
    if (e.slot?.present) this.emit('card-removed', { reader: name });
    this.emit('reader-removed', { reader: name });
    this.checkSettled();
  }

  /** Forgets every reader of a dead context, with the events a consumer needs to follow. */
  private clear(): void {
    for (const [name, e] of [...this.entries]) this.removeReader(name, e.reader);
  }

  private beginSettling(): void {
    this.finishSettling();
    this.listedOnce = false;
    this.settled = new Promise((resolve) => {
      this.resolveSettled = resolve;
    });
    this.settleTimer = setTimeout(() => this.finishSettling(), this.settleTimeoutMs);
  }

  private checkSettled(): void {
    if (!this.resolveSettled || !this.listedOnce) return;
    for (const e of this.entries.values()) if (!e.slot) return;
    this.finishSettling();
  }

  private finishSettling(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    const resolve = this.resolveSettled;
    this.resolveSettled = undefined;
    resolve?.();
  }
}

function info(name: string, e: Entry): ReaderInfo {
  return { name, cardPresent: e.slot?.present ?? false, atr: e.slot?.atr ?? '' };
}
