/**
 * 全国地方公共団体コード (local government code, JIS X 0401 + 0402): 2 digits prefecture (01–47),
 * 3 digits municipality, 1 check digit. The check digit, as 総務省 defines it: multiply digits
 * 1–5 by 6, 5, 4, 3, 2; divide the sum by 11; subtract the remainder from 11; take the last
 * digit of the result (so remainder 0 → 1, remainder 1 → 0).
 */

/** The check digit for the first five digits, e.g. '13101' → 6. */
export function municipalityCheckDigit(first5: string): number {
  if (!/^\d{5}$/.test(first5)) throw new RangeError('expected 5 digits');
  const weights = [6, 5, 4, 3, 2];
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += Number(first5[i]) * (weights[i] as number);
  return (11 - (sum % 11)) % 10;
}

export type MunicipalityCodeProblem = 'format' | 'prefecture' | 'check-digit';

/** Why a 6-digit code is not valid, or undefined when it is. */
export function municipalityCodeProblem(code: string): MunicipalityCodeProblem | undefined {
  if (!/^\d{6}$/.test(code)) return 'format';
  const pref = Number(code.slice(0, 2));
  if (pref < 1 || pref > 47) return 'prefecture';
  if (municipalityCheckDigit(code.slice(0, 5)) !== Number(code[5])) return 'check-digit';
  return undefined;
}

export function isValidMunicipalityCode(code: string): boolean {
  return municipalityCodeProblem(code) === undefined;
}
