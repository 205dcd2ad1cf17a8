/**
 * What crosses IPC back to a page: a value or a typed error, never a thrown exception (an
 * Error loses its fields through contextBridge and could carry a stack trace).
 */
export interface LocalisedText {
  ja: string;
  en: string;
}

export interface IpcError {
  /** Stable code: a CardError or SigningError code, or one of IPC_ERROR_CODES. */
  code: string;
  message: LocalisedText;
  details?: Record<string, string | number | boolean | null>;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Codes raised by the IPC layer itself and by main's services outside native/ and signing. */
export const IPC_ERROR_CODES = [
  'FORBIDDEN_SENDER',
  'UNKNOWN_CHANNEL',
  'BAD_REQUEST',
  'BAD_RESPONSE',
  'INTERNAL',
  'CONSENT_CANCELLED',
  'CONSENT_BUSY',
  'CONSENT_TIMEOUT',
  'NOT_AVAILABLE',
  'PORTAL_UNREACHABLE',
  'PORTAL_REFUSED',
  'NOT_FOUND',
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];
