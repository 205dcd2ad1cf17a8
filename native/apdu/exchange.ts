import type { CardChannel } from '../card-transport.ts';
import { type CommandApdu, encodeApdu } from './command.ts';
import { CardError } from './errors.ts';
import { parseResponse, type ResponseApdu, SW, swHex } from './response.ts';

/** Sends one command and splits the answer; transport failures stay typed. */
export async function exchange(ch: CardChannel, cmd: CommandApdu): Promise<ResponseApdu> {
  const bytes = encodeApdu(cmd);
  try {
    return parseResponse(await ch.transmit(bytes));
  } finally {
    // PINs travel inside command data: do not leave a copy in the encoded buffer.
    if (cmd.ins === 0x20 || cmd.ins === 0x24) bytes.fill(0);
  }
}

/**
 * Sends a command that must answer 9000. Known refusals become their typed error; anything
 * else is UNEXPECTED_SW with the status word (never the data).
 */
export async function exchangeOk(ch: CardChannel, cmd: CommandApdu, operation: string): Promise<Uint8Array> {
  const r = await exchange(ch, cmd);
  if (r.sw === SW.OK) return r.data;
  throw errorForSw(r.sw, operation);
}

export function errorForSw(sw: number, operation: string): CardError {
  if (sw === SW.SECURITY_STATUS_NOT_SATISFIED) return new CardError('SECURITY_STATUS', { operation, sw: swHex(sw) });
  return new CardError('UNEXPECTED_SW', { operation, sw: swHex(sw) });
}
