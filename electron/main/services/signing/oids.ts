/** Object identifiers used by the signer (RFC 5652, RFC 5035, RFC 4055, RFC 5754). */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
} as const;

/** DER of AlgorithmIdentifier { sha256WithRSAEncryption, NULL } — the contract wants the NULL. */
export const SHA256_WITH_RSA_NULL_DER = Uint8Array.from([
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00,
]);

/** DER of AlgorithmIdentifier { sha256 } with parameters absent (RFC 5754 §2: SHOULD be absent). */
export const SHA256_ALG_DER = Uint8Array.from([
  0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
]);
