/**
 * 全国地方公共団体コード (JIS X 0401 + 0402 with a check digit): 2 digits prefecture, 3 digits
 * municipality, 1 check digit. Check digit (総務省「全国地方公共団体コード」検査数字の算出方法):
 * multiply the five digits by 6, 5, 4, 3, 2; take the sum mod 11; the check digit is the last
 * digit of 11 − remainder. E.g. 131016 千代田区 (27 → 5 → 6), 131041 新宿区 (33 → 0 → 11 → 1),
 * 131130 渋谷区 (34 → 1 → 10 → 0).
 */

export function municipalityCheckDigit(first5: string): number {
  if (!/^[0-9]{5}$/.test(first5)) throw new RangeError('expected 5 digits');
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += (first5.charCodeAt(i) - 0x30) * (6 - i);
  return (11 - (sum % 11)) % 10;
}

/** Why a code is not a valid 全国地方公共団体コード, or undefined when it is. */
export function municipalityCodeProblem(code: string): string | undefined {
  if (!/^[0-9]{6}$/.test(code)) return '6桁の数字 / 6 ASCII digits';
  const pref = Number(code.slice(0, 2));
  if (pref < 1 || pref > 47) return '都道府県コード01〜47 / prefecture 01–47';
  if (municipalityCheckDigit(code.slice(0, 5)) !== code.charCodeAt(5) - 0x30) return '検査数字 / check digit';
  return undefined;
}
