import { describe, expect, it } from 'vitest';
import { MUNICIPALITY_LIST, SERVICES } from './catalog.ts';
import { isValidMunicipalityCode, isValidMyNumber, municipalityCheckDigit, myNumberCheckDigit } from './codes.ts';

describe('全国地方公共団体コード check digit', () => {
  it('every catalog municipality has a valid code, and every service points at one', () => {
    expect(MUNICIPALITY_LIST.length).toBeGreaterThanOrEqual(4);
    for (const m of MUNICIPALITY_LIST) {
      expect(isValidMunicipalityCode(m.code), m.code).toBe(true);
      expect(municipalityCheckDigit(m.code.slice(0, 5)), m.name).toBe(Number(m.code[5]));
    }
    const codes = new Set(MUNICIPALITY_LIST.map((m) => m.code));
    expect(codes.size).toBe(MUNICIPALITY_LIST.length);
    for (const s of SERVICES) expect(codes.has(s.municipalityCode), s.id).toBe(true);
  });

  it('matches published codes, including remainders 0 and 1', () => {
    // 千代田区, 渋谷区, 大阪市, 札幌市, 横浜市, 名古屋市, 福岡市, 東京都, 札幌市中央区 (Σ = 11 → 1)
    for (const c of ['131016', '131130', '271004', '011002', '141003', '231002', '401307', '130001', '011011']) {
      expect(isValidMunicipalityCode(c), c).toBe(true);
    }
    expect(municipalityCheckDigit('13101')).toBe(6); // Σ = 6+15+4+0+2 = 27, 27 mod 11 = 5 → 6
    expect(municipalityCheckDigit('01101')).toBe(1); // Σ = 11, remainder 0 → 11 → 1
    expect(municipalityCheckDigit('13113')).toBe(0); // Σ = 34, remainder 1 → 10 → 0
  });

  it('refuses wrong digits, wrong lengths, non-ASCII digits and impossible prefectures', () => {
    for (const c of ['131017', '13101', '1310160', '13101６', '481009', '000000', '']) {
      expect(isValidMunicipalityCode(c), c).toBe(false);
    }
    expect(() => municipalityCheckDigit('1310')).toThrow(RangeError);
  });
});

describe('個人番号 check digit', () => {
  it('validates the demo card numbers and catches a changed digit', () => {
    for (const n of ['333916718720', '592104264012', '561782920075']) {
      expect(isValidMyNumber(n), n).toBe(true);
      const bad = n.slice(0, 11) + String((Number(n[11]) + 1) % 10);
      expect(isValidMyNumber(bad), bad).toBe(false);
    }
    expect(myNumberCheckDigit('00000000000')).toBe(0);
    expect(myNumberCheckDigit('00000000006')).toBe(0); // Σ = 12, r = 1 → 0
    expect(myNumberCheckDigit('00000000001')).toBe(9); // Σ = 2 → 11 − 2
    expect(isValidMyNumber('33391671872')).toBe(false);
    expect(() => myNumberCheckDigit('1234')).toThrow(RangeError);
  });
});
