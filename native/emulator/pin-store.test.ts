import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmulatedCard } from './card.ts';
import { PinStore, STATE_FORMAT, StateFileError } from './pin-store.ts';
import { h, makeTestProfile, swOf, TEST_PINS, toHex } from './test-profile.ts';

const SELECT_JPKI = '00A4040C0AD392F000260100000001';
const ascii = (s: string) => toHex(new TextEncoder().encode(s));
const sel = (fid: string) => `00A4020C02${fid}`;

let dir: string;
let statePath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'myna-emu-state-'));
  statePath = join(dir, 'state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function cardWithState(): EmulatedCard {
  return new EmulatedCard(makeTestProfile(), { statePath });
}
function sw(card: EmulatedCard, apdu: string): string {
  return swOf(card.handle(h(apdu)));
}

describe('PIN counters and the state file', () => {
  it('starts from the profile defaults (3/5/3) and initialTries, without writing a file', () => {
    const s = new PinStore(makeTestProfile());
    expect(['auth', 'sign', 'kenhojo'].map((p) => s.triesLeft(p as 'auth'))).toEqual([3, 5, 3]);
    const s2 = new PinStore({ ...makeTestProfile(), initialTries: { sign: 1 } });
    expect(s2.triesLeft('sign')).toBe(1);
    new PinStore(makeTestProfile(), { statePath });
    expect(existsSync(statePath)).toBe(false);
  });

  it('writes after every counter change, atomically (no temp file left behind)', () => {
    const card = cardWithState();
    sw(card, SELECT_JPKI);
    sw(card, sel('0018'));
    expect(sw(card, `0020008004${ascii('0000')}`)).toBe('63C2');
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    expect(state).toEqual({
      format: STATE_FORMAT,
      card: 'test-card',
      tries: { auth: 2, sign: 5, kenhojo: 3 },
      pins: {},
    });
    expect(readdirSync(dir)).toEqual(['state.json']);
    expect(sw(card, `0020008004${ascii(TEST_PINS.authPin)}`)).toBe('9000');
    expect(JSON.parse(readFileSync(statePath, 'utf8')).tries.auth).toBe(3);
  });

  it('counters survive power cycles and emulator restarts; verified flags do not', () => {
    const card = cardWithState();
    sw(card, SELECT_JPKI);
    sw(card, sel('001B'));
    sw(card, `0020008006${ascii('WRONG1')}`);
    sw(card, `0020008006${ascii('WRONG1')}`);
    card.powerOff();
    card.powerOn();
    sw(card, SELECT_JPKI);
    sw(card, sel('001B'));
    expect(sw(card, '00200080')).toBe('63C3');
    const again = cardWithState();
    sw(again, SELECT_JPKI);
    sw(again, sel('001B'));
    expect(sw(again, '00200080')).toBe('63C3');
    expect(again.sessionState().verified).toEqual([]);
  });

  it('a changed PIN is persisted and used by the next emulator run', () => {
    const card = cardWithState();
    sw(card, SELECT_JPKI);
    sw(card, sel('0018'));
    sw(card, `0020008004${ascii(TEST_PINS.authPin)}`);
    expect(sw(card, `0024018004${ascii('2468')}`)).toBe('9000');
    expect(JSON.parse(readFileSync(statePath, 'utf8')).pins).toEqual({ auth: '2468' });
    const next = cardWithState();
    sw(next, SELECT_JPKI);
    sw(next, sel('0018'));
    expect(sw(next, `0020008004${ascii(TEST_PINS.authPin)}`)).toBe('63C2');
    expect(sw(next, `0020008004${ascii('2468')}`)).toBe('9000');
  });

  it('a locked PIN stays locked across restarts', () => {
    cardWithState().pins.lock('kenhojo');
    const card = cardWithState();
    sw(card, '00A4040C0AD3921000310001010408');
    expect(sw(card, '00200091')).toBe('63C0');
  });

  it('a corrupt state file is an error, not a silent reset, and is left untouched', () => {
    writeFileSync(statePath, '{"format": "myna-emulator-state/1", "tries": {');
    expect(() => cardWithState()).toThrow(StateFileError);
    expect(() => cardWithState()).toThrow(/state\.json is unusable: not valid JSON/);
    expect(readFileSync(statePath, 'utf8')).toBe('{"format": "myna-emulator-state/1", "tries": {');
  });

  it.each([
    [
      'a wrong format tag',
      { format: 'x', card: 'test-card', tries: { auth: 3, sign: 5, kenhojo: 3 }, pins: {} },
      /format/,
    ],
    [
      'tries out of range',
      { format: STATE_FORMAT, card: 'test-card', tries: { auth: 9, sign: 5, kenhojo: 3 }, pins: {} },
      /tries\.auth/,
    ],
    [
      'a missing counter',
      { format: STATE_FORMAT, card: 'test-card', tries: { auth: 3, sign: 5 }, pins: {} },
      /tries\.kenhojo/,
    ],
    [
      'an unknown PIN',
      { format: STATE_FORMAT, card: 'test-card', tries: { auth: 3, sign: 5, kenhojo: 3 }, pins: { x: '1' } },
      /pins\.x/,
    ],
    [
      'another card',
      { format: STATE_FORMAT, card: 'resident-02', tries: { auth: 3, sign: 5, kenhojo: 3 }, pins: {} },
      /belongs to card "resident-02"/,
    ],
    ['a JSON array', [], /not a JSON object/],
  ])('rejects a state file with %s', (_name, content, message) => {
    writeFileSync(statePath, JSON.stringify(content));
    expect(() => cardWithState()).toThrow(message);
  });
});
