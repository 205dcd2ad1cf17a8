/** The strict DER reader the self-check relies on. */
import { describe, expect, it } from 'vitest';
import { assertStrictDer, certificateIssuerAndSerial, DerError, decodeOid, encodeTlv, readWhole } from './der.ts';
import { residentProfile } from './test-support.ts';

const b = (...x: number[]) => Uint8Array.from(x);

describe('strict DER', () => {
  it('accepts definite minimal lengths, nested', () => {
    expect(() => assertStrictDer(b(0x30, 0x06, 0x02, 0x01, 0x01, 0x04, 0x01, 0xff))).not.toThrow();
    const long = encodeTlv(0x04, new Uint8Array(300));
    expect(Array.from(long.subarray(0, 4))).toEqual([0x04, 0x82, 0x01, 0x2c]);
    expect(() => assertStrictDer(long)).not.toThrow();
  });

  it('refuses indefinite, non-minimal, overrunning and trailing encodings', () => {
    const bad = [
      b(0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00), // indefinite
      b(0x04, 0x81, 0x01, 0xff), // long form for a short length
      b(0x04, 0x82, 0x00, 0x81, ...new Uint8Array(0x81)), // leading zero length octet
      b(0x30, 0x03, 0x02, 0x01), // overruns
      b(0x02, 0x01, 0x01, 0x00), // trailing byte
      b(0x24, 0x03, 0x04, 0x01, 0x41), // constructed OCTET STRING (BER only)
      b(0x1f, 0x22, 0x00), // multi-octet tag
    ];
    for (const x of bad) expect(() => assertStrictDer(x), Buffer.from(x).toString('hex')).toThrow(DerError);
  });

  it('decodes OIDs', () => {
    expect(decodeOid(b(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02))).toBe('1.2.840.113549.1.7.2');
    expect(decodeOid(b(0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01))).toBe('2.16.840.1.101.3.4.2.1');
    expect(() => decodeOid(b(0x2a, 0x86))).toThrow(DerError);
  });

  it('finds the issuer and serial of a certificate as their exact encodings', async () => {
    const p = await residentProfile('resident-01');
    const { issuer, serial } = certificateIssuerAndSerial(p.signCert);
    expect(readWhole(issuer).tag).toBe(0x30);
    expect(Buffer.from(serial).toString('hex')).toBe('02046c6ad6c0');
    expect(Buffer.from(p.signCert).indexOf(Buffer.from(issuer))).toBeGreaterThan(0);
  });
});
