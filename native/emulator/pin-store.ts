/**
 * The card's PIN objects: reference values and retry counters. Counters live in "EEPROM":
 * they survive power cycles and, with a state file, restarts of the emulator
 * (jpki-protocol §6.3). Verified flags are NOT here — they are volatile session state and
 * belong to the APDU processor.
 */

import { timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { PinId } from './files.ts';
import { type CardProfile, MAX_TRIES, type PinTries } from './profile.ts';

export const STATE_FORMAT = 'myna-emulator-state/1';

/** What the state file holds. PINs appear only once changed with CHANGE REFERENCE DATA. */
export interface PinStateFile {
  format: typeof STATE_FORMAT;
  card: string;
  tries: PinTries;
  pins: Partial<Record<PinId, string>>;
}

export class StateFileError extends Error {
  readonly path: string;
  constructor(path: string, reason: string) {
    super(
      `emulator state file ${path} is unusable: ${reason}. ` +
        'Fix or delete it (deleting restores the profile defaults); it was left untouched.',
    );
    this.name = 'StateFileError';
    this.path = path;
  }
}

const PIN_IDS: readonly PinId[] = ['auth', 'sign', 'kenhojo'];

export type VerifyOutcome =
  | { ok: true }
  | { ok: false; blocked: true }
  | { ok: false; blocked: false; remaining: number };

export interface PinStoreOptions {
  /** JSON file to load counters/changed PINs from and save them to after every change. */
  statePath?: string;
}

export class PinStore {
  readonly statePath: string | undefined;
  private readonly cardId: string;
  private readonly tries: PinTries;
  private readonly values: Record<PinId, string>;
  private readonly changed: Partial<Record<PinId, string>> = {};

  constructor(profile: CardProfile, opts: PinStoreOptions = {}) {
    this.statePath = opts.statePath;
    this.cardId = profile.id;
    this.tries = {
      auth: profile.initialTries?.auth ?? MAX_TRIES.auth,
      sign: profile.initialTries?.sign ?? MAX_TRIES.sign,
      kenhojo: profile.initialTries?.kenhojo ?? MAX_TRIES.kenhojo,
    };
    this.values = { auth: profile.authPin, sign: profile.signPassword, kenhojo: profile.kenhojoPin };
    if (this.statePath) this.load(this.statePath);
  }

  triesLeft(pin: PinId): number {
    return this.tries[pin];
  }

  isBlocked(pin: PinId): boolean {
    return this.tries[pin] === 0;
  }

  /**
   * One VERIFY with data (jpki-protocol §2.3): blocked → no comparison; match → counter back to
   * max; mismatch → counter − 1. The card compares bytes as stored: it does not upper-case.
   */
  verify(pin: PinId, candidate: Uint8Array): VerifyOutcome {
    if (this.isBlocked(pin)) return { ok: false, blocked: true };
    const expected = Buffer.from(this.values[pin], 'utf8');
    const given = Buffer.from(candidate);
    const match = expected.length === given.length && timingSafeEqual(expected, given);
    if (match) {
      this.setTries(pin, MAX_TRIES[pin]);
      return { ok: true };
    }
    this.setTries(pin, this.tries[pin] - 1);
    return { ok: false, blocked: false, remaining: this.tries[pin] };
  }

  /** CHANGE REFERENCE DATA: the caller has checked the session and the format. */
  change(pin: PinId, newValue: string): void {
    this.values[pin] = newValue;
    this.changed[pin] = newValue;
    this.save();
  }

  /** Sets a counter (fault injection "lock a PIN" uses 0). */
  setTries(pin: PinId, n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > MAX_TRIES[pin]) throw new RangeError(`tries for ${pin} out of range`);
    if (this.tries[pin] === n) return;
    this.tries[pin] = n;
    this.save();
  }

  lock(pin: PinId): void {
    this.setTries(pin, 0);
  }

  snapshot(): PinStateFile {
    return { format: STATE_FORMAT, card: this.cardId, tries: { ...this.tries }, pins: { ...this.changed } };
  }

  /** Every change is already on disk; kept for symmetry with the CLI's shutdown path. */
  flush(): void {
    this.save();
  }

  private load(path: string): void {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // first run: profile defaults
      throw new StateFileError(path, `cannot read it (${(e as Error).message})`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new StateFileError(path, `not valid JSON (${(e as Error).message})`);
    }
    const s = parseState(path, raw);
    if (s.card !== this.cardId) {
      throw new StateFileError(path, `it belongs to card "${s.card}", not "${this.cardId}"`);
    }
    Object.assign(this.tries, s.tries);
    for (const id of PIN_IDS) {
      const v = s.pins[id];
      if (v !== undefined) {
        this.values[id] = v;
        this.changed[id] = v;
      }
    }
  }

  /** Atomic: write a temporary file, fsync, rename over the target. */
  private save(): void {
    if (!this.statePath) return;
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(this.snapshot(), null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.statePath);
  }
}

function parseState(path: string, raw: unknown): PinStateFile {
  const bad = (why: string): never => {
    throw new StateFileError(path, why);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('not a JSON object');
  const o = raw as Record<string, unknown>;
  if (o.format !== STATE_FORMAT) bad(`"format" is not "${STATE_FORMAT}"`);
  if (typeof o.card !== 'string') bad('"card" missing');
  const tries = o.tries as Record<string, unknown> | undefined;
  if (typeof tries !== 'object' || tries === null) return bad('"tries" missing');
  for (const id of PIN_IDS) {
    const n = tries[id];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_TRIES[id]) {
      bad(`"tries.${id}" must be an integer 0..${MAX_TRIES[id]}`);
    }
  }
  const pins = (o.pins ?? {}) as Record<string, unknown>;
  if (typeof pins !== 'object' || pins === null || Array.isArray(pins)) bad('"pins" must be an object');
  for (const [k, v] of Object.entries(pins)) {
    if (!PIN_IDS.includes(k as PinId) || typeof v !== 'string') bad(`"pins.${k}" is not a known PIN string`);
  }
  return raw as PinStateFile;
}
