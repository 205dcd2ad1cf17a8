/**
 * PC/SC failures → typed CardErrors (DESIGN §5). node-pcsclite reports every failure as a
 * plain Error whose message is `<SCardFunction> error: <pcsc_stringify_error text>(0x<code>)`
 * (src/common.h `error_msg`; on Windows the text comes from FormatMessage, same shape), e.g.
 * `SCardConnect error: Sharing violation.(0x8010000b)`. A few errors come from its JS layer
 * without a code (`Card Reader not connected`).
 */
import { CardError, type CardErrorCode } from '../apdu/errors.ts';

/** PC/SC return codes we distinguish (winscard / pcsclite.h; identical on Windows). */
export const SCARD = {
  E_CANCELLED: 0x80100002,
  E_INVALID_HANDLE: 0x80100003,
  E_UNKNOWN_READER: 0x80100009,
  E_TIMEOUT: 0x8010000a,
  E_SHARING_VIOLATION: 0x8010000b,
  E_NO_SMARTCARD: 0x8010000c,
  E_UNKNOWN_CARD: 0x8010000d,
  E_PROTO_MISMATCH: 0x8010000f,
  E_NOT_READY: 0x80100010,
  F_COMM_ERROR: 0x80100013,
  E_NOT_TRANSACTED: 0x80100016,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  W_UNSUPPORTED_CARD: 0x80100065,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
} as const;

/** What we were doing when PC/SC failed; the same code can mean different things. */
export type PcscOperation = 'context' | 'connect' | 'transmit' | 'disconnect';

export interface PcscErrorContext {
  operation: PcscOperation;
  reader?: string;
}

export interface ParsedPcscError {
  /** e.g. "SCardConnect", when the message names one. */
  method?: string;
  /** The PC/SC return code as an unsigned 32-bit number, when the message carries one. */
  code?: number;
}

export function parsePcscError(err: unknown): ParsedPcscError {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const out: ParsedPcscError = {};
  const m = /^(SCard\w+) error:/.exec(message);
  if (m) out.method = m[1];
  const c = /\(0x([0-9a-fA-F]{1,8})\)\s*$/.exec(message);
  if (c) out.code = Number.parseInt(c[1]!, 16) >>> 0;
  return out;
}

function hex32(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** The code for a PC/SC return value in a given operation, or undefined when we cannot tell. */
function codeFor(code: number | undefined, op: PcscOperation): CardErrorCode | undefined {
  const duringIo = op === 'transmit' || op === 'disconnect';
  switch (code) {
    case SCARD.E_NO_SERVICE:
    case SCARD.E_SERVICE_STOPPED:
    case SCARD.F_COMM_ERROR: // "RPC transport error": what every open context reports when pcscd dies
      return 'SERVICE_DOWN';
    case SCARD.E_INVALID_HANDLE:
      return op === 'context' ? 'SERVICE_DOWN' : 'CARD_REMOVED';
    case SCARD.E_UNKNOWN_READER:
    case SCARD.E_READER_UNAVAILABLE:
    case SCARD.E_NO_READERS_AVAILABLE:
      // The reader vanishing in the middle of an operation takes the card with it.
      return duringIo ? 'CARD_REMOVED' : 'NO_READER';
    case SCARD.E_SHARING_VIOLATION:
      return 'READER_BUSY';
    case SCARD.E_NO_SMARTCARD:
    case SCARD.W_REMOVED_CARD:
    case SCARD.W_UNPOWERED_CARD:
      return duringIo ? 'CARD_REMOVED' : 'NO_CARD';
    case SCARD.E_NOT_TRANSACTED:
      // Observed (pcscd 1.9.9 + vpcd): the first SCardTransmit after a card was pulled, before
      // pcscd's presence poll noticed; later calls give W_REMOVED_CARD.
      return duringIo ? 'CARD_REMOVED' : 'NO_CARD';
    case SCARD.W_RESET_CARD:
      // Someone reset the card under us: its state (selected AP, verified PIN) is gone, so the
      // operation must start again, exactly as after a removal.
      return 'CARD_REMOVED';
    case SCARD.E_TIMEOUT:
    case SCARD.W_UNRESPONSIVE_CARD: // mute card (e.g. inserted the wrong way): "re-insert it"
    case SCARD.E_NOT_READY:
      return 'TIMEOUT';
    case SCARD.E_PROTO_MISMATCH: // not a T=1 card: never a My Number Card (jpki-protocol §4.1)
    case SCARD.W_UNSUPPORTED_CARD:
    case SCARD.E_UNKNOWN_CARD:
      return 'NOT_MYNUMBER_CARD';
    case SCARD.E_CANCELLED:
      return op === 'context' ? 'SERVICE_DOWN' : 'CARD_REMOVED';
    default:
      return undefined;
  }
}

const FALLBACK: Record<PcscOperation, CardErrorCode> = {
  context: 'SERVICE_DOWN',
  connect: 'NO_CARD',
  transmit: 'CARD_REMOVED',
  disconnect: 'CARD_REMOVED',
};

/**
 * Maps whatever node-pcsclite threw or passed to a callback to a CardError. CardErrors pass
 * through unchanged. The original error is kept as `cause` (never shown to residents); the
 * PC/SC function and code go into `details.operation` for support staff.
 */
export function mapPcscError(err: unknown, ctx: PcscErrorContext): CardError {
  if (err instanceof CardError) return err;
  const parsed = parsePcscError(err);
  const code = codeFor(parsed.code, ctx.operation) ?? FALLBACK[ctx.operation];
  const where = parsed.method ?? ctx.operation;
  const operation = parsed.code === undefined ? where : `${where} ${hex32(parsed.code)}`;
  const details: { reader?: string; operation: string } = { operation };
  if (ctx.reader !== undefined) details.reader = ctx.reader;
  return new CardError(code, details, { cause: err });
}
