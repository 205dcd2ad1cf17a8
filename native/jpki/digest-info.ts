/** DER DigestInfo for SHA-256: the 19-byte prefix then the hash (signing.md §1.1, §6.2). */
export const SHA256_DIGEST_INFO_PREFIX = Uint8Array.from([
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
]);

export function sha256DigestInfo(hash: Uint8Array): Uint8Array {
  if (hash.length !== 32) throw new RangeError('SHA-256 hash must be 32 bytes');
  const out = new Uint8Array(51);
  out.set(SHA256_DIGEST_INFO_PREFIX);
  out.set(hash, 19);
  return out;
}
