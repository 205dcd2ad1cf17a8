/**
 * X.509 certificates and CRLs as the verifier needs them: the exact received bytes of every
 * part that is hashed, signed or compared (TBS, names, serials), plus the few extensions the
 * checks read. Parsed with our own DER reader so that nothing is re-encoded on the way.
 */
import { constants, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import {
  Asn1Error,
  bitString,
  CLASS_UNIVERSAL,
  child,
  decode,
  decodeInner,
  directoryString,
  expectUniversal,
  integerBytes,
  integerHex,
  isContext,
  isUniversal,
  octets,
  oid,
  smallInteger,
  TAG,
  type Tlv,
  time,
  whole,
} from './der.ts';
import { DN_NAMES, OID } from './oids.ts';

export interface Extension {
  critical: boolean;
  /** extnValue contents (the DER of the extension's own structure). */
  value: Uint8Array;
}

export interface AlgorithmId {
  oid: string;
  /** DER of the parameters, absent when the AlgorithmIdentifier has none. */
  params?: Uint8Array;
}

export interface ParsedCertificate {
  der: Uint8Array;
  tbs: Uint8Array;
  version: number;
  /** INTEGER content octets, as received. */
  serial: Uint8Array;
  serialHex: string;
  signatureAlgorithm: AlgorithmId;
  /** DER of the issuer / subject Name, as received. */
  issuer: Uint8Array;
  subject: Uint8Array;
  issuerText: string;
  subjectText: string;
  notBefore: Date;
  notAfter: Date;
  spki: Uint8Array;
  extensions: Map<string, Extension>;
  signatureValue: Uint8Array;
}

function algorithmId(buf: Uint8Array, t: Tlv): AlgorithmId {
  expectUniversal(t, TAG.SEQUENCE, 'AlgorithmIdentifier');
  const id = oid(buf, child(t, 0, 'algorithm'));
  const p = t.children[1];
  if (t.children.length > 2) throw new Asn1Error('AlgorithmIdentifier with extra fields', t.start);
  return p ? { oid: id, params: whole(buf, p) } : { oid: id };
}

export function parseAlgorithmId(buf: Uint8Array, t: Tlv): AlgorithmId {
  return algorithmId(buf, t);
}

function extensions(buf: Uint8Array, t: Tlv): Map<string, Extension> {
  expectUniversal(t, TAG.SEQUENCE, 'Extensions');
  const out = new Map<string, Extension>();
  for (const e of t.children) {
    expectUniversal(e, TAG.SEQUENCE, 'Extension');
    const id = oid(buf, child(e, 0, 'extnID'));
    let i = 1;
    let critical = false;
    const c = e.children[1];
    if (isUniversal(c, TAG.BOOLEAN)) {
      critical = buf[c.valueStart] !== 0;
      i = 2;
    }
    const value = octets(buf, expectUniversal(e.children[i], TAG.OCTET_STRING, 'extnValue'));
    if (e.children.length !== i + 1) throw new Asn1Error('Extension with extra fields', e.start);
    if (out.has(id)) throw new Asn1Error(`extension ${id} appears twice`, e.start);
    out.set(id, { critical, value });
  }
  return out;
}

/** Parses a DER certificate. Throws Asn1Error when it is not one. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const { root } = decode(der);
  const buf = der;
  expectUniversal(root, TAG.SEQUENCE, 'Certificate');
  if (root.children.length !== 3) throw new Asn1Error('Certificate must have 3 fields', root.start);
  const tbsT = expectUniversal(root.children[0], TAG.SEQUENCE, 'TBSCertificate');
  const sigAlg = algorithmId(buf, child(root, 1, 'signatureAlgorithm'));
  const sigValue = bitString(buf, child(root, 2, 'signatureValue'));
  if (sigValue.unused !== 0) throw new Asn1Error('signature BIT STRING with unused bits', root.start);
  let i = 0;
  let version = 1;
  const f = tbsT.children;
  const v = f[0];
  if (isContext(v, 0)) {
    version = smallInteger(buf, child(v, 0, 'version')) + 1;
    i = 1;
  }
  const serial = integerBytes(buf, child(tbsT, i, 'serialNumber'));
  const innerAlg = algorithmId(buf, child(tbsT, i + 1, 'signature'));
  const issuerT = expectUniversal(f[i + 2], TAG.SEQUENCE, 'issuer Name');
  const validity = expectUniversal(f[i + 3], TAG.SEQUENCE, 'Validity');
  const subjectT = expectUniversal(f[i + 4], TAG.SEQUENCE, 'subject Name');
  const spkiT = expectUniversal(f[i + 5], TAG.SEQUENCE, 'SubjectPublicKeyInfo');
  let ext = new Map<string, Extension>();
  for (const rest of f.slice(i + 6)) {
    if (isContext(rest, 3)) ext = extensions(buf, child(rest, 0, 'extensions'));
    else if (!isContext(rest, 1) && !isContext(rest, 2))
      throw new Asn1Error('unexpected field in TBSCertificate', (rest as Tlv).start);
  }
  if (innerAlg.oid !== sigAlg.oid)
    throw new Asn1Error('signature algorithms inside and outside the TBS differ', root.start);
  return {
    der,
    tbs: whole(buf, tbsT),
    version,
    serial,
    serialHex: integerHex(serial),
    signatureAlgorithm: sigAlg,
    issuer: whole(buf, issuerT),
    subject: whole(buf, subjectT),
    issuerText: nameToString(buf, issuerT),
    subjectText: nameToString(buf, subjectT),
    notBefore: time(buf, child(validity, 0, 'notBefore')),
    notAfter: time(buf, child(validity, 1, 'notAfter')),
    spki: whole(buf, spkiT),
    extensions: ext,
    signatureValue: sigValue.bits,
  };
}

function escapeDnValue(s: string): string {
  return s.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`);
}

/** `C=JP, O=JPKI, CN=…` in the order of the encoding (display only; compare names as bytes). */
export function nameToString(buf: Uint8Array, name: Tlv): string {
  const rdns: string[] = [];
  for (const rdn of name.children) {
    const parts: string[] = [];
    for (const atv of rdn.children) {
      const type = oid(buf, child(atv, 0, 'attribute type'));
      const valueT = child(atv, 1, 'attribute value');
      let value: string;
      try {
        value = escapeDnValue(directoryString(buf, valueT));
      } catch {
        value = `#${Buffer.from(whole(buf, valueT)).toString('hex')}`;
      }
      parts.push(`${DN_NAMES[type] ?? type}=${value}`);
    }
    rdns.push(parts.join('+'));
  }
  return rdns.join(', ');
}

/** Decodes a Name given as DER bytes. */
export function nameBytesToString(der: Uint8Array): string {
  return nameToString(der, decodeInner(der));
}

// ---------------------------------------------------------------------------------------------
// Extensions

export const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGE_NAMES)[number];

/** The keyUsage bits that are set, or undefined when the certificate has no keyUsage. */
export function keyUsage(cert: ParsedCertificate): Set<KeyUsageName> | undefined {
  const e = cert.extensions.get(OID.keyUsage);
  if (!e) return undefined;
  const t = decodeInner(e.value);
  const { bits } = bitString(e.value, t);
  const out = new Set<KeyUsageName>();
  KEY_USAGE_NAMES.forEach((name, i) => {
    const byte = bits[i >> 3] ?? 0;
    if ((byte & (0x80 >> (i & 7))) !== 0) out.add(name);
  });
  return out;
}

/** certificatePolicies policy identifiers, or undefined when the extension is absent. */
export function certificatePolicies(cert: ParsedCertificate): string[] | undefined {
  const e = cert.extensions.get(OID.certificatePolicies);
  if (!e) return undefined;
  const t = expectUniversal(decodeInner(e.value), TAG.SEQUENCE, 'certificatePolicies');
  return t.children.map((p) => oid(e.value, child(expectUniversal(p, TAG.SEQUENCE, 'PolicyInformation'), 0, 'policy')));
}

export function basicConstraints(cert: ParsedCertificate): { ca: boolean; pathLen?: number } | undefined {
  const e = cert.extensions.get(OID.basicConstraints);
  if (!e) return undefined;
  const t = expectUniversal(decodeInner(e.value), TAG.SEQUENCE, 'BasicConstraints');
  let ca = false;
  let pathLen: number | undefined;
  for (const c of t.children) {
    if (isUniversal(c, TAG.BOOLEAN)) ca = e.value[c.valueStart] !== 0;
    else if (isUniversal(c, TAG.INTEGER)) pathLen = smallInteger(e.value, c);
  }
  return pathLen === undefined ? { ca } : { ca, pathLen };
}

// ---------------------------------------------------------------------------------------------
// CRLs

export const CRL_REASONS: Record<number, string> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

export interface RevokedEntry {
  serial: Uint8Array;
  revocationDate: Date;
  reason?: string;
  /** OIDs of critical entry extensions the verifier does not process. */
  unknownCritical: string[];
}

export interface ParsedCrl {
  der: Uint8Array;
  tbs: Uint8Array;
  signatureAlgorithm: AlgorithmId;
  issuer: Uint8Array;
  issuerText: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked: RevokedEntry[];
  extensions: Map<string, Extension>;
  signatureValue: Uint8Array;
}

function isTime(t: Tlv | undefined): t is Tlv {
  return (
    t !== undefined &&
    t.cls === CLASS_UNIVERSAL &&
    !t.constructed &&
    (t.tag === TAG.UTC_TIME || t.tag === TAG.GENERALIZED_TIME)
  );
}

/** Parses a DER CRL (RFC 5280 §5). Throws Asn1Error when it is not one. */
export function parseCrl(der: Uint8Array): ParsedCrl {
  const { root } = decode(der);
  const buf = der;
  expectUniversal(root, TAG.SEQUENCE, 'CertificateList');
  if (root.children.length !== 3) throw new Asn1Error('CertificateList must have 3 fields', root.start);
  const tbsT = expectUniversal(root.children[0], TAG.SEQUENCE, 'TBSCertList');
  const sigAlg = algorithmId(buf, child(root, 1, 'signatureAlgorithm'));
  const sig = bitString(buf, child(root, 2, 'signatureValue'));
  const f = tbsT.children;
  let i = 0;
  if (isUniversal(f[0], TAG.INTEGER)) i = 1;
  algorithmId(buf, child(tbsT, i, 'signature'));
  const issuerT = expectUniversal(f[i + 1], TAG.SEQUENCE, 'issuer Name');
  const thisUpdate = time(buf, child(tbsT, i + 2, 'thisUpdate'));
  let j = i + 3;
  let nextUpdate: Date | undefined;
  if (isTime(f[j])) {
    nextUpdate = time(buf, f[j] as Tlv);
    j++;
  }
  const revoked: RevokedEntry[] = [];
  if (isUniversal(f[j], TAG.SEQUENCE)) {
    for (const r of (f[j] as Tlv).children) {
      expectUniversal(r, TAG.SEQUENCE, 'revoked certificate');
      const entry: RevokedEntry = {
        serial: integerBytes(buf, child(r, 0, 'userCertificate')),
        revocationDate: time(buf, child(r, 1, 'revocationDate')),
        unknownCritical: [],
      };
      const extT = r.children[2];
      if (extT) {
        const ext = extensions(buf, extT);
        for (const [id, e] of ext) {
          if (id === OID.crlReason) {
            const code = smallInteger(e.value, decodeInner(e.value));
            entry.reason = CRL_REASONS[code] ?? `reason ${code}`;
          } else if (e.critical && id !== OID.invalidityDate) {
            entry.unknownCritical.push(id);
          }
        }
      }
      revoked.push(entry);
    }
    j++;
  }
  let ext = new Map<string, Extension>();
  if (isContext(f[j], 0)) {
    ext = extensions(buf, child(f[j] as Tlv, 0, 'crlExtensions'));
    j++;
  }
  if (j !== f.length) throw new Asn1Error('unexpected field in TBSCertList', tbsT.start);
  const crl: ParsedCrl = {
    der,
    tbs: whole(buf, tbsT),
    signatureAlgorithm: sigAlg,
    issuer: whole(buf, issuerT),
    issuerText: nameToString(buf, issuerT),
    thisUpdate,
    revoked,
    extensions: ext,
    signatureValue: sig.bits,
  };
  if (nextUpdate) crl.nextUpdate = nextUpdate;
  return crl;
}

// ---------------------------------------------------------------------------------------------
// RSA PKCS#1 v1.5 signatures (node:crypto; independent of the signer's code)

const RSA_HASHES: Record<string, string> = {
  [OID.sha256WithRSAEncryption]: 'sha256',
  [OID.sha384WithRSAEncryption]: 'sha384',
  [OID.sha512WithRSAEncryption]: 'sha512',
};

export const MIN_RSA_BITS = 2048;

/** An RSA public key of at least MIN_RSA_BITS from a SubjectPublicKeyInfo, or a reason why not. */
export function rsaPublicKey(spki: Uint8Array): { key: KeyObject } | { error: string } {
  // Imported keys are memoized per SPKI bytes (a CA's key is used for every certificate and CRL
  // it issued); a KeyObject is immutable, so sharing it changes nothing but the work.
  const memoKey = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength).toString('latin1');
  const memo = publicKeys.get(memoKey);
  if (memo) {
    publicKeys.delete(memoKey);
    publicKeys.set(memoKey, memo);
    return memo;
  }
  const r = importRsaPublicKey(spki);
  if (publicKeys.size >= MAX_MEMO_KEYS) publicKeys.delete(publicKeys.keys().next().value as string);
  publicKeys.set(memoKey, r);
  return r;
}

const MAX_MEMO_KEYS = 64;
const publicKeys = new Map<string, { key: KeyObject } | { error: string }>();

function importRsaPublicKey(spki: Uint8Array): { key: KeyObject } | { error: string } {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    return { error: 'the public key cannot be read' };
  }
  if (key.asymmetricKeyType !== 'rsa') return { error: `the public key is ${key.asymmetricKeyType}, not RSA` };
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) return { error: `the RSA key has ${bits} bits, fewer than ${MIN_RSA_BITS}` };
  return { key };
}

/** Whether AlgorithmIdentifier parameters are absent or NULL (RFC 4055 allows both for RSA). */
export function nullOrAbsentParams(alg: AlgorithmId): boolean {
  return alg.params === undefined || (alg.params.length === 2 && alg.params[0] === 0x05 && alg.params[1] === 0x00);
}

/**
 * Verifies a certificate/CRL signature: sha{256,384,512}WithRSAEncryption only (SHA-1 is
 * refused), key from the issuer's SubjectPublicKeyInfo.
 */
export function verifyIssuedSignature(
  alg: AlgorithmId,
  tbs: Uint8Array,
  signature: Uint8Array,
  issuerSpki: Uint8Array,
): { ok: boolean; reason?: string } {
  const hash = RSA_HASHES[alg.oid];
  if (!hash) return { ok: false, reason: `signature algorithm ${alg.oid} is not accepted` };
  const k = rsaPublicKey(issuerSpki);
  if ('error' in k) return { ok: false, reason: k.error };
  const ok = cryptoVerify(hash, tbs, { key: k.key, padding: constants.RSA_PKCS1_PADDING }, signature);
  return ok ? { ok } : { ok, reason: 'the signature does not verify under the issuer key' };
}
