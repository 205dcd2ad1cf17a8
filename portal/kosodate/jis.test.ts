import { describe, expect, it } from 'vitest';
import { JIS_VARIANT_SUGGESTIONS, jisCheckMode, nonJisX0208Characters } from './jis.ts';

describe('JIS X 0208 check', () => {
  it('runs in exact mode on this Node (full ICU)', () => {
    expect(jisCheckMode()).toBe('exact');
  });

  it('accepts exactly the 6,879 characters of JIS X 0208 (+ 7 JIS-style mappings) beyond ASCII/JIS X 0201', () => {
    let accepted = 0;
    for (let cp = 0x80; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (cp >= 0xff61 && cp <= 0xff9f) continue; // half-width katakana: always accepted
      const ch = String.fromCodePoint(cp);
      if (ch.normalize('NFC') !== ch) continue; // checked in NFC
      if (nonJisX0208Characters(ch).length === 0) accepted++;
    }
    // U+212B (Å, ANGSTROM SIGN) is not NFC-stable: counted once as U+00C5
    expect(accepted).toBe(6879 + 7);
  });

  it('flags what level 1/2 systems refuse, in order, once each', () => {
    expect(nonJisX0208Characters('髙﨑　𠮷野 髙')).toEqual(['髙', '﨑', '𠮷']);
    expect(nonJisX0208Characters('①㈱ゔ')).toEqual(['①', '㈱', 'ゔ']); // NEC specials, hiragana vu
    expect(nonJisX0208Characters('亜腕弌熙 ｱｲｳ ABC〜～−‖')).toEqual([]); // first/last of levels 1 and 2
    expect(nonJisX0208Characters('か\u3099')).toEqual([]); // NFD が
    expect(nonJisX0208Characters('\u212B\u00C5')).toEqual([]); // Å both ways
    expect(nonJisX0208Characters('a\u0000b')).toEqual(['\u0000']);
  });

  it('has a heuristic for runtimes without a Shift_JIS decoder', () => {
    expect(nonJisX0208Characters('髙﨑　𠮷野', 'heuristic')).toEqual(['髙', '﨑', '𠮷']);
    expect(nonJisX0208Characters('\uE000見本', 'heuristic')).toEqual(['\uE000']); // private use (外字)
    expect(nonJisX0208Characters('高崎　吉野', 'heuristic')).toEqual([]);
  });

  it('suggests substitutes that are themselves in JIS X 0208', () => {
    for (const [from, to] of Object.entries(JIS_VARIANT_SUGGESTIONS)) {
      expect(nonJisX0208Characters(from), from).toEqual([from]);
      expect(nonJisX0208Characters(from, 'heuristic'), from).toEqual([from]);
      expect(nonJisX0208Characters(to), to).toEqual([]);
    }
  });
});
