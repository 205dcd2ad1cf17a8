import { describe, expect, it } from 'vitest';
import { type CardSlotState, describeState, diffCardState, SCARD_STATE as S, slotStateFrom } from './card-state.ts';

const ATR = Buffer.from('3BDA13FF8131FB468012392F31C173C601C03B', 'hex');
const ev = (n: number) => n << 16;

describe('slotStateFrom', () => {
  it('reads the values observed from pcscd + vpcd', () => {
    expect(slotStateFrom(0x12, Buffer.alloc(0))).toEqual({ present: false, atr: '', events: 0 });
    expect(slotStateFrom(0x10022, ATR)).toEqual({ present: true, atr: ATR.toString('hex').toUpperCase(), events: 1 });
    expect(slotStateFrom(0x40092, Buffer.alloc(0))).toEqual({ present: false, atr: '', events: 4 });
  });
  it('treats an unplugged reader (UNKNOWN) as no card, whatever else is set', () => {
    expect(slotStateFrom(S.UNKNOWN | S.PRESENT | S.CHANGED, ATR).present).toBe(false);
    expect(slotStateFrom(S.UNAVAILABLE | S.PRESENT, ATR).present).toBe(false);
  });
  it('keeps a mute card present with an empty ATR', () => {
    expect(slotStateFrom(S.PRESENT | S.MUTE, Buffer.alloc(0))).toEqual({ present: true, atr: '', events: 0 });
  });
});

describe('diffCardState', () => {
  const empty = (events = 0): CardSlotState => ({ present: false, atr: '', events });
  const card = (events: number, atr = 'AA'): CardSlotState => ({ present: true, atr, events });

  it('first report: a card already there counts as inserted', () => {
    expect(diffCardState(undefined, card(3))).toEqual([{ type: 'card-inserted', atr: 'AA' }]);
    expect(diffCardState(undefined, empty())).toEqual([]);
  });
  it('insert and remove', () => {
    expect(diffCardState(empty(0), card(1))).toEqual([{ type: 'card-inserted', atr: 'AA' }]);
    expect(diffCardState(card(1), empty(2))).toEqual([{ type: 'card-removed' }]);
  });
  it('ignores changes that are not about presence (EXCLUSIVE/INUSE while we hold the card)', () => {
    const held = slotStateFrom(S.PRESENT | S.EXCLUSIVE | S.INUSE | S.CHANGED | ev(1), ATR);
    const idle = slotStateFrom(S.PRESENT | S.CHANGED | ev(1), ATR);
    expect(diffCardState(idle, held)).toEqual([]);
    expect(diffCardState(held, idle)).toEqual([]);
    expect(diffCardState(empty(2), empty(2))).toEqual([]);
  });
  it('sees a card swapped between two polls (ATR change or event count +2)', () => {
    expect(diffCardState(card(1, 'AA'), card(1, 'BB'))).toEqual([
      { type: 'card-removed' },
      { type: 'card-inserted', atr: 'BB' },
    ]);
    expect(diffCardState(card(1), card(3))).toEqual([{ type: 'card-removed' }, { type: 'card-inserted', atr: 'AA' }]);
    expect(diffCardState(card(0xffff), card(1))).toHaveLength(2); // counter wraps at 16 bits
  });
  it('describes states for humans', () => {
    expect(describeState(0x10022)).toBe('CHANGED|PRESENT events=1');
    expect(describeState(0)).toBe('UNAWARE events=0');
  });
});
