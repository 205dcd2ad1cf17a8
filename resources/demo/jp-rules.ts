/**
 * Small, pure Japanese-administration rules the demo material has to obey: the My Number
 * check digit and the era-prefixed birth date of the JPKI sign certificate (jpki-protocol §7).
 */

/**
 * 検査用数字 of a My Number (個人番号), from the 11 preceding digits.
 * 行政手続における特定の個人を識別するための番号の利用等に関する法律施行規則 (総務省令第85号) 第5条:
 *   Pn = n-th digit counting from the least significant of the 11 digits (n = 1…11),
 *   Qn = n + 1 for 1 ≤ n ≤ 6, n − 5 for 7 ≤ n ≤ 11,
 *   r = Σ Pn·Qn mod 11; check digit = 0 if r ≤ 1, else 11 − r.
 */
export function myNumberCheckDigit(first11: string): number {
  if (!/^[0-9]{11}$/.test(first11)) throw new RangeError('expected 11 digits');
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = first11.charCodeAt(11 - n) - 0x30;
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

/** True for 12 ASCII digits whose last digit is the check digit of the first 11. */
export function isValidMyNumber(s: string): boolean {
  return /^[0-9]{12}$/.test(s) && myNumberCheckDigit(s.slice(0, 11)) === s.charCodeAt(11) - 0x30;
}

/**
 * Era digit used in the JPKI sign certificate's birth-date attribute (1.2.392.200149.8.5.5.4):
 * 1 明治, 2 大正, 3 昭和, 4 平成, 5 令和; 0 when unknown (before 明治 6 / the Gregorian switch).
 * Start days: 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.
 */
export function japaneseEraDigit(yyyymmdd: string): number {
  if (!/^[0-9]{8}$/.test(yyyymmdd)) throw new RangeError('expected YYYYMMDD');
  const d = Number(yyyymmdd);
  if (d >= 20190501) return 5;
  if (d >= 19890108) return 4;
  if (d >= 19261225) return 3;
  if (d >= 19120730) return 2;
  if (d >= 18730101) return 1;
  return 0;
}

/** `EYYYYMMDD`: era digit + Gregorian date, as in the sign certificate (jpki-protocol §7). */
export function jpkiBirthDate(yyyymmdd: string): string {
  return `${japaneseEraDigit(yyyymmdd)}${yyyymmdd}`;
}

/**
 * 代替文字の使用位置: one flag per character (Unicode code point, not UTF-16 unit) of the value,
 * `1` where an alternative character was substituted. The demo data uses none.
 */
export function noAltCharPositions(value: string): string {
  return '0'.repeat([...value].length);
}
