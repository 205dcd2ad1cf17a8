/**
 * The signer's check of its own output before anything leaves it (DESIGN §7). Works on the
 * produced bytes only, re-parsed: an in-memory PKI.js SignedData would verify false anyway
 * (signing.md §2.1). Mostly with our own strict DER reader rather than the library that built
 * the structure. On request (tests), PKI.js is asked too, because the receiving side may well
 * use it — not by default: PKI.js's schema matching costs ~10 ms per signature here, the whole
 * budget of DESIGN §10, for a check the unit tests make on every kind of output anyway.
 *
 * Checks: strict DER (definite minimal lengths, no constructed strings, no trailing bytes);
 * ContentInfo/SignedData v1 shape; digestAlgorithms = {sha256}; eContentType id-data and
 * eContent equal to the content (attached) or absent (detached); the embedded certificates are
 * exactly the signer's and the CA's, byte for byte as the card returned them; one SignerInfo
 * v1 identified by the signer's issuer and serial; sha256WithRSAEncryption with NULL
 * parameters; signed attributes exactly contentType, signingTime, messageDigest,
 * signingCertificateV2, each once with one value, in DER SET OF order; contentType = id-data;
 * messageDigest = SHA-256 of the content; signingCertificateV2 certHash = SHA-256 of the signer
 * certificate, no hashAlgorithm, issuerSerial = the signer's; the signature verifies with the
 * signer certificate's key over the attributes re-tagged as SET (node:crypto) [and PKI.js
 * parses it to the same attributes and verifies it, with `crossCheckWithPkijs`].
 *
 * The self-check is not certificate validation (chain, validity, revocation): that is the
 * receiving side's job, and the app does not claim it (DESIGN §7).
 */
import { constants, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import {
  assertStrictDer,
  bytesOf,
  certificateIssuerAndSerial,
  childrenOf,
  contentOf,
  DerError,
  decodeOid,
  equalBytes,
  expectChildren,
  expectTag,
  readWhole,
  TAG,
  type Tlv,
} from './der.ts';
import { sha256 } from './hash.ts';
import { OID, SHA256_ALG_DER, SHA256_WITH_RSA_NULL_DER } from './oids.ts';
import { ensurePkijsEngine } from './pkijs-engine.ts';
import { SigningError } from './signing-error.ts';

ensurePkijsEngine();

export interface SelfCheckExpectations {
  /** SHA-256 of the content that was signed. */
  messageDigest: Uint8Array;
  /** Whether the content must be encapsulated (eContent) or absent (detached). */
  attached: boolean;
  /**
   * The content. Required when attached; for a detached signature it may be omitted when only
   * its digest is known (a streamed file), and then PKI.js's own verification is skipped (it
   * insists on re-hashing the data) — node:crypto still verifies the signature.
   */
  content?: Uint8Array | undefined;
  /** The signer certificate exactly as the card returned it. */
  signerCertificate: Uint8Array;
  caCertificates: Uint8Array[];
}

export interface SelfCheckOptions {
  /** Also parse and verify with PKI.js (SignedData.verify), as a PKI.js-based verifier would. */
  crossCheckWithPkijs?: boolean;
}

export interface SelfCheckResult {
  /** The names of the checks that passed, in order. */
  checks: string[];
  signingTime: Date;
  /** The DER of the signed attributes as signed (tag 0x31). */
  signedAttributes: Uint8Array;
}

const EXPECTED_ATTRIBUTES = [OID.contentType, OID.signingTime, OID.messageDigest, OID.signingCertificateV2];

class CheckFailure extends Error {
  readonly check: string;
  constructor(check: string, message: string) {
    super(message);
    this.check = check;
  }
}

function ensure(cond: boolean, check: string, message: string): asserts cond {
  if (!cond) throw new CheckFailure(check, message);
}

export async function selfCheckSignedData(
  der: Uint8Array,
  expected: SelfCheckExpectations,
  options: SelfCheckOptions = {},
): Promise<SelfCheckResult> {
  const checks: string[] = [];
  let current = 'der';
  const step = (name: string) => {
    checks.push(current);
    current = name;
  };
  try {
    // --- strict DER over everything we produced; certificates are embedded byte for byte ---
    assertStrictDer(der, (_t, path) => path.length === 3 && path[0] === 1 && path[1] === 0 && path[2] === 3);

    step('structure');
    const ci = expectTag(readWhole(der), TAG.SEQUENCE, 'ContentInfo');
    const [ciType, ciContent] = expectChildren(der, ci, 'ContentInfo', 2);
    ensure(oidOf(der, ciType) === OID.signedData, 'structure', 'contentType is not signedData');
    const sdWrap = expectTag(ciContent, 0xa0, 'ContentInfo.content');
    const [sdTlv] = expectChildren(der, sdWrap, '[0] content', 1);
    const sd = expectTag(sdTlv, TAG.SEQUENCE, 'SignedData');
    const sdParts = childrenOf(der, sd);
    ensure(
      sdParts.length === 5,
      'structure',
      `SignedData has ${sdParts.length} fields (expected version, digestAlgorithms, encapContentInfo, certificates, signerInfos)`,
    );
    const [version, digestAlgs, eci, certs, signerInfos] = sdParts as [Tlv, Tlv, Tlv, Tlv, Tlv];
    ensure(intOf(der, version) === 1, 'structure', 'SignedData version is not 1');
    const algs = expectChildren(der, expectTag(digestAlgs, TAG.SET, 'digestAlgorithms'), 'digestAlgorithms', 1);
    ensure(equalBytes(bytesOf(der, algs[0] as Tlv), SHA256_ALG_DER), 'structure', 'digestAlgorithms is not {sha256}');

    step('content');
    const eciParts = expectChildren(der, expectTag(eci, TAG.SEQUENCE, 'encapContentInfo'), 'encapContentInfo', 1, 2);
    ensure(oidOf(der, eciParts[0]) === OID.data, 'content', 'eContentType is not id-data');
    if (expected.attached) {
      ensure(expected.content !== undefined, 'content', 'attached signature without content to compare');
      const wrap = expectTag(eciParts[1], 0xa0, 'eContent');
      const [oct] = expectChildren(der, wrap, 'eContent', 1);
      const octet = expectTag(oct, TAG.OCTET_STRING, 'eContent');
      ensure(equalBytes(contentOf(der, octet), expected.content), 'content', 'eContent differs from the content');
    } else {
      ensure(eciParts.length === 1, 'content', 'a detached signature carries eContent');
    }

    step('certificates');
    const certList = childrenOf(der, expectTag(certs, 0xa0, 'certificates')).map((t) => bytesOf(der, t));
    const wanted = [expected.signerCertificate, ...expected.caCertificates];
    ensure(certList.length === wanted.length, 'certificates', `${certList.length} certificates embedded`);
    for (const w of wanted) {
      ensure(
        certList.some((c) => equalBytes(c, w)),
        'certificates',
        'an expected certificate is missing or altered',
      );
    }
    for (let i = 1; i < certList.length; i++) {
      ensure(
        Buffer.compare(certList[i - 1] as Uint8Array, certList[i] as Uint8Array) < 0,
        'certificates',
        'not in DER SET OF order',
      );
    }

    step('signer-info');
    const [si] = expectChildren(der, expectTag(signerInfos, TAG.SET, 'signerInfos'), 'signerInfos', 1);
    const siParts = childrenOf(der, expectTag(si, TAG.SEQUENCE, 'SignerInfo'));
    ensure(siParts.length === 6, 'signer-info', `SignerInfo has ${siParts.length} fields`);
    const [siVersion, sid, digestAlg, signedAttrs, sigAlg, sigValue] = siParts as [Tlv, Tlv, Tlv, Tlv, Tlv, Tlv];
    ensure(intOf(der, siVersion) === 1, 'signer-info', 'SignerInfo version is not 1');
    const signerIds = certificateIssuerAndSerial(expected.signerCertificate);
    const [sidIssuer, sidSerial] = expectChildren(der, expectTag(sid, TAG.SEQUENCE, 'sid'), 'sid', 2) as [Tlv, Tlv];
    ensure(
      equalBytes(bytesOf(der, sidIssuer), signerIds.issuer) && equalBytes(bytesOf(der, sidSerial), signerIds.serial),
      'signer-info',
      'sid does not name the signer certificate',
    );
    ensure(equalBytes(bytesOf(der, digestAlg), SHA256_ALG_DER), 'signer-info', 'digestAlgorithm is not sha256');
    ensure(
      equalBytes(bytesOf(der, sigAlg), SHA256_WITH_RSA_NULL_DER),
      'signer-info',
      'signatureAlgorithm is not sha256WithRSAEncryption with NULL parameters',
    );

    step('signed-attributes');
    expectTag(signedAttrs, 0xa0, 'signedAttrs');
    const tbs = Uint8Array.from(bytesOf(der, signedAttrs));
    tbs[0] = 0x31;
    const attrs = childrenOf(der, signedAttrs);
    for (let i = 1; i < attrs.length; i++) {
      ensure(
        Buffer.compare(bytesOf(der, attrs[i - 1] as Tlv), bytesOf(der, attrs[i] as Tlv)) < 0,
        'attribute-order',
        'signed attributes are not in DER SET OF order',
      );
    }
    const byType = new Map<string, Uint8Array>();
    let signingTime: Date | undefined;
    for (const a of attrs) {
      const [type, values] = expectChildren(der, expectTag(a, TAG.SEQUENCE, 'Attribute'), 'Attribute', 2) as [Tlv, Tlv];
      const oid = oidOf(der, type);
      ensure(!byType.has(oid), 'signed-attributes', `attribute ${oid} twice`);
      const [value] = expectChildren(der, expectTag(values, TAG.SET, 'attrValues'), `attribute ${oid}`, 1);
      byType.set(oid, bytesOf(der, value as Tlv));
      if (oid === OID.signingTime) signingTime = decodeTime(der, value as Tlv);
    }
    ensure(
      byType.size === EXPECTED_ATTRIBUTES.length && EXPECTED_ATTRIBUTES.every((o) => byType.has(o)),
      'signed-attributes',
      `attributes are ${[...byType.keys()].join(', ')}`,
    );
    ensure(signingTime !== undefined, 'signed-attributes', 'no signing time');
    ensure(
      oidOfBytes(byType.get(OID.contentType) as Uint8Array) === OID.data,
      'signed-attributes',
      'contentType is not id-data',
    );

    step('message-digest');
    const md = byType.get(OID.messageDigest) as Uint8Array;
    const mdTlv = expectTag(readWhole(md), TAG.OCTET_STRING, 'messageDigest');
    ensure(equalBytes(contentOf(md, mdTlv), expected.messageDigest), 'message-digest', 'messageDigest differs');
    if (expected.content) {
      ensure(equalBytes(sha256(expected.content), expected.messageDigest), 'message-digest', 'content hash differs');
    }

    step('signing-certificate-v2');
    checkSigningCertificateV2(
      byType.get(OID.signingCertificateV2) as Uint8Array,
      expected.signerCertificate,
      signerIds,
    );

    step('signature');
    expectTag(sigValue, TAG.OCTET_STRING, 'signature');
    const signature = contentOf(der, sigValue);
    const key = new X509Certificate(expected.signerCertificate).publicKey;
    ensure(
      cryptoVerify('sha256', tbs, { key, padding: constants.RSA_PKCS1_PADDING }, signature),
      'signature',
      'the signature does not verify with the signer certificate',
    );

    // PKI.js cannot verify a detached signature over empty content ("Missed detached data").
    if (options.crossCheckWithPkijs && (expected.attached || (expected.content && expected.content.length > 0))) {
      step('pkijs');
      await checkWithPkijs(der, tbs, expected);
    }
    checks.push(current);
    return { checks, signingTime, signedAttributes: tbs };
  } catch (e) {
    const check = e instanceof CheckFailure ? e.check : current;
    throw new SigningError('SELF_CHECK_FAILED', { check }, { cause: e });
  }
}

function checkSigningCertificateV2(
  value: Uint8Array,
  cert: Uint8Array,
  ids: { issuer: Uint8Array; serial: Uint8Array },
): void {
  const C = 'signing-certificate-v2';
  const outer = expectTag(readWhole(value), TAG.SEQUENCE, 'SigningCertificateV2');
  const [certsSeq] = expectChildren(value, outer, 'SigningCertificateV2', 1); // no policies
  const [essId] = expectChildren(value, expectTag(certsSeq, TAG.SEQUENCE, 'certs'), 'certs', 1);
  const parts = childrenOf(value, expectTag(essId, TAG.SEQUENCE, 'ESSCertIDv2'));
  ensure(parts.length === 2, C, `ESSCertIDv2 has ${parts.length} fields (hashAlgorithm must be omitted)`);
  const [hash, issuerSerial] = parts as [Tlv, Tlv];
  expectTag(hash, TAG.OCTET_STRING, 'certHash');
  ensure(equalBytes(contentOf(value, hash), sha256(cert)), C, 'certHash is not SHA-256 of the signer certificate');
  const [names, serial] = expectChildren(
    value,
    expectTag(issuerSerial, TAG.SEQUENCE, 'IssuerSerial'),
    'IssuerSerial',
    2,
  ) as [Tlv, Tlv];
  const [dirName] = expectChildren(value, expectTag(names, TAG.SEQUENCE, 'GeneralNames'), 'GeneralNames', 1);
  const [name] = expectChildren(value, expectTag(dirName, 0xa4, 'directoryName'), 'directoryName', 1);
  ensure(equalBytes(bytesOf(value, name as Tlv), ids.issuer), C, 'issuerSerial issuer differs');
  ensure(equalBytes(bytesOf(value, serial), ids.serial), C, 'issuerSerial serial differs');
}

async function checkWithPkijs(der: Uint8Array, tbs: Uint8Array, expected: SelfCheckExpectations): Promise<void> {
  const ci = pkijs.ContentInfo.fromBER(new Uint8Array(der));
  const sd = new pkijs.SignedData({ schema: ci.content });
  const parsedAttrs = sd.signerInfos[0]?.signedAttrs?.encodedValue;
  ensure(
    parsedAttrs !== undefined && equalBytes(new Uint8Array(parsedAttrs), tbs),
    'pkijs',
    'PKI.js reads other attributes',
  );
  const r = await sd.verify({
    signer: 0,
    checkChain: false,
    extendedMode: true,
    ...(!expected.attached && expected.content ? { data: toArrayBuffer(expected.content) } : {}),
  });
  ensure(r.signatureVerified === true, 'pkijs', 'PKI.js does not verify the signature');
}

function toArrayBuffer(u: Uint8Array): ArrayBuffer {
  return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
}

function oidOf(buf: Uint8Array, t: Tlv | undefined): string {
  const tlv = expectTag(t, TAG.OID, 'OBJECT IDENTIFIER');
  return decodeOid(contentOf(buf, tlv));
}

function oidOfBytes(b: Uint8Array): string {
  return oidOf(b, readWhole(b));
}

function intOf(buf: Uint8Array, t: Tlv): number {
  const tlv = expectTag(t, TAG.INTEGER, 'INTEGER');
  const c = contentOf(buf, tlv);
  if (c.length !== 1) throw new DerError('small INTEGER expected');
  return c[0] as number;
}

function decodeTime(buf: Uint8Array, t: Tlv): Date {
  const s = Buffer.from(contentOf(buf, t)).toString('latin1');
  const utc = t.tag === TAG.UTC_TIME ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s) : null;
  const gen = t.tag === TAG.GENERALIZED_TIME ? /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s) : null;
  const m = utc ?? gen;
  if (!m) throw new DerError('signingTime is not a DER UTCTime/GeneralizedTime');
  const [y, mo, d, h, mi, sec] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const year = utc ? (y < 50 ? 2000 + y : 1900 + y) : y;
  return new Date(Date.UTC(year, mo - 1, d, h, mi, sec));
}
