/**
 * Fault injection (DESIGN §6), shared by the in-process transport and the vpcd client through
 * CardSlot. Set at construction (FaultConfig, CLI flags) and changeable at run time.
 *
 * APDU numbers are 1-based and counted from the moment a fault is armed (construction counts as
 * armed at APDU 0). Only APDUs count — power on/off/reset and GET_ATR do not.
 */
import { EventEmitter } from 'node:events';
import type { PinId } from './files.ts';

export type CorruptMode = 'flip' | 'truncate' | 'oversize';

export interface ForceSwRule {
  /** Status word to answer instead of processing the command (the card state is untouched). */
  sw: number;
  /** Match the next APDU with this INS… */
  ins?: number;
  /** …or exactly the n-th APDU from now. */
  apdu?: number;
}

export interface CorruptRule {
  /** The n-th APDU from now. */
  apdu: number;
  mode: CorruptMode;
}

export interface FaultConfig {
  /** Remove the card right after answering the n-th APDU. */
  removeAfter?: number;
  /** Delay every response by this many milliseconds. */
  delayMs?: number;
  forceSw?: ForceSwRule[];
  corrupt?: CorruptRule[];
  /** Set these PINs' counters to 0 when the card is created. */
  lockPins?: PinId[];
}

/** What to do with one APDU, decided before the card sees it. */
export interface ApduFaultPlan {
  /** 1-based APDU number since the Faults object was created. */
  n: number;
  forcedSw: number | undefined;
  corrupt: CorruptMode | undefined;
  delayMs: number;
  removeAfter: boolean;
}

interface ArmedForce {
  sw: number;
  ins?: number;
  at?: number;
}

export class Faults extends EventEmitter<{ lockPin: [PinId] }> {
  private count = 0;
  private removeAt: number | undefined;
  private delay = 0;
  private forces: ArmedForce[] = [];
  private corrupts: { at: number; mode: CorruptMode }[] = [];
  /** PINs to lock; CardSlot applies (and clears) them. */
  readonly pendingLocks: PinId[] = [];

  constructor(cfg: FaultConfig = {}) {
    super();
    if (cfg.removeAfter !== undefined) this.removeAfter(cfg.removeAfter);
    if (cfg.delayMs !== undefined) this.setDelay(cfg.delayMs);
    for (const r of cfg.forceSw ?? []) this.forceSw(r);
    for (const r of cfg.corrupt ?? []) this.corrupt(r.apdu, r.mode);
    for (const p of cfg.lockPins ?? []) this.pendingLocks.push(p);
  }

  /** APDUs seen so far. */
  get apduCount(): number {
    return this.count;
  }

  removeAfter(n: number | undefined): void {
    if (n !== undefined) positive('removeAfter', n);
    this.removeAt = n === undefined ? undefined : this.count + n;
  }

  setDelay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('delay must be ≥ 0 ms');
    this.delay = ms;
  }

  forceSw(r: ForceSwRule): void {
    if (!Number.isInteger(r.sw) || r.sw < 0 || r.sw > 0xffff) throw new RangeError('SW must be 0000..FFFF');
    if ((r.ins === undefined) === (r.apdu === undefined)) throw new RangeError('force-sw needs either ins or apdu');
    if (r.apdu !== undefined) positive('apdu', r.apdu);
    this.forces.push(
      r.ins !== undefined ? { sw: r.sw, ins: r.ins } : { sw: r.sw, at: this.count + (r.apdu as number) },
    );
  }

  corrupt(apdu: number, mode: CorruptMode = 'flip'): void {
    positive('apdu', apdu);
    this.corrupts.push({ at: this.count + apdu, mode });
  }

  lockPin(pin: PinId): void {
    this.pendingLocks.push(pin);
    this.emit('lockPin', pin);
  }

  /** Disarms everything (the APDU count keeps running). */
  clear(): void {
    this.removeAt = undefined;
    this.delay = 0;
    this.forces = [];
    this.corrupts = [];
  }

  /** Called once per APDU, before the card processes it. One-shot rules are consumed. */
  plan(ins: number): ApduFaultPlan {
    const n = ++this.count;
    let forcedSw: number | undefined;
    const fi = this.forces.findIndex((f) => (f.at !== undefined ? f.at === n : f.ins === ins));
    if (fi >= 0) {
      forcedSw = this.forces[fi]?.sw;
      this.forces.splice(fi, 1);
    }
    let corrupt: CorruptMode | undefined;
    const ci = this.corrupts.findIndex((c) => c.at === n);
    if (ci >= 0) {
      corrupt = this.corrupts[ci]?.mode;
      this.corrupts.splice(ci, 1);
    }
    const removeAfter = this.removeAt === n;
    if (removeAfter) this.removeAt = undefined;
    return { n, forcedSw, corrupt, delayMs: this.delay, removeAfter };
  }
}

/**
 * flip: every data byte XOR FF, SW kept (garbage that claims success); with no data, the SW
 * itself is flipped. truncate: only the first byte (no complete SW). oversize: 256 extra bytes
 * of EE before the SW, so the body is longer than Le allows.
 */
export function corruptResponse(resp: Uint8Array, mode: CorruptMode): Uint8Array {
  switch (mode) {
    case 'flip': {
      const out = Uint8Array.from(resp);
      const end = out.length > 2 ? out.length - 2 : out.length;
      for (let i = 0; i < end; i++) out[i] = (out[i] as number) ^ 0xff;
      return out;
    }
    case 'truncate':
      return resp.slice(0, 1);
    case 'oversize': {
      const n = resp.length;
      const out = new Uint8Array(n + 256);
      out.set(resp.subarray(0, Math.max(0, n - 2)), 0);
      out.fill(0xee, Math.max(0, n - 2), n + 254);
      out.set(resp.subarray(Math.max(0, n - 2)), n + 254);
      return out;
    }
  }
}

function positive(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer`);
}

/** Parses the CLI form of a force-sw rule: `2A:6982` (next INS 2A) or `@5:6A82` (5th APDU). */
export function parseForceSw(s: string): ForceSwRule {
  const m = /^(@?)([0-9A-Fa-f]+):([0-9A-Fa-f]{4})$/.exec(s.trim());
  if (!m) throw new RangeError(`--force-sw expects INS:SW (e.g. 2A:6982) or @N:SW, got "${s}"`);
  const sw = Number.parseInt(m[3] as string, 16);
  if (m[1] === '@') return { apdu: Number.parseInt(m[2] as string, 10), sw };
  const ins = Number.parseInt(m[2] as string, 16);
  if (ins > 0xff) throw new RangeError(`--force-sw INS must be one byte, got "${m[2]}"`);
  return { ins, sw };
}

/** Parses `N` or `N:mode` for --corrupt. */
export function parseCorrupt(s: string): CorruptRule {
  const m = /^(\d+)(?::(flip|truncate|oversize))?$/.exec(s.trim());
  if (!m) throw new RangeError(`--corrupt expects N or N:flip|truncate|oversize, got "${s}"`);
  return { apdu: Number.parseInt(m[1] as string, 10), mode: (m[2] as CorruptMode | undefined) ?? 'flip' };
}
