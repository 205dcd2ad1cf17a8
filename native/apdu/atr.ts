/**
 * Just enough ATR parsing to read the card-capabilities byte of the historical bytes
 * (ISO 7816-4 §8.1.1.2.7, compact-TLV tag 7). The card is never *identified* by its ATR
 * (jpki-protocol §8.1); this only decides whether extended-length APDUs may be used (§8.6).
 */
export function historicalBytes(atr: Uint8Array): Uint8Array | undefined {
  if (atr.length < 2) return undefined;
  const t0 = atr[1] as number;
  const k = t0 & 0x0f;
  let y = t0 >> 4;
  let i = 2;
  for (;;) {
    const hasTd = (y & 0x8) !== 0;
    i += ((y & 0x1) !== 0 ? 1 : 0) + ((y & 0x2) !== 0 ? 1 : 0) + ((y & 0x4) !== 0 ? 1 : 0);
    if (!hasTd) break;
    const td = atr[i];
    if (td === undefined) return undefined;
    i += 1;
    y = td >> 4;
  }
  if (i + k > atr.length) return undefined;
  return atr.subarray(i, i + k);
}

/** True when the ATR's card-capabilities byte 3 has "extended Lc and Le fields" (b7). */
export function atrAdvertisesExtendedLength(atr: Uint8Array): boolean {
  const h = historicalBytes(atr);
  if (!h || h.length < 1 || h[0] !== 0x80) return false; // only the compact-TLV category indicator
  let i = 1;
  while (i < h.length) {
    const tl = h[i] as number;
    const tag = tl >> 4;
    const len = tl & 0x0f;
    if (tag === 0x7 && len >= 3) return ((h[i + 3] as number) & 0x40) !== 0;
    i += 1 + len;
  }
  return false;
}
