/**
 * Every failure becomes an IpcError: card and signing errors keep their stable codes and
 * their ja/en texts; anything unexpected becomes INTERNAL with a generic text (the original
 * is for main's own log, never for the page).
 */
import type { IpcError, IpcErrorCode, LocalisedText } from '../../ipc/result.ts';

const TEXTS: Record<IpcErrorCode, LocalisedText> = {
  FORBIDDEN_SENDER: {
    ja: 'この画面からは実行できません。',
    en: 'This request is not allowed from this page.',
  },
  UNKNOWN_CHANNEL: { ja: '不明な要求です。', en: 'Unknown request.' },
  BAD_REQUEST: {
    ja: '要求の内容が正しくありません。入力を確認してやり直してください。',
    en: 'The request is malformed. Check the input and try again.',
  },
  BAD_RESPONSE: {
    ja: 'アプリ内部で想定外の応答がありました。アプリを再起動してください。',
    en: 'The app produced an unexpected answer. Restart the app.',
  },
  INTERNAL: {
    ja: '予期しないエラーが発生しました。もう一度お試しください。続く場合はアプリを再起動してください。',
    en: 'Something unexpected went wrong. Try again; if it persists, restart the app.',
  },
  CONSENT_CANCELLED: {
    ja: '操作は取り消されました。カードには何も送られていません。',
    en: 'The operation was cancelled. Nothing was sent to the card.',
  },
  CONSENT_BUSY: {
    ja: '別の確認画面が開いています。その操作を終えてからやり直してください。',
    en: 'Another confirmation window is open. Finish that first, then try again.',
  },
  CONSENT_TIMEOUT: {
    ja: '確認画面が一定時間操作されなかったため閉じました。もう一度やり直してください。',
    en: 'The confirmation window closed after a period without input. Please start again.',
  },
  NOT_AVAILABLE: {
    ja: 'この機能は現在のモードでは使えません。',
    en: 'This function is not available in the current mode.',
  },
  PORTAL_UNREACHABLE: {
    ja: 'ポータルに接続できません。ネットワークを確認してください。申請は送信待ちとして保存されています。',
    en: 'The portal cannot be reached. Check the network; the application is kept in the outbox.',
  },
  PORTAL_REFUSED: {
    ja: 'ポータルが要求を受け付けませんでした。',
    en: 'The portal refused the request.',
  },
  NOT_FOUND: { ja: '対象が見つかりません。', en: 'Not found.' },
};

export class IpcFailure extends Error {
  readonly code: IpcErrorCode;
  readonly details: IpcError['details'];
  readonly text: LocalisedText;
  constructor(code: IpcErrorCode, details?: IpcError['details'], text?: LocalisedText) {
    super(code);
    this.name = 'IpcFailure';
    this.code = code;
    this.details = details;
    this.text = text ?? TEXTS[code];
  }
}

export function ipcError(code: IpcErrorCode, details?: IpcError['details']): IpcError {
  return details ? { code, message: TEXTS[code], details } : { code, message: TEXTS[code] };
}

function plainDetails(d: object): IpcError['details'] {
  const out: NonNullable<IpcError['details']> = {};
  for (const [k, v] of Object.entries(d)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) out[k] = v;
  }
  return out;
}

/**
 * CardError, SigningError, SettingsError and OutboxError share one shape: a stable code, a
 * data-free details object and texts written for residents. Node's own errors also carry a
 * `code` but no such texts, so they stay INTERNAL.
 */
interface TypedError {
  code: string;
  messageJa: string;
  messageEn: string;
  details?: object;
}

function isTypedError(e: unknown): e is TypedError {
  if (!(e instanceof Error)) return false;
  const t = e as Error & Partial<TypedError>;
  return typeof t.code === 'string' && typeof t.messageJa === 'string' && typeof t.messageEn === 'string';
}

export function toIpcError(e: unknown): IpcError {
  if (e instanceof IpcFailure) {
    return e.details ? { code: e.code, message: e.text, details: e.details } : { code: e.code, message: e.text };
  }
  if (isTypedError(e)) {
    return { code: e.code, message: { ja: e.messageJa, en: e.messageEn }, details: plainDetails(e.details ?? {}) };
  }
  return ipcError('INTERNAL');
}
