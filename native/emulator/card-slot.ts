/**
 * A reader slot holding (or not holding) one emulated card: the part the in-process transport
 * and the vpcd client share. It runs every APDU through the fault injector and the APDU log,
 * and models insertion/removal (a removed card loses power; PIN counters stay, §6.3).
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseApdu } from '../apdu/command.ts';
import { CardError } from '../apdu/errors.ts';
import { ApduLog } from './apdu-log.ts';
import { EmulatedCard, type EmulatedCardOptions } from './card.ts';
import { corruptResponse, type FaultConfig, Faults } from './faults.ts';
import type { CardProfile } from './profile.ts';

export interface CardSlotOptions extends EmulatedCardOptions {
  faults?: Faults | FaultConfig;
  log?: ApduLog;
  /** Start with the card inserted (default true). */
  present?: boolean;
}

export class CardSlot extends EventEmitter<{ inserted: []; removed: [] }> {
  readonly card: EmulatedCard;
  readonly faults: Faults;
  readonly log: ApduLog;
  private inserted: boolean;
  private gen = 0;

  constructor(profile: CardProfile | EmulatedCard, opts: CardSlotOptions = {}) {
    super();
    this.card = profile instanceof EmulatedCard ? profile : new EmulatedCard(profile, opts);
    this.faults = opts.faults instanceof Faults ? opts.faults : new Faults(opts.faults);
    this.log = opts.log ?? new ApduLog();
    this.inserted = opts.present ?? true;
    if (!this.inserted) this.card.powerOff();
    this.applyLocks();
    this.faults.on('lockPin', () => this.applyLocks());
  }

  get present(): boolean {
    return this.inserted;
  }

  /** Increments on every insertion: a channel opened before a removal stays dead after it. */
  get generation(): number {
    return this.gen;
  }

  /** ATR of the card in the slot, empty when there is none. */
  atr(): Uint8Array {
    return this.inserted ? this.card.atr : new Uint8Array(0);
  }

  insert(): void {
    if (this.inserted) return;
    this.inserted = true;
    this.gen++;
    this.card.powerOn();
    this.log.recordEvent('card', 'inserted');
    this.emit('inserted');
  }

  remove(): void {
    if (!this.inserted) return;
    this.inserted = false;
    this.card.powerOff();
    this.log.recordEvent('card', 'removed');
    this.emit('removed');
  }

  powerOn(): void {
    this.card.powerOn();
    this.log.recordEvent('power', 'on');
  }

  powerOff(): void {
    this.card.powerOff();
    this.log.recordEvent('power', 'off');
  }

  reset(): void {
    this.card.reset();
    this.log.recordEvent('power', 'reset');
  }

  /**
   * One APDU exchange with faults applied: forced SW (the card does not see the command),
   * corruption, delay, and removal right after this response.
   */
  async exchange(apdu: Uint8Array): Promise<Uint8Array> {
    if (!this.inserted) throw new CardError('CARD_REMOVED');
    const t = ApduLog.now();
    const ins = apdu.length >= 2 ? (apdu[1] as number) : -1;
    const plan = this.faults.plan(ins);
    let response: Uint8Array;
    let fault: string | undefined;
    if (plan.forcedSw !== undefined) {
      response = Uint8Array.from([plan.forcedSw >> 8, plan.forcedSw & 0xff]);
      fault = 'force-sw';
    } else {
      response = this.card.handle(apdu);
    }
    if (plan.corrupt) {
      response = corruptResponse(response, plan.corrupt);
      fault = fault ? `${fault}+corrupt:${plan.corrupt}` : `corrupt:${plan.corrupt}`;
    }
    if (plan.delayMs > 0) await sleep(plan.delayMs);
    this.record(t, apdu, response, fault);
    if (plan.removeAfter) this.remove();
    return response;
  }

  private record(t: number, apdu: Uint8Array, response: Uint8Array, fault: string | undefined): void {
    let header: { cla: number; ins: number; p1: number; p2: number };
    let lc: number | null = null;
    let le: number | null = null;
    let extended = false;
    let data: Uint8Array = new Uint8Array(0);
    try {
      const c = parseApdu(apdu);
      header = { cla: c.cla, ins: c.ins, p1: c.p1, p2: c.p2 };
      lc = c.data.length > 0 ? c.data.length : null;
      le = c.le ?? null;
      extended = c.extended;
      data = c.data;
    } catch {
      const b = (i: number) => (apdu[i] ?? 0) as number;
      header = { cla: b(0), ins: b(1), p1: b(2), p2: b(3) };
    }
    this.log.recordApdu({ t, ...header, lc, le, extended, data, response, fault });
  }

  private applyLocks(): void {
    for (const pin of this.faults.pendingLocks.splice(0)) this.card.pins.lock(pin);
  }
}
