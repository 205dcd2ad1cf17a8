import { CardError } from './errors.ts';

export interface ResponseApdu {
  data: Uint8Array;
  sw: number;
}

export const SW = {
  OK: 0x9000,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6984,
  FILE_NOT_FOUND: 0x6a82,
  WRONG_P1P2: 0x6a86,
  WRONG_LENGTH: 0x6700,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  COMMAND_NOT_ALLOWED_NO_EF: 0x6986,
  WRONG_OFFSET: 0x6b00,
  /** 63Cx: verification failed / tries left = x */
  VERIFY_FAILED_BASE: 0x63c0,
} as const;

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/** Splits a raw R-APDU. A response shorter than a status word is malformed, never a crash. */
export function parseResponse(raw: Uint8Array): ResponseApdu {
  if (raw.length < 2) throw new CardError('MALFORMED_RESPONSE', { operation: 'response shorter than SW1 SW2' });
  const n = raw.length;
  return { data: raw.slice(0, n - 2), sw: ((raw[n - 2] as number) << 8) | (raw[n - 1] as number) };
}

/** 63Cx → x; otherwise undefined. */
export function triesFromSw(sw: number): number | undefined {
  return (sw & 0xfff0) === SW.VERIFY_FAILED_BASE ? sw & 0x0f : undefined;
}
