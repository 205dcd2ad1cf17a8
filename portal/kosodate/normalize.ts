/**
 * Text folding for the service search. What it does, in order:
 * 1. Unicode NFKC: full-width ASCII → ASCII (ＡＢＣ１２３ → ABC123), half-width katakana → full-width
 *    (ﾎｲｸ → ホイク, with voiced marks composed), compatibility ideographs → unified ones
 *    (塚 U+FA10 → 塚), ideographic space U+3000 → U+0020, circled digits → digits.
 * 2. Lower case (ASCII and other cased scripts).
 * 3. Katakana → hiragana (U+30A1–U+30F6 → U+3041–U+3096, so ホイク = ほいく, ヴ = ゔ); the long
 *    vowel mark ー and the middle dot ・ are kept.
 * 4. White space removed (the text side) or used to split the query into terms (the query side).
 *
 * What it does NOT do: it does not read kanji. ほいく finds 保育 only because every service carries
 * hiragana readings (KosodateService.readings) that the search also looks at. Nor does it fold
 * small kana (ゃ ≠ や), old/variant kanji (髙 ≠ 高), or long vowels (ー ≠ う).
 */
export function foldForSearch(text: string): string {
  const nfkc = text.normalize('NFKC').toLowerCase();
  let out = '';
  for (const ch of nfkc) {
    const cp = ch.codePointAt(0)!;
    out += cp >= 0x30a1 && cp <= 0x30f6 ? String.fromCodePoint(cp - 0x60) : ch;
  }
  return out;
}

/** The folded text with all white space removed: what query terms are looked for in. */
export function foldHaystack(text: string): string {
  return foldForSearch(text).replace(/\s+/gu, '');
}

/** Query terms: folded, split on white space (including 全角スペース), empty terms dropped. */
export function queryTerms(keyword: string): string[] {
  return foldForSearch(keyword)
    .replace(/\p{Cc}/gu, ' ')
    .split(/\s+/u)
    .filter((t) => t.length > 0);
}
