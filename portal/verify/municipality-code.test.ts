import { describe, expect, it } from 'vitest';
import { isValidMunicipalityCode, municipalityCheckDigit, municipalityCodeProblem } from './municipality-code.ts';

describe('全国地方公共団体コード check digit', () => {
  it('matches published codes', () => {
    // 東京都, 千代田区, 札幌市, 札幌市中央区 (remainder 0 → 1), 大阪市, 那覇市, 京都市東山区
    for (const code of ['130001', '131016', '011002', '011011', '271004', '472018', '261033']) {
      expect(isValidMunicipalityCode(code), code).toBe(true);
    }
  });

  it('computes the digit, including remainders 0 and 1', () => {
    expect(municipalityCheckDigit('13101')).toBe(6);
    expect(municipalityCheckDigit('01101')).toBe(1); // sum 11 → remainder 0 → 11 → 1
    expect(municipalityCheckDigit('13000')).toBe(1); // sum 21 → remainder 10 → 1
    // a prefix whose remainder is 1 → 10 → 0
    const r1 = ['00001', '10000', '20003'].find((p) => {
      const s = [6, 5, 4, 3, 2].reduce((acc, w, i) => acc + w * Number(p[i]), 0);
      return s % 11 === 1;
    });
    if (r1) expect(municipalityCheckDigit(r1)).toBe(0);
    expect(() => municipalityCheckDigit('1234')).toThrow(RangeError);
  });

  it('explains what is wrong', () => {
    expect(municipalityCodeProblem('131017')).toBe('check-digit');
    expect(municipalityCodeProblem('13101')).toBe('format');
    expect(municipalityCodeProblem('13101６')).toBe('format');
    expect(municipalityCodeProblem('481009')).toBe('prefecture');
    expect(municipalityCodeProblem('000000')).toBe('prefecture');
  });
});
