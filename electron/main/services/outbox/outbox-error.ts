/** Typed outbox errors, shaped like CardError / SigningError / SettingsError. */

export type OutboxErrorCode =
  | 'OUTBOX_NOT_FOUND'
  /** retry() of an item that was delivered or rejected. */
  | 'OUTBOX_NOT_RETRYABLE'
  | 'OUTBOX_CLOSED'
  | 'OUTBOX_INPUT_INVALID';

export interface OutboxErrorDetails {
  id?: string;
  state?: string;
  field?: string;
}

const TEXTS: Record<OutboxErrorCode, { ja: string; en: string }> = {
  OUTBOX_NOT_FOUND: { ja: '送信待ちの申請が見つかりません。', en: 'No such queued application.' },
  OUTBOX_NOT_RETRYABLE: {
    ja: 'この申請は送信済みか、ポータルに受け付けられなかったため、再送信できません。',
    en: 'This application was already delivered or was refused by the portal; it cannot be sent again.',
  },
  OUTBOX_CLOSED: { ja: 'アプリを終了しています。', en: 'The app is shutting down.' },
  OUTBOX_INPUT_INVALID: {
    ja: '申請データを送信待ちにできません（内部エラー）。',
    en: 'The application cannot be queued (internal error).',
  },
};

export class OutboxError extends Error {
  readonly code: OutboxErrorCode;
  readonly details: OutboxErrorDetails;
  readonly messageJa: string;
  readonly messageEn: string;

  constructor(code: OutboxErrorCode, details: OutboxErrorDetails = {}) {
    super(TEXTS[code].en);
    this.name = 'OutboxError';
    this.code = code;
    this.details = details;
    this.messageJa = TEXTS[code].ja;
    this.messageEn = TEXTS[code].en;
  }

  toJSON(): { code: OutboxErrorCode; message: string; messageJa: string; details: OutboxErrorDetails } {
    return { code: this.code, message: this.messageEn, messageJa: this.messageJa, details: this.details };
  }
}

export function isOutboxError(e: unknown, code?: OutboxErrorCode): e is OutboxError {
  return e instanceof OutboxError && (code === undefined || e.code === code);
}
