/**
 * The CMS structure itself: signed attributes in DER SET OF order, signingCertificateV2 without
 * hashAlgorithm, NULL parameters on sha256WithRSAEncryption, DER with definite lengths (no
 * constructed OCTET STRING even for large attached content), certificates embedded and sorted.
 */
import { constants, createHash, createPrivateKey, privateEncrypt } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CardProfile } from '../../../../native/emulator/profile.ts';
import { buildSignedAttributes, buildSignedData, type SignedAttributes, sortForDer } from './cms-builder.ts';
import {
  assertStrictDer,
  bytesOf,
  certificateIssuerAndSerial,
  childrenOf,
  contentOf,
  decodeOid,
  readWhole,
  type Tlv,
} from './der.ts';
import { OID } from './oids.ts';
import { opensslVerify, residentProfile } from './test-support.ts';

let alice: CardProfile;
beforeAll(async () => {
  alice = await residentProfile('resident-01');
});

const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

function cardSign(profile: CardProfile, digestInfo: Uint8Array): Uint8Array {
  const key = createPrivateKey({ key: Buffer.from(profile.signKey), format: 'der', type: 'pkcs8' });
  return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo));
}

function build(
  content: Uint8Array,
  opts: { attached: boolean; time?: Date; attrs?: (s: SignedAttributes) => SignedAttributes },
) {
  let sa = buildSignedAttributes({
    messageDigest: sha(content),
    signerCertificate: alice.signCert,
    signingTime: opts.time ?? new Date('2026-04-01T09:30:15.678Z'),
  });
  if (opts.attrs) sa = opts.attrs(sa);
  const cms = buildSignedData({
    signedAttributes: sa,
    signature: cardSign(alice, sa.digestInfo),
    signerCertificate: alice.signCert,
    caCertificates: [alice.signCaCert],
    content: opts.attached ? content : undefined,
  });
  return { sa, cms };
}

/** The SignerInfo's fields and the SignedData's, by our own DER reader. */
function dissect(cms: Uint8Array) {
  const ci = readWhole(cms);
  const [, wrap] = childrenOf(cms, ci) as [Tlv, Tlv];
  const [sd] = childrenOf(cms, wrap) as [Tlv];
  const [version, digestAlgs, eci, certs, signerInfos] = childrenOf(cms, sd) as Tlv[];
  const [si] = childrenOf(cms, signerInfos as Tlv) as [Tlv];
  const [siVersion, sid, digestAlg, signedAttrs, sigAlg, sig] = childrenOf(cms, si) as Tlv[];
  const attrs = childrenOf(cms, signedAttrs as Tlv).map((a) => {
    const [type, values] = childrenOf(cms, a) as [Tlv, Tlv];
    const [value] = childrenOf(cms, values) as [Tlv];
    return { oid: decodeOid(contentOf(cms, type)), der: bytesOf(cms, a), value: bytesOf(cms, value) };
  });
  const tlvs = { version, digestAlgs, eci, certs, siVersion, sid, digestAlg, signedAttrs, sigAlg, sig } as Record<
    'version' | 'digestAlgs' | 'eci' | 'certs' | 'siVersion' | 'sid' | 'digestAlg' | 'signedAttrs' | 'sigAlg' | 'sig',
    Tlv
  >;
  return { ...tlvs, attrs };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('signed attributes', () => {
  it('are in DER SET OF order: contentType < signingTime < messageDigest < signingCertificateV2', () => {
    const { cms } = build(new TextEncoder().encode('{"x":1}'), { attached: true });
    const { attrs } = dissect(cms);
    expect(attrs.map((a) => a.oid)).toEqual([
      OID.contentType,
      OID.signingTime,
      OID.messageDigest,
      OID.signingCertificateV2,
    ]);
    for (let i = 1; i < attrs.length; i++) {
      expect(Buffer.compare(attrs[i - 1]?.der as Uint8Array, attrs[i]?.der as Uint8Array)).toBeLessThan(0);
    }
  });

  it('the order holds with a GeneralizedTime signing time (2050 and later, RFC 5652 §11.3)', () => {
    const { cms } = build(new Uint8Array([1]), { attached: false, time: new Date('2051-01-02T03:04:05Z') });
    const { attrs } = dissect(cms);
    const time = attrs.find((a) => a.oid === OID.signingTime)?.value as Uint8Array;
    expect(time[0]).toBe(0x18);
    expect(Buffer.from(time.subarray(2)).toString('latin1')).toBe('20510102030405Z');
    for (let i = 1; i < attrs.length; i++) {
      expect(Buffer.compare(attrs[i - 1]?.der as Uint8Array, attrs[i]?.der as Uint8Array)).toBeLessThan(0);
    }
  });

  it('sortForDer really sorts (the builder lists messageDigest before signingTime)', () => {
    const a = (type: string, v: asn1js.AsnType) => new pkijs.Attribute({ type, values: [v] });
    const md = a(OID.messageDigest, new asn1js.OctetString({ valueHex: new Uint8Array(32) }));
    const ct = a(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data }));
    const st = a(OID.signingTime, new asn1js.UTCTime({ valueDate: new Date(0) }));
    expect(sortForDer([md, st, ct]).map((x) => x.type)).toEqual([OID.contentType, OID.signingTime, OID.messageDigest]);
  });

  it('signingTime is a UTCTime in seconds; messageDigest is SHA-256 of the content; contentType is id-data', () => {
    const content = new TextEncoder().encode('申請');
    const { cms, sa } = build(content, { attached: true });
    const { attrs } = dissect(cms);
    const time = attrs.find((a) => a.oid === OID.signingTime)?.value as Uint8Array;
    expect(Buffer.from(time).toString('latin1')).toBe('\x17\x0d260401093015Z');
    expect(sa.signingTime.toISOString()).toBe('2026-04-01T09:30:15.000Z');
    expect(hex(attrs.find((a) => a.oid === OID.messageDigest)?.value as Uint8Array)).toBe(`0420${hex(sha(content))}`);
    expect(hex(attrs.find((a) => a.oid === OID.contentType)?.value as Uint8Array)).toBe('06092a864886f70d010701');
  });

  it('the bytes signed are the attributes re-tagged as SET (0x31), exactly as embedded', () => {
    const { cms, sa } = build(new Uint8Array([1, 2, 3]), { attached: false });
    const { signedAttrs } = dissect(cms);
    const embedded = Uint8Array.from(bytesOf(cms, signedAttrs as Tlv));
    expect(embedded[0]).toBe(0xa0);
    embedded[0] = 0x31;
    expect(hex(sa.toBeSigned)).toBe(hex(embedded));
    expect(hex(sa.digestInfo)).toBe(`3031300d060960864801650304020105000420${hex(sha(sa.toBeSigned))}`);
  });

  it('signingCertificateV2: certHash = SHA-256(cert), hashAlgorithm absent, issuerSerial = [4] issuer + serial', () => {
    const { cms } = build(new Uint8Array([1]), { attached: false });
    const value = dissect(cms).attrs.find((a) => a.oid === OID.signingCertificateV2)?.value as Uint8Array;
    const outer = readWhole(value);
    const [certsSeq] = childrenOf(value, outer) as [Tlv];
    expect(childrenOf(value, outer)).toHaveLength(1); // no policies
    const [essId] = childrenOf(value, certsSeq) as [Tlv];
    const parts = childrenOf(value, essId);
    expect(parts.map((p) => p.tag)).toEqual([0x04, 0x30]); // certHash, issuerSerial — no AlgorithmIdentifier first
    expect(hex(contentOf(value, parts[0] as Tlv))).toBe(hex(sha(alice.signCert)));
    const [names, serial] = childrenOf(value, parts[1] as Tlv) as [Tlv, Tlv];
    const [dirName] = childrenOf(value, names) as [Tlv];
    expect(dirName.tag).toBe(0xa4);
    const [name] = childrenOf(value, dirName) as [Tlv];
    const ids = certificateIssuerAndSerial(alice.signCert);
    expect(hex(bytesOf(value, name))).toBe(hex(ids.issuer));
    expect(hex(bytesOf(value, serial))).toBe(hex(ids.serial));
  });
});

describe('SignedData', () => {
  it('is DER: definite minimal lengths, no constructed strings, and asn1js re-encodes it byte for byte', () => {
    for (const attached of [true, false]) {
      const { cms } = build(new Uint8Array(200_000).fill(7), { attached });
      expect(() => assertStrictDer(cms)).not.toThrow();
      const parsed = asn1js.fromBER(new Uint8Array(cms));
      expect(parsed.offset).toBe(cms.length);
      expect(hex(new Uint8Array(parsed.result.toBER(false)))).toBe(hex(cms));
    }
  });

  it('attached content over 64 KiB stays one primitive OCTET STRING (PKI.js would split it)', () => {
    const content = new Uint8Array(150_000).fill(0x41);
    const { cms } = build(content, { attached: true });
    const { eci } = dissect(cms);
    const [, wrap] = childrenOf(cms, eci as Tlv) as [Tlv, Tlv];
    const [octet] = childrenOf(cms, wrap) as [Tlv];
    expect(octet.tag).toBe(0x04);
    expect(contentOf(cms, octet).length).toBe(150_000);
  });

  it('v1, digest sha256 without parameters, SignerInfo v1 by issuer+serial, sha256WithRSAEncryption with NULL', () => {
    const { cms } = build(new Uint8Array([1]), { attached: false });
    const d = dissect(cms);
    expect(hex(bytesOf(cms, d.version as Tlv))).toBe('020101');
    expect(hex(bytesOf(cms, d.digestAlgs as Tlv))).toBe('310d300b0609608648016503040201');
    expect(hex(bytesOf(cms, d.siVersion as Tlv))).toBe('020101');
    expect(hex(bytesOf(cms, d.digestAlg as Tlv))).toBe('300b0609608648016503040201');
    expect(hex(bytesOf(cms, d.sigAlg as Tlv))).toBe('300d06092a864886f70d01010b0500');
    const ids = certificateIssuerAndSerial(alice.signCert);
    const [issuer, serial] = childrenOf(cms, d.sid as Tlv) as [Tlv, Tlv];
    expect(hex(bytesOf(cms, issuer))).toBe(hex(ids.issuer));
    expect(hex(bytesOf(cms, serial))).toBe(hex(ids.serial));
    expect(contentOf(cms, d.sig as Tlv)).toHaveLength(256);
  });

  it('embeds the signer and Sign CA certificates byte for byte, in DER SET OF order', () => {
    const { cms } = build(new Uint8Array([1]), { attached: false });
    const certs = childrenOf(cms, dissect(cms).certs as Tlv).map((t) => hex(bytesOf(cms, t)));
    expect(certs.slice().sort()).toEqual([hex(alice.signCert), hex(alice.signCaCert)].sort());
    expect(certs).toEqual(certs.slice().sort());
  });

  it('detached has no eContent; attached carries the content', () => {
    const content = new TextEncoder().encode('hello');
    const det = build(content, { attached: false }).cms;
    expect(childrenOf(det, dissect(det).eci as Tlv)).toHaveLength(1);
    const att = build(content, { attached: true }).cms;
    expect(childrenOf(att, dissect(att).eci as Tlv)).toHaveLength(2);
  });

  it('verifies with openssl cms -verify against the demo Sign CA, attached and detached', () => {
    const content = new TextEncoder().encode('{"form":{}}');
    const att = opensslVerify(build(content, { attached: true }).cms);
    expect(att.status, att.stderr).toBe(0);
    expect(att.stdout.toString()).toBe('{"form":{}}');
    const det = opensslVerify(build(content, { attached: false }).cms, content);
    expect(det.status, det.stderr).toBe(0);
    expect(det.stderr).toContain('Verification successful');
  });
});
