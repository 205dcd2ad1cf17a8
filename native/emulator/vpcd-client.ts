/**
 * Puts the emulated card into a pcscd reader through vsmartcard's vpcd driver
 * (jpki-protocol §6). vpcd listens (port 35963 + slot index, §6.1); we connect, and from then on
 * vpcd drives: every message in both directions is a 2-byte big-endian length + payload (§6.2).
 *
 *   00 01 00  power off   (no reply)        00 01 01  power on (no reply)
 *   00 01 02  reset       (no reply)        00 01 04  get ATR → ATR
 *   LL LL <C-APDU>  → LL LL <R-APDU>
 *
 * GET ATR is pcscd's presence poll (~0.44 s, also between the APDUs of one transaction, §6.3):
 * it never touches the card state. Card removal = closing the connection; insertion = connecting.
 * When pcscd is not running or restarts, the client retries every `retryMs` until stopped.
 */
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { CardSlot } from './card-slot.ts';

export const VPCD_BASE_PORT = 0x8c7b; // 35963, /etc/reader.conf.d/vpcd DEVICENAME /dev/null:0x8C7B

const CTRL_OFF = 0;
const CTRL_ON = 1;
const CTRL_RESET = 2;
const CTRL_ATR = 4;
/** Presence polls (~0.44 s apart, §6.3) without POWER ON after attaching → pcscd missed the card. */
const STUCK_AFTER_POLLS = 6;

export interface VpcdClientOptions {
  /** vpcd slot index: port = 35963 + slot, reader "Virtual PCD 00 0<slot>" (§6.1). */
  slot?: number;
  /** Overrides the port rule. */
  port?: number;
  host?: string;
  /** Reconnect interval after a refused or dropped connection (ms). Default 500. */
  retryMs?: number;
  /**
   * Shortest time the card stays out of the reader after a removal (ms). Default 1000: pcscd polls
   * presence every ~0.44 s (§6.3), and a re-insertion faster than its polls races its removal
   * handling (observed: POWER_OFF sent to the new connection and no POWER_ON after it).
   */
  minRemovalMs?: number;
}

export interface VpcdEvents {
  /** TCP connection to vpcd established (the card is "inserted" in the reader). */
  attached: [];
  /** pcscd has picked the card up (first POWER ON or APDU after attaching). */
  ready: [];
  /** Connection gone: card removed, pcscd stopped, or stop(). */
  detached: [reason: string];
  /** A connection attempt failed (reported once until the next successful attach). */
  unreachable: [error: Error];
}

export function vpcdReaderName(slot: number): string {
  return `Virtual PCD 00 ${String(slot).padStart(2, '0')}`;
}

export class VpcdClient extends EventEmitter<VpcdEvents> {
  readonly host: string;
  readonly port: number;
  readonly readerName: string;
  private readonly cardSlot: CardSlot;
  private readonly retryMs: number;
  private readonly minRemovalMs: number;
  private removedAt = Number.NEGATIVE_INFINITY;
  private atrPolls = 0;
  private closeReason: string | undefined;
  private socket: Socket | undefined;
  private isAttached = false;
  private isReady = false;
  private running = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private inbuf: Buffer = Buffer.alloc(0);
  private chain: Promise<void> = Promise.resolve();
  private busy = false;
  private closeAfterReply = false;
  private reportedUnreachable = false;
  private readonly onRemoved = () => this.cardRemoved();
  private readonly onInserted = () => this.cardInserted();

  constructor(cardSlot: CardSlot, opts: VpcdClientOptions = {}) {
    super();
    const slot = opts.slot ?? 0;
    this.cardSlot = cardSlot;
    this.host = opts.host ?? '127.0.0.1';
    this.port = opts.port ?? VPCD_BASE_PORT + slot;
    this.readerName = vpcdReaderName(opts.port !== undefined ? opts.port - VPCD_BASE_PORT : slot);
    this.retryMs = opts.retryMs ?? 500;
    this.minRemovalMs = opts.minRemovalMs ?? 1000;
  }

  get attached(): boolean {
    return this.isAttached;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.cardSlot.on('removed', this.onRemoved);
    this.cardSlot.on('inserted', this.onInserted);
    this.scheduleConnect(0);
  }

  /** Closes the connection (the card leaves the reader) and stops retrying. */
  async stop(): Promise<void> {
    this.running = false;
    this.cardSlot.off('removed', this.onRemoved);
    this.cardSlot.off('inserted', this.onInserted);
    clearTimeout(this.retryTimer);
    await this.chain;
    const s = this.socket;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.destroy();
    });
  }

  private connectNow(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!this.running || this.socket || !this.cardSlot.present) return;
    const s = connect({ host: this.host, port: this.port });
    this.socket = s;
    s.setNoDelay(true);
    s.on('connect', () => {
      this.reportedUnreachable = false;
      this.isAttached = true;
      this.isReady = false;
      this.atrPolls = 0;
      this.emit('attached');
    });
    s.on('data', (chunk: Buffer) => this.onData(s, chunk));
    s.on('error', (err) => {
      // 'close' follows and schedules the retry.
      if (!this.isAttached && !this.reportedUnreachable) {
        this.reportedUnreachable = true;
        this.emit('unreachable', err);
      }
    });
    s.on('close', () => this.onClose(s));
  }

  private onClose(s: Socket): void {
    if (this.socket !== s) return;
    this.socket = undefined;
    this.inbuf = Buffer.alloc(0);
    this.closeAfterReply = false;
    if (this.isAttached) {
      this.isAttached = false;
      this.isReady = false;
      // Losing the reader means losing power: the verified state goes, counters stay (§6.3).
      this.cardSlot.card.powerOff();
      const reason = !this.running
        ? 'stopped'
        : !this.cardSlot.present
          ? 'card removed'
          : (this.closeReason ?? 'connection lost');
      this.closeReason = undefined;
      this.emit('detached', reason);
    }
    if (this.running && this.cardSlot.present) this.scheduleConnect(this.retryMs);
  }

  /** The one place a (re)connection is scheduled: never earlier than minRemovalMs after a removal. */
  private scheduleConnect(minDelayMs: number): void {
    clearTimeout(this.retryTimer);
    const wait = Math.max(minDelayMs, this.removedAt + this.minRemovalMs - performance.now());
    if (wait <= 0) this.connectNow();
    else this.retryTimer = setTimeout(() => this.connectNow(), wait);
  }

  private cardInserted(): void {
    if (this.running && !this.socket) this.scheduleConnect(0);
  }

  private cardRemoved(): void {
    this.removedAt = performance.now();
    clearTimeout(this.retryTimer);
    const s = this.socket;
    if (!s) return;
    // A removal triggered by the APDU being answered waits until its reply is on the wire.
    if (this.busy) this.closeAfterReply = true;
    else s.end();
  }

  private onData(s: Socket, chunk: Buffer): void {
    if (this.socket !== s) return;
    this.inbuf = this.inbuf.length ? Buffer.concat([this.inbuf, chunk]) : chunk;
    while (this.inbuf.length >= 2) {
      const len = this.inbuf.readUInt16BE(0);
      if (this.inbuf.length < 2 + len) break;
      const frame = new Uint8Array(this.inbuf.subarray(2, 2 + len));
      this.inbuf = this.inbuf.subarray(2 + len);
      this.chain = this.chain.then(() => this.process(s, frame));
    }
  }

  private async process(s: Socket, msg: Uint8Array): Promise<void> {
    if (this.socket !== s || s.destroyed) return;
    if (msg.length === 1) {
      switch (msg[0]) {
        case CTRL_OFF:
          this.cardSlot.powerOff();
          return;
        case CTRL_ON:
          this.cardSlot.powerOn();
          this.markReady();
          return;
        case CTRL_RESET:
          this.cardSlot.reset();
          return;
        case CTRL_ATR:
          // Presence poll: answer, change nothing.
          this.send(s, this.cardSlot.atr());
          // pcscd powers a newly inserted card up at once. A re-insertion that raced pcscd's
          // removal handling leaves it polling a card it never powers (observed with pcscd 1.9.9);
          // pulling the card out and in again, slowly, recovers.
          if (!this.isReady && ++this.atrPolls >= STUCK_AFTER_POLLS) {
            this.closeReason = 'not powered up by pcscd; re-inserting';
            this.removedAt = performance.now();
            s.end();
          }
          return;
        default:
          return; // unknown control: vpcd expects no reply
      }
    }
    if (msg.length === 0) return;
    this.markReady();
    this.busy = true;
    try {
      const response = await this.cardSlot.exchange(msg);
      if (this.socket === s && !s.destroyed) this.send(s, response);
    } catch {
      // Card already gone: closing is how vpcd learns it (§6.2).
      s.end();
    } finally {
      this.busy = false;
    }
    if (this.closeAfterReply || !this.cardSlot.present) {
      this.closeAfterReply = false;
      s.end();
    }
  }

  private markReady(): void {
    if (this.isReady) return;
    this.isReady = true;
    this.emit('ready');
  }

  private send(s: Socket, payload: Uint8Array): void {
    // The length field is 16 bits; an (injected) oversize body beyond that is cut.
    const body = payload.length > 0xffff ? payload.subarray(0, 0xffff) : payload;
    const frame = Buffer.alloc(2 + body.length);
    frame.writeUInt16BE(body.length, 0);
    frame.set(body, 2);
    s.write(frame);
  }
}
