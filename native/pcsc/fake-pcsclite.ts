/**
 * A scripted stand-in for node-pcsclite + pcscd, for unit tests of native/pcsc. It reproduces
 * the binding's observable behaviour (binding.ts, pcsc-context.ts): the JS layer's reader-list
 * diffing and `readers` map, asynchronous 'reader'/'status'/'end' events, the synchronous throw
 * of `pcsclite()` while the service is down, the error burst when it dies, the late
 * "Command cancelled" error after close(), and the error message format
 * `<SCardFunction> error: <text>(0x<code>)`.
 */
import { EventEmitter } from 'node:events';
import type { NativeContext, NativeReader, NativeReaderStatus, NodeCallback, PcscBinding } from './binding.ts';
import { SCARD_STATE } from './card-state.ts';

const ERR = {
  NO_SERVICE: 'Service not available.(0x8010001d)',
  COMM: 'RPC transport error.(0x80100013)',
  CANCELLED: 'Command cancelled.(0x80100002)',
  NO_CARD: 'No smart card inserted.(0x8010000c)',
  SHARING: 'Sharing violation.(0x8010000b)',
  UNKNOWN_READER: 'Unknown reader specified.(0x80100009)',
  REMOVED: 'Card was removed.(0x80100069)',
} as const;

const pcscError = (fn: string, text: string) => new Error(`${fn} error: ${text}`);

interface SlotState {
  present: boolean;
  atr: Buffer;
  events: number;
  holder: FakeReader | undefined;
}

/** What a transmit does: answer, fail, or hang until `releaseHung()`. */
export type FakeTransmitResult = Buffer | Error | 'hang';

export class FakePcscSystem {
  running = true;
  readonly slots = new Map<string, SlotState>();
  readonly contexts = new Set<FakeContext>();
  /** Contexts ever created, and how many were closed (or died). */
  created = 0;
  /** Every call made on a reader, in order: "connect exclusive T1", "transmit 00A4…", "disconnect reset". */
  readonly calls: string[] = [];
  onTransmit: (reader: string, apdu: Buffer) => FakeTransmitResult = () => Buffer.from([0x90, 0x00]);
  /** Delay before native callbacks fire (ms); 0 = next macrotask. */
  latencyMs = 0;
  private hung: Array<() => void> = [];

  readonly binding: PcscBinding = () => {
    if (!this.running) throw pcscError('SCardEstablishContext', ERR.NO_SERVICE);
    return new FakeContext(this);
  };

  /** Contexts neither closed nor dead. */
  get liveContexts(): number {
    return [...this.contexts].filter((c) => !c.closedByUser && !c.dead).length;
  }

  addReader(name: string): void {
    this.slots.set(name, { present: false, atr: Buffer.alloc(0), events: 0, holder: undefined });
    for (const c of this.contexts) c.listChanged();
  }

  removeReader(name: string): void {
    this.slots.delete(name);
    for (const c of this.contexts) c.readerGone(name);
  }

  insertCard(name: string, atr: string): void {
    const s = this.slot(name);
    s.present = true;
    s.atr = Buffer.from(atr, 'hex');
    s.events++;
    this.notify(name);
  }

  removeCard(name: string): void {
    const s = this.slot(name);
    s.present = false;
    s.atr = Buffer.alloc(0);
    s.events++;
    this.notify(name);
  }

  /** pcscd dies: every context errors (RPC transport error), every reader errors then ends. */
  stop(): void {
    this.running = false;
    for (const s of this.slots.values()) s.holder = undefined;
    for (const c of this.contexts) c.serviceDied();
  }

  start(): void {
    this.running = true;
  }

  /** Lets every hung transmit answer `90 00`... or whatever `answer` says. */
  releaseHung(): void {
    const h = this.hung;
    this.hung = [];
    for (const f of h) f();
  }

  stateOf(name: string): number {
    const s = this.slots.get(name);
    if (!s) return SCARD_STATE.UNKNOWN | SCARD_STATE.CHANGED;
    let st = (s.present ? SCARD_STATE.PRESENT : SCARD_STATE.EMPTY) | SCARD_STATE.CHANGED | (s.events << 16);
    if (s.holder) st |= SCARD_STATE.EXCLUSIVE | SCARD_STATE.INUSE;
    return st >>> 0;
  }

  later(f: () => void): void {
    if (this.latencyMs > 0) setTimeout(f, this.latencyMs);
    else setImmediate(f);
  }

  hang(f: () => void): void {
    this.hung.push(f);
  }

  private slot(name: string): SlotState {
    const s = this.slots.get(name);
    if (!s) throw new Error(`no fake reader ${name}`);
    return s;
  }

  notify(name: string): void {
    for (const c of this.contexts) c.statusChanged(name);
  }
}

export class FakeContext extends EventEmitter implements NativeContext {
  readonly readers: Record<string, FakeReader> = {};
  closedByUser = false;
  dead = false;
  private listCb: ((err: Error | null | undefined, data?: Buffer) => void) | undefined;
  private readonly sys: FakePcscSystem;

  constructor(sys: FakePcscSystem) {
    super();
    this.sys = sys;
    sys.created++;
    sys.contexts.add(this);
    // As lib/pcsclite.js: start() on the next tick, diff each list against `readers`.
    process.nextTick(() => {
      this.start((err, data) => {
        if (err) {
          this.emit('error', err);
          return;
        }
        const names = data && data.length > 0 ? data.toString().slice(0, -1).split('\u0000').slice(0, -1) : [];
        const current = Object.keys(this.readers);
        for (const name of names.filter((n) => !current.includes(n))) {
          const r = new FakeReader(sys, this, name);
          r.on('_end', () => {
            r.removeAllListeners('status');
            r.emit('end');
            delete this.readers[name];
          });
          this.readers[name] = r;
          r.watch();
          this.emit('reader', r);
        }
        for (const name of current.filter((n) => !names.includes(n))) this.readers[name]?.close();
      });
    });
  }

  start(cb: (err: Error | null | undefined, data?: Buffer) => void): void {
    this.listCb = cb;
    this.sys.later(() => this.sendList());
  }

  close(): void {
    if (this.closedByUser) return;
    this.closedByUser = true;
    this.sys.contexts.delete(this);
    // node-pcsclite's watcher overwrites the "closed" flag and reports the cancellation.
    if (!this.dead) this.sys.later(() => this.emit('error', pcscError('SCardGetStatusChange', ERR.CANCELLED)));
  }

  listChanged(): void {
    if (!this.closedByUser && !this.dead) this.sys.later(() => this.sendList());
  }

  readerGone(name: string): void {
    this.readers[name]?.gone();
    this.listChanged();
  }

  statusChanged(name: string): void {
    this.readers[name]?.push();
  }

  serviceDied(): void {
    if (this.closedByUser || this.dead) return;
    this.dead = true;
    this.sys.contexts.delete(this);
    this.sys.later(() => {
      this.emit('error', pcscError('SCardGetStatusChange', ERR.COMM));
      for (const r of Object.values(this.readers)) r.died();
    });
  }

  private sendList(): void {
    if (this.closedByUser || this.dead || !this.listCb) return;
    const names = [...this.sys.slots.keys()];
    const data = names.length === 0 ? Buffer.alloc(0) : Buffer.from(`${names.join('\u0000')}\u0000\u0000`);
    this.listCb(undefined, data);
  }
}

export class FakeReader extends EventEmitter implements NativeReader {
  readonly name: string;
  connected = false;
  readonly SCARD_SHARE_EXCLUSIVE = 1;
  readonly SCARD_SHARE_SHARED = 2;
  readonly SCARD_PROTOCOL_T0 = 1;
  readonly SCARD_PROTOCOL_T1 = 2;
  readonly SCARD_LEAVE_CARD = 0;
  readonly SCARD_RESET_CARD = 1;
  private readonly sys: FakePcscSystem;
  private readonly ctx: FakeContext;
  private watching = false;
  private lastState = 0;
  private handle = false;

  constructor(sys: FakePcscSystem, ctx: FakeContext, name: string) {
    super();
    this.sys = sys;
    this.ctx = ctx;
    this.name = name;
  }

  watch(): void {
    this.watching = true;
    this.push();
  }

  push(): void {
    if (!this.watching) return;
    this.sys.later(() => {
      if (!this.watching) return;
      const state = this.sys.stateOf(this.name);
      if (state === this.lastState) return;
      this.lastState = state;
      const status: NativeReaderStatus = { state, atr: Buffer.from(this.sys.slots.get(this.name)?.atr ?? []) };
      this.emit('status', status);
    });
  }

  gone(): void {
    if (!this.watching) return;
    this.sys.later(() => {
      if (!this.watching) return;
      this.watching = false;
      this.emit('status', { state: SCARD_STATE.UNKNOWN | SCARD_STATE.CHANGED, atr: Buffer.alloc(0) });
      this.emit('_end');
    });
  }

  died(): void {
    if (!this.watching) return;
    this.watching = false;
    this.emit('error', pcscError('SCardGetStatusChange', ERR.COMM));
    this.emit('_end');
  }

  close(): void {
    if (!this.watching) return;
    this.watching = false;
    this.sys.later(() => this.emit('_end'));
  }

  connect(options: { share_mode: number; protocol: number }, cb: NodeCallback<number | undefined>): void {
    if (this.connected) {
      cb(undefined, undefined); // as lib/pcsclite.js: no native call, no protocol
      return;
    }
    this.sys.calls.push(
      `connect ${options.share_mode === 1 ? 'exclusive' : 'shared'} ${options.protocol === 2 ? 'T1' : options.protocol}`,
    );
    this.sys.later(() => {
      const s = this.sys.slots.get(this.name);
      if (!this.sys.running || this.ctx.dead) return cb(pcscError('SCardConnect', ERR.NO_SERVICE), undefined);
      if (!s) return cb(pcscError('SCardConnect', ERR.UNKNOWN_READER), undefined);
      if (!s.present) return cb(pcscError('SCardConnect', ERR.NO_CARD), undefined);
      if (s.holder && s.holder !== this) return cb(pcscError('SCardConnect', ERR.SHARING), undefined);
      s.holder = this;
      this.handle = true;
      this.connected = true;
      this.sys.notify(this.name);
      cb(null, 2);
    });
  }

  disconnect(disposition: number, cb: (err: Error | null | undefined) => void): void {
    if (!this.connected) {
      cb(undefined);
      return;
    }
    this.sys.calls.push(`disconnect ${disposition === 1 ? 'reset' : disposition === 0 ? 'leave' : disposition}`);
    this.sys.later(() => {
      if (!this.sys.running || this.ctx.dead) return cb(pcscError('SCardDisconnect', ERR.NO_SERVICE));
      const s = this.sys.slots.get(this.name);
      if (s?.holder === this) s.holder = undefined;
      this.handle = false;
      this.connected = false;
      this.sys.notify(this.name);
      cb(null);
    });
  }

  transmit(data: Buffer, resLen: number, protocol: number, cb: NodeCallback<Buffer>): void {
    if (!this.connected) {
      cb(new Error('Card Reader not connected'), Buffer.alloc(0));
      return;
    }
    this.sys.calls.push(`transmit ${data.toString('hex').toUpperCase()} ${resLen} ${protocol}`);
    const answer = () => {
      const s = this.sys.slots.get(this.name);
      if (!this.sys.running || this.ctx.dead) return cb(pcscError('SCardTransmit', ERR.NO_SERVICE), Buffer.alloc(0));
      if (!s?.present || !this.handle) return cb(pcscError('SCardTransmit', ERR.REMOVED), Buffer.alloc(0));
      const r = this.sys.onTransmit(this.name, data);
      if (r === 'hang') return this.sys.hang(() => cb(null, Buffer.from([0x90, 0x00])));
      if (r instanceof Error) return cb(r, Buffer.alloc(0));
      cb(null, r);
    };
    this.sys.later(answer);
  }
}
