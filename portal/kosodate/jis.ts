/**
 * Characters that a municipal system limited to JIS X 0208 (JIS 第1・第2水準) may not accept
 * (product-anchors §7: many municipal e-application systems take only level 1/2 kanji, no 外字).
 * The form validator turns them into warnings, never errors: the resident's legal name may well
 * be written with 髙 or 𠮷, and only the municipality can decide how to register it.
 *
 * Two modes:
 * - `exact` (Node and Electron with full ICU): the JIS X 0208 repertoire is taken from the
 *   platform's Shift_JIS decoder (WHATWG/CP932 index), decoding rows 1–8 (non-kanji) and 16–84
 *   (level 1 and 2 kanji) only — rows 9–15 and 85–94 hold the NEC and IBM extensions (①, ㈱, 髙,
 *   﨑 …), which CP932 can encode but JIS X 0208 cannot. That yields exactly 6,879 characters.
 *   The code points that JIS-style and CP932-style mappings disagree on (〜 U+301C vs ～ U+FF5E,
 *   ‖ − — ¢ £ ¬) are accepted in both forms.
 * - `heuristic` (a runtime without a Shift_JIS decoder, e.g. small-ICU builds): flags code points
 *   outside the BMP (𠮷 U+20BB7), CJK Extension A, the CJK compatibility ideographs block
 *   (﨑 U+FA11), private use (外字) and a short list of IBM-extension kanji common in names (髙 德 …).
 *   It misses other non-JIS characters in the main CJK block: a limitation, not a rejection.
 *
 * Always accepted: ASCII printable, tab/CR/LF, and half-width katakana (JIS X 0201, which every
 * Shift_JIS system encodes). Text is checked in NFC (a decomposed が counts as が).
 */

/** Variant characters often met in names, with the JIS X 0208 character usually substituted. */
export const JIS_VARIANT_SUGGESTIONS: Readonly<Record<string, string>> = Object.freeze({
  髙: '高',
  﨑: '崎',
  𠮷: '吉',
  德: '徳',
  濵: '浜',
  栁: '柳',
  瀨: '瀬',
  昻: '昂',
  桒: '桑',
});

/** Kanji flagged by the heuristic mode although they sit in the main CJK block (IBM extensions). */
const HEURISTIC_KNOWN = new Set(
  ['髙', '德', '濵', '栁', '瀨', '昻', '桒', '彅', '琇', '鄧'].map((c) => c.codePointAt(0)!),
);

/** JIS-style mappings of the rows-1/2 symbols that CP932 decoders map elsewhere. */
const JIS_STYLE_EXTRAS = [0x301c, 0x2016, 0x2212, 0x2014, 0x00a2, 0x00a3, 0x00ac];

let exactSet: Set<number> | null | undefined;

function sjisBytes(ku: number, ten: number): Uint8Array {
  const s1 = ku <= 62 ? ((ku + 1) >> 1) + 0x80 : ((ku + 1) >> 1) + 0xc0;
  const s2 = ku % 2 === 1 ? ten + (ten <= 63 ? 0x3f : 0x40) : ten + 0x9e;
  return Uint8Array.of(s1, s2);
}

function buildExactSet(): Set<number> | null {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder('shift_jis');
  } catch {
    return null;
  }
  const set = new Set<number>();
  let decoded = 0;
  for (let ku = 1; ku <= 84; ku++) {
    if (ku > 8 && ku < 16) continue;
    for (let ten = 1; ten <= 94; ten++) {
      const chars = [...decoder.decode(sjisBytes(ku, ten))];
      if (chars.length !== 1 || chars[0] === '\uFFFD') continue;
      decoded++;
      set.add(chars[0]!.codePointAt(0)!);
      // Å is U+212B ANGSTROM SIGN in the index; text is checked in NFC, where it is U+00C5.
      const nfc = [...chars[0]!.normalize('NFC')];
      if (nfc.length === 1) set.add(nfc[0]!.codePointAt(0)!);
    }
  }
  // A decoder that is not the WHATWG/CP932 one (or is broken) gets the heuristic instead.
  if (decoded !== 6879) return null;
  for (const cp of JIS_STYLE_EXTRAS) set.add(cp);
  return set;
}

function getExactSet(): Set<number> | null {
  if (exactSet === undefined) exactSet = buildExactSet();
  return exactSet;
}

export type JisCheckMode = 'exact' | 'heuristic';

/** Which mode this runtime supports. */
export function jisCheckMode(): JisCheckMode {
  return getExactSet() ? 'exact' : 'heuristic';
}

function alwaysAccepted(cp: number): boolean {
  return (cp >= 0x20 && cp <= 0x7e) || cp === 0x09 || cp === 0x0a || cp === 0x0d || (cp >= 0xff61 && cp <= 0xff9f);
}

function heuristicOutside(cp: number): boolean {
  return (
    cp > 0xffff ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0xe000 && cp <= 0xf8ff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) ||
    (cp >= 0x7f && cp <= 0x9f) ||
    HEURISTIC_KNOWN.has(cp)
  );
}

/**
 * The distinct characters of `text` (in order of first appearance) that are outside JIS X 0208.
 * `mode` forces a mode (tests); by default `exact` when the runtime can, else `heuristic`.
 */
export function nonJisX0208Characters(text: string, mode?: JisCheckMode): string[] {
  const set = mode === 'heuristic' ? null : getExactSet();
  if (mode === 'exact' && !set) throw new Error('this runtime has no Shift_JIS decoder');
  const out: string[] = [];
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (alwaysAccepted(cp)) continue;
    const outside = set ? !set.has(cp) : heuristicOutside(cp);
    if (outside && !out.includes(ch)) out.push(ch);
  }
  return out;
}
