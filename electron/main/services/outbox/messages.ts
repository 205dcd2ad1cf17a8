/**
 * What the resident reads about an outbox item (lastError.message), per stable code. These texts
 * are stored in item.json, so they are ours: the portal's free-text `detail` (which may quote a
 * form value) is never stored, only its code and, for unknown codes, its catalogue title.
 */
import type { LocalText } from './types.ts';

const AUTO = { ja: '自動的に再送信します。', en: 'It will be sent again automatically.' };

export const LOCAL_MESSAGES = {
  WAITING_FOR_SIGNER: {
    ja: 'この申請は、いまログインしている方とは別のカードで署名されています。署名したカードでログインすると送信されます。',
    en: 'This application was signed with another resident’s card. It will be sent after a login with the card that signed it.',
  },
  NEEDS_LOGIN: {
    ja: '送信するにはポータルへのログインが必要です。ログインすると自動的に送信します。',
    en: 'Sending needs a portal login. The application is sent automatically once you log in.',
  },
  PORTAL_UNREACHABLE: {
    ja: `ポータルに接続できませんでした。${AUTO.ja}`,
    en: `The portal could not be reached. ${AUTO.en}`,
  },
  PORTAL_TIMEOUT: {
    ja: `ポータルからの応答がありませんでした。${AUTO.ja}（二重に受け付けられることはありません）`,
    en: `The portal did not answer in time. ${AUTO.en} (It cannot be received twice.)`,
  },
  PORTAL_BUSY: {
    ja: `ポータルが混み合っています。時間をおいて${AUTO.ja}`,
    en: `The portal is busy. ${AUTO.en}`,
  },
  PORTAL_ERROR: {
    ja: `ポータルで一時的なエラーが発生しました。${AUTO.ja}`,
    en: `The portal had a temporary error. ${AUTO.en}`,
  },
  PORTAL_UNEXPECTED: {
    ja: `ポータルから想定外の応答がありました。${AUTO.ja}`,
    en: `The portal gave an unexpected answer. ${AUTO.en}`,
  },
  RECEIPT_UNREADABLE: {
    ja: `ポータルの受付票を読み取れませんでした。${AUTO.ja}（同じ申請として扱われます）`,
    en: `The portal's receipt could not be read. ${AUTO.en} (It is recognised as the same application.)`,
  },
  INTERRUPTED: {
    ja: `前回の送信が途中で中断されました。同じ申請として${AUTO.ja}`,
    en: `The previous attempt was interrupted. ${AUTO.en} as the same application.`,
  },
  DELIVERY_FAILED: {
    ja: `送信中にエラーが発生しました。${AUTO.ja}`,
    en: `Sending failed. ${AUTO.en}`,
  },
  OUTBOX_WRITE_FAILED: {
    ja: '送信待ちの申請を保存できませんでした。ディスクの空き容量を確認してください。',
    en: 'The queued application could not be saved. Check the free disk space.',
  },
  PACKAGE_DAMAGED: {
    ja: '保存されていた申請データが破損しているため、送信しませんでした。もう一度申請してください。',
    en: 'The stored application data is damaged, so it was not sent. Please apply again.',
  },
} as const satisfies Record<string, LocalText>;

export type LocalCode = keyof typeof LOCAL_MESSAGES;

/** The portal's refusals we know (portal/service/problem.ts), with what the resident can do. */
const REJECTION_MESSAGES: Record<string, LocalText> = {
  PACKAGE_INVALID: {
    ja: 'ポータルで電子署名の検証に失敗したため、受け付けられませんでした。もう一度署名して申請してください。',
    en: 'The portal could not verify the signature, so it did not accept the application. Sign and apply again.',
  },
  PROCEDURE_NOT_AVAILABLE: {
    ja: 'この市区町村では、この手続のオンライン申請を受け付けていません。',
    en: 'This municipality does not take this procedure online.',
  },
  APPLICATION_FORM_INVALID: {
    ja: '申請内容または添付書類に誤りがあるため、受け付けられませんでした。内容を確認して申請し直してください。',
    en: 'The form or its attachments have errors, so the application was not accepted. Check it and apply again.',
  },
  IDEMPOTENCY_KEY_CONFLICT: {
    ja: 'この申請の識別番号が別の申請に使われていたため、受け付けられませんでした。もう一度申請してください。',
    en: 'This application’s key was already used for a different application, so it was not accepted. Apply again.',
  },
  BODY_TOO_LARGE: {
    ja: '申請データが大きすぎるため、受け付けられませんでした。添付書類を小さくして申請し直してください。',
    en: 'The application is too large for the portal. Make the attachments smaller and apply again.',
  },
};

const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 299)}…` : s);

/** The text for a portal refusal: ours for known codes, else the portal's catalogue title. */
export function rejectionMessage(code: string, title?: unknown, titleJa?: unknown): LocalText {
  const known = REJECTION_MESSAGES[code];
  if (known) return known;
  const en = typeof title === 'string' && title.trim() ? clip(title.trim()) : 'The portal refused the application';
  const ja =
    typeof titleJa === 'string' && titleJa.trim() ? clip(titleJa.trim()) : 'ポータルが申請を受け付けませんでした';
  return { ja: `${ja}（${code}）`, en: `${en} (${code}).` };
}
