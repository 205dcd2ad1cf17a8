/**
 * PIN format rules (jpki-protocol §2.3, §3.1). A PIN that breaks them is refused before it
 * reaches the card: sending it would burn a try for nothing.
 */
import { CardError, type PinKind } from '../apdu/errors.ts';

export const PIN_MAX_TRIES: Record<PinKind, number> = { auth: 3, sign: 5, kenhojo: 3 };

const FOUR_DIGITS = /^[0-9]{4}$/;
const SIGN_PASSWORD = /^[A-Z0-9]{6,16}$/;

/**
 * Turns what the resident typed into the bytes the card expects, in a Buffer the caller must
 * zero-fill after the VERIFY. Full-width input from a Japanese IME (１２３４, ａｂｃ) is folded
 * with NFKC, and the sign password is upper-cased as other JPKI clients do (§2.3).
 */
export function encodePin(kind: PinKind, typed: string): Buffer {
  const folded = typed.normalize('NFKC');
  if (kind === 'sign') {
    const up = folded.toUpperCase();
    if (up.length < 6 || up.length > 16) throw formatError(kind, '6〜16文字 / 6–16 characters');
    if (!SIGN_PASSWORD.test(up)) throw formatError(kind, '英字と数字のみ / letters A–Z and digits only');
    if (!/[A-Z]/.test(up) || !/[0-9]/.test(up)) {
      throw formatError(kind, '英字と数字を各1文字以上 / at least one letter and one digit');
    }
    return Buffer.from(up, 'ascii');
  }
  if (!FOUR_DIGITS.test(folded)) throw formatError(kind, '数字4桁 / exactly 4 digits');
  return Buffer.from(folded, 'ascii');
}

function formatError(pin: PinKind, rule: string): CardError {
  return new CardError('PIN_FORMAT', { pin, rule });
}

export type PinState = 'ok' | 'one-left' | 'blocked';

export interface PinStatus {
  pin: PinKind;
  remaining: number;
  max: number;
  state: PinState;
}

export function pinStatusOf(pin: PinKind, remaining: number): PinStatus {
  const state: PinState = remaining === 0 ? 'blocked' : remaining === 1 ? 'one-left' : 'ok';
  return { pin, remaining, max: PIN_MAX_TRIES[pin], state };
}
