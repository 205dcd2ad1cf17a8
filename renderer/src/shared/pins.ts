/**
 * The card's PINs as people know them (product-anchors §4.2), and their format rules as
 * native/pin/pin-rules.ts enforces them in main. The page checks first so that a mistyped PIN
 * is caught before it could cost a try; main checks again and is the authority.
 */
import type { PinKind } from '../../../electron/ipc/contract.ts';
import type { Text } from './i18n.tsx';

export const PIN_NAMES: Record<PinKind, Text> = {
  auth: { ja: '利用者証明用電子証明書の暗証番号', en: 'User-authentication PIN (利用者証明用)' },
  sign: { ja: '署名用電子証明書のパスワード', en: 'Digital-signature password (署名用)' },
  kenhojo: { ja: '券面事項入力補助用の暗証番号', en: 'Card-info input-support PIN (券面事項入力補助用)' },
};

export const PIN_RULES: Record<PinKind, Text> = {
  auth: { ja: '数字4桁', en: '4 digits' },
  kenhojo: { ja: '数字4桁', en: '4 digits' },
  sign: {
    ja: '英大文字と数字で6〜16文字（英字・数字をそれぞれ1文字以上）',
    en: '6–16 capital letters and digits (at least one of each)',
  },
};

/** Recovery when a PIN is blocked (product-anchors §4.3). */
export const BLOCKED_RECOVERY: Text = {
  ja: 'お住まいの市区町村の窓口で、暗証番号の初期化・再設定の手続きをしてください（マイナンバーカードと本人確認書類が必要です）。署名用・利用者証明用は、コンビニのキオスク端末で再設定できる場合もあります。',
  en: 'Ask your municipal office to reset the PIN (初期化・再設定; bring the card and ID). The signature and authentication PINs can in some cases be reset at a convenience-store kiosk.',
};

export const isDigitsPin = (kind: PinKind) => kind !== 'sign';
export const maxLength = (kind: PinKind) => (kind === 'sign' ? 16 : 4);

/** What the resident typed, as main will read it: NFKC-folded, the password upper-cased. */
export function normalisePin(kind: PinKind, typed: string): string {
  const folded = typed.normalize('NFKC');
  return kind === 'sign' ? folded.toUpperCase().replace(/[^A-Z0-9]/g, '') : folded.replace(/[^0-9]/g, '');
}

export function pinFormatOk(kind: PinKind, pin: string): boolean {
  if (kind !== 'sign') return /^[0-9]{4}$/.test(pin);
  return /^[A-Z0-9]{6,16}$/.test(pin) && /[A-Z]/.test(pin) && /[0-9]/.test(pin);
}
