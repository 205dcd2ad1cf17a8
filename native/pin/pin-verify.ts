/**
 * The PIN exchanges shared by both APs (jpki-protocol §2.3): tries left without spending one,
 * and a single VERIFY. Neither retries: a wrong PIN is reported, never re-sent.
 */
import { verify } from '../apdu/commands.ts';
import { CardError, type PinKind } from '../apdu/errors.ts';
import { errorForSw, exchange } from '../apdu/exchange.ts';
import { SW, triesFromSw } from '../apdu/response.ts';
import type { CardChannel } from '../card-transport.ts';
import { PIN_MAX_TRIES, type PinStatus, pinStatusOf } from './pin-rules.ts';

/** Empty VERIFY on the selected PIN EF → 63Cx. A blocked PIN may answer 6984 or 63C0. */
export async function readTriesLeft(ch: CardChannel, pin: PinKind): Promise<PinStatus> {
  const r = await exchange(ch, verify());
  if (r.sw === SW.AUTH_METHOD_BLOCKED) return pinStatusOf(pin, 0);
  const tries = triesFromSw(r.sw);
  // 9000 to an empty VERIFY would mean "already verified": impossible right after SELECT AP.
  if (tries === undefined || tries > PIN_MAX_TRIES[pin]) throw errorForSw(r.sw, `tries left (${pin})`);
  return pinStatusOf(pin, tries);
}

/**
 * One VERIFY with the encoded PIN, which is zero-filled before this returns whatever happens.
 * The caller must have refused a blocked PIN before calling (see readTriesLeft).
 */
export async function verifyPin(ch: CardChannel, pin: PinKind, encoded: Buffer): Promise<void> {
  let sw: number;
  try {
    sw = (await exchange(ch, verify(encoded))).sw;
  } finally {
    encoded.fill(0);
  }
  if (sw === SW.OK) return;
  if (sw === SW.AUTH_METHOD_BLOCKED) throw new CardError('PIN_BLOCKED', { pin, remaining: 0 });
  const tries = triesFromSw(sw);
  if (tries === 0) throw new CardError('PIN_BLOCKED', { pin, remaining: 0 });
  if (tries !== undefined) throw new CardError('PIN_INCORRECT', { pin, remaining: tries });
  throw errorForSw(sw, `verify (${pin})`);
}
