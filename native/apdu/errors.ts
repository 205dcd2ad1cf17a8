/**
 * Typed card errors with stable codes (DESIGN §5). Every code carries a Japanese and an
 * English message that tells the resident what to do next; nothing here ever includes a PIN,
 * a My Number or card data.
 */
export type CardErrorCode =
  | 'NO_READER'
  | 'NO_CARD'
  | 'CARD_REMOVED'
  | 'NOT_MYNUMBER_CARD'
  | 'PIN_FORMAT'
  | 'PIN_INCORRECT'
  | 'PIN_BLOCKED'
  | 'SECURITY_STATUS'
  | 'SERVICE_DOWN'
  | 'TIMEOUT'
  | 'UNEXPECTED_SW'
  | 'MALFORMED_RESPONSE'
  | 'READER_BUSY';

export interface CardErrorDetails {
  /** Remaining PIN tries (PIN_INCORRECT, PIN_BLOCKED = 0). */
  remaining?: number;
  /** Which PIN the error concerns. */
  pin?: PinKind;
  /** Status word as 4 upper-case hex digits (UNEXPECTED_SW). */
  sw?: string;
  /** Reader name, when one is involved. */
  reader?: string;
  /** A short, data-free description of what was being done. */
  operation?: string;
  /** For PIN_FORMAT: which rule was broken (never the PIN itself). */
  rule?: string;
}

export type PinKind = 'auth' | 'sign' | 'kenhojo';

interface Texts {
  ja: string;
  en: string;
}

const PIN_NAMES: Record<PinKind, Texts> = {
  auth: { ja: '利用者証明用電子証明書の暗証番号（数字4桁）', en: 'user-authentication PIN (4 digits)' },
  sign: {
    ja: '署名用電子証明書のパスワード（英数字6〜16文字）',
    en: 'digital-signature password (6–16 letters and digits)',
  },
  kenhojo: { ja: '券面事項入力補助用の暗証番号（数字4桁）', en: 'card-info input-support PIN (4 digits)' },
};

const BLOCKED_REMEDY: Texts = {
  ja: 'お住まいの市区町村の窓口で初期化（ロック解除）の手続きをしてください。署名用パスワードは、利用者証明用暗証番号が分かればコンビニのキオスク端末でも初期化できます。',
  en: 'Ask your municipal office to reset it. The signature password can also be reset at a convenience-store kiosk if you know your 4-digit user-authentication PIN.',
};

function pinName(pin: PinKind | undefined): Texts {
  return pin ? PIN_NAMES[pin] : { ja: '暗証番号', en: 'PIN' };
}

export function messagesFor(code: CardErrorCode, d: CardErrorDetails = {}): Texts {
  const p = pinName(d.pin);
  switch (code) {
    case 'NO_READER':
      return {
        ja: 'ICカードリーダが見つかりません。リーダをパソコンに接続し、ドライバが入っていることを確認してください。',
        en: 'No smart-card reader found. Connect a reader and make sure its driver is installed.',
      };
    case 'NO_CARD':
      return {
        ja: 'カードが挿入されていません。マイナンバーカードをリーダに置くか、差し込んでください。',
        en: 'No card in the reader. Insert or place your My Number Card on the reader.',
      };
    case 'CARD_REMOVED':
      return {
        ja: '処理中にカードが取り外されました。カードをリーダに戻し、もう一度操作してください。暗証番号の確認中だった場合は、先に残り回数を確認してください。',
        en: 'The card was removed during the operation. Put it back and try again; if it happened while the PIN was being checked, look at the tries left first.',
      };
    case 'NOT_MYNUMBER_CARD':
      return {
        ja: 'このカードはマイナンバーカードとして認識できません。マイナンバーカードを挿入してください。',
        en: 'This card is not recognised as a My Number Card. Insert your My Number Card.',
      };
    case 'PIN_FORMAT':
      return {
        ja: `${p.ja}の形式が正しくありません（${d.rule ?? '形式エラー'}）。カードには送信していないため、試行回数は減っていません。`,
        en: `The ${p.en} has the wrong format (${d.rule ?? 'format error'}). It was not sent to the card, so no try was spent.`,
      };
    case 'PIN_INCORRECT': {
      const r = d.remaining ?? 0;
      if (r === 1) {
        return {
          ja: `${p.ja}が違います。残り1回です。次に間違えるとロックされ、市区町村の窓口での手続きが必要になります。`,
          en: `Wrong ${p.en}. ONE try left: one more mistake locks it and you will need to visit your municipal office.`,
        };
      }
      return {
        ja: `${p.ja}が違います。残り${r}回です。`,
        en: `Wrong ${p.en}. ${r} tries left.`,
      };
    }
    case 'PIN_BLOCKED':
      return {
        ja: `${p.ja}はロックされています。カードには何も送信していません。${BLOCKED_REMEDY.ja}`,
        en: `The ${p.en} is locked. Nothing was sent to the card. ${BLOCKED_REMEDY.en}`,
      };
    case 'SECURITY_STATUS':
      return {
        ja: 'カードがこの操作を許可しませんでした（暗証番号の確認が必要です）。もう一度操作してください。',
        en: 'The card refused the operation because the PIN was not verified. Try the operation again.',
      };
    case 'SERVICE_DOWN':
      return {
        ja: 'スマートカードサービス（PC/SC）が動いていません。Linux では pcscd を起動し、Windows では「Smart Card」サービスを開始してください。',
        en: 'The smart-card service (PC/SC) is not running. On Linux start pcscd; on Windows start the "Smart Card" service.',
      };
    case 'TIMEOUT':
      return {
        ja: 'カードが時間内に応答しませんでした。カードを置き直して、もう一度操作してください。',
        en: 'The card did not answer in time. Re-insert the card and try again.',
      };
    case 'UNEXPECTED_SW':
      return {
        ja: `カードから予期しない応答（${d.sw ?? '不明'}）がありました。カードを置き直してもう一度操作し、続く場合はサポートに連絡してください。`,
        en: `The card answered unexpectedly (${d.sw ?? 'unknown'}). Re-insert the card and try again; contact support if it persists.`,
      };
    case 'MALFORMED_RESPONSE':
      return {
        ja: 'カードからの応答が壊れています。カードを置き直してもう一度操作してください。続く場合はカードの交換が必要かもしれません。',
        en: 'The card sent a malformed response. Re-insert the card and try again; if it persists the card may need replacing.',
      };
    case 'READER_BUSY':
      return {
        ja: '別のアプリがカードリーダを使用中です。他のアプリを終了してから、もう一度操作してください。',
        en: 'Another program is using the card reader. Close it and try again.',
      };
  }
}

export class CardError extends Error {
  readonly code: CardErrorCode;
  readonly details: CardErrorDetails;
  readonly messageJa: string;
  readonly messageEn: string;

  constructor(code: CardErrorCode, details: CardErrorDetails = {}, options?: { cause?: unknown }) {
    const m = messagesFor(code, details);
    super(m.en, options);
    this.name = 'CardError';
    this.code = code;
    this.details = details;
    this.messageJa = m.ja;
    this.messageEn = m.en;
  }

  /** The shape that crosses IPC and the CLI's --json output: no stack, no card data. */
  toJSON(): { code: CardErrorCode; message: string; messageJa: string; details: CardErrorDetails } {
    return { code: this.code, message: this.messageEn, messageJa: this.messageJa, details: this.details };
  }
}

export function isCardError(e: unknown, code?: CardErrorCode): e is CardError {
  return e instanceof CardError && (code === undefined || e.code === code);
}
