/**
 * Check digits of the two public numbers the 子育てワンストップ data carries.
 *
 * - 全国地方公共団体コード (JIS X 0401 + X 0402, 総務省): 2 digits prefecture (01–47), 3 digits
 *   municipality, 1 check digit = (11 − Σ(d_i × (6,5,4,3,2)) mod 11) mod 10 over the first five
 *   digits (remainder 0 → 1, remainder 1 → 0).
 * - 個人番号 (My Number): 11 digits + 検査用数字 (番号法施行規則 第5条): with P_n the n-th digit from
 *   the right of the 11 and Q_n = n + 1 (n ≤ 6) or n − 5 (n ≥ 7), r = Σ P_n·Q_n mod 11 and the
 *   check digit is 0 when r ≤ 1, else 11 − r.
 *
 * The municipality code rule is portal/verify's: one implementation within the portal (only
 * the app's signer keeps its own, so that signer and verifier check each other).
 */

export { isValidMunicipalityCode, municipalityCheckDigit } from '../verify/municipality-code.ts';

/** The 検査用数字 of a My Number from its first 11 digits. */
export function myNumberCheckDigit(first11: string): number {
  if (!/^[0-9]{11}$/.test(first11)) throw new RangeError('expected 11 ASCII digits');
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = first11.charCodeAt(11 - n) - 0x30;
    sum += p * (n <= 6 ? n + 1 : n - 5);
  }
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

/** 12 ASCII digits whose last digit is the check digit of the first 11. */
export function isValidMyNumber(s: string): boolean {
  return /^[0-9]{12}$/.test(s) && myNumberCheckDigit(s.slice(0, 11)) === s.charCodeAt(11) - 0x30;
}
