import type { CardErrorCode } from '../apdu/errors.ts';

/** Exit codes of `myna`, documented in --help. Scripts can tell "fix your setup" from "fix your PIN". */
export const EXIT = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  ENVIRONMENT: 3,
  CARD: 4,
  PIN: 5,
  PIN_BLOCKED: 6,
} as const;

export function exitCodeFor(code: CardErrorCode): number {
  switch (code) {
    case 'SERVICE_DOWN':
    case 'NO_READER':
    case 'NO_CARD':
    case 'READER_BUSY':
      return EXIT.ENVIRONMENT;
    case 'PIN_FORMAT':
    case 'PIN_INCORRECT':
      return EXIT.PIN;
    case 'PIN_BLOCKED':
      return EXIT.PIN_BLOCKED;
    default:
      return EXIT.CARD;
  }
}
