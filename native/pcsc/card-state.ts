/**
 * Turning PC/SC reader states into card-inserted / card-removed (DESIGN §4 "Card presence").
 *
 * node-pcsclite emits a reader 'status' event with the raw `dwEventState` of
 * SCardGetStatusChange whenever it differs from the previous one (src/cardreader.cpp
 * HandlerFunction), plus the ATR (an empty Buffer when there is none). The raw state changes
 * for reasons that are not card presence (EXCLUSIVE/INUSE while someone is connected, the
 * CHANGED bit itself), so we reduce it to a small slot state and diff that.
 *
 * Observed values (pcscd 1.9.9, vpcd): `0x00012` EMPTY|CHANGED, `0x10022` PRESENT|CHANGED with
 * event count 1, `0x40092` EMPTY|EXCLUSIVE|CHANGED (card pulled while we held it exclusively).
 */

export const SCARD_STATE = {
  UNAWARE: 0x0000,
  IGNORE: 0x0001,
  CHANGED: 0x0002,
  UNKNOWN: 0x0004,
  UNAVAILABLE: 0x0008,
  EMPTY: 0x0010,
  PRESENT: 0x0020,
  ATRMATCH: 0x0040,
  EXCLUSIVE: 0x0080,
  INUSE: 0x0100,
  MUTE: 0x0200,
} as const;

export interface CardSlotState {
  present: boolean;
  /** Upper-case hex, '' when no card (or a mute card). */
  atr: string;
  /**
   * pcsc-lite's card event counter (upper 16 bits of dwEventState): +1 on every insertion and
   * every removal. A jump of 2 or more between two "present" states means the card was swapped
   * between two polls.
   */
  events: number;
}

export function hexAtr(atr: Uint8Array | undefined): string {
  return atr && atr.length > 0 ? Buffer.from(atr).toString('hex').toUpperCase() : '';
}

export function slotStateFrom(state: number, atr?: Uint8Array): CardSlotState {
  const gone = SCARD_STATE.UNKNOWN | SCARD_STATE.UNAVAILABLE | SCARD_STATE.EMPTY;
  const present = (state & SCARD_STATE.PRESENT) !== 0 && (state & gone) === 0;
  return { present, atr: present ? hexAtr(atr) : '', events: (state >>> 16) & 0xffff };
}

export type CardChange = { type: 'card-inserted'; atr: string } | { type: 'card-removed' };

/**
 * What happened between two slot states. `prev` undefined = first report for this reader (in
 * this context): a card already there counts as inserted.
 */
export function diffCardState(prev: CardSlotState | undefined, next: CardSlotState): CardChange[] {
  if (!prev?.present) return next.present ? [{ type: 'card-inserted', atr: next.atr }] : [];
  if (!next.present) return [{ type: 'card-removed' }];
  const jumped = ((next.events - prev.events) & 0xffff) >= 2;
  if (next.atr !== prev.atr || jumped) return [{ type: 'card-removed' }, { type: 'card-inserted', atr: next.atr }];
  return [];
}

/** Names of the bits set, for logs and test messages. */
export function describeState(state: number): string {
  const names = Object.entries(SCARD_STATE)
    .filter(([, bit]) => bit !== 0 && (state & bit) !== 0)
    .map(([name]) => name);
  return `${names.join('|') || 'UNAWARE'} events=${(state >>> 16) & 0xffff}`;
}
