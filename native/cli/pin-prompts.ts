import type { PinKind } from '../apdu/errors.ts';

/** How the CLIs ask for each PIN (also `myna sign`, electron/main/cli). */
export const PIN_PROMPT: Record<PinKind, string> = {
  auth: '利用者証明用暗証番号（数字4桁） / auth PIN (4 digits)',
  sign: '署名用パスワード（英数字6〜16文字） / signature password (6–16 letters and digits)',
  kenhojo: '券面事項入力補助用暗証番号（数字4桁） / kenhojo PIN (4 digits)',
};
