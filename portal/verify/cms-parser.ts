/**
 * RFC 5652 ContentInfo / SignedData, read with our own DER reader so that the verifier sees
 * exactly the bytes it received: the signed attributes as encoded (they are what the
 * signature covers), the embedded certificates byte for byte (signingCertificateV2 hashes
 * them), and every non-DER encoding recorded.
 */
import {
  Asn1Error,
  CLASS_CONTEXT,
  child,
  type DerProblem,
  decode,
  expectUniversal,
  integerBytes,
  is,
  isContext,
  isUniversal,
  octets,
  oid,
  smallInteger,
  TAG,
  type Tlv,
  whole,
} from './der.ts';
import { OID } from './oids.ts';
import { type AlgorithmId, type ParsedCertificate, parseAlgorithmId, parseCertificate } from './x509.ts';

export interface CmsAttribute {
  oid: string;
  /** The value TLVs inside the attribute's SET. */
  values: Tlv[];
  /** The encoded Attribute (SEQUENCE), as received. */
  raw: Uint8Array;
}

export type SignerIdentifier =
  | { kind: 'issuerAndSerialNumber'; issuer: Uint8Array; serial: Uint8Array }
  | { kind: 'subjectKeyIdentifier'; keyId: Uint8Array };

export interface ParsedSignerInfo {
  version: number;
  sid: SignerIdentifier;
  digestAlgorithm: AlgorithmId;
  signedAttrs?: {
    /** The received encoding, `[0] IMPLICIT` tag included. */
    raw: Uint8Array;
    attributes: CmsAttribute[];
  };
  signatureAlgorithm: AlgorithmId;
  signature: Uint8Array;
  hasUnsignedAttrs: boolean;
}

export interface EmbeddedCertificate {
  der: Uint8Array;
  cert?: ParsedCertificate;
  error?: string;
}

export interface ParsedCms {
  bytes: Uint8Array;
  /** DER violations outside the embedded certificates and CRLs (which are the CAs' bytes, not the signer's). */
  derProblems: DerProblem[];
  version: number;
  digestAlgorithms: AlgorithmId[];
  eContentType: string;
  eContent?: Uint8Array;
  certificates: EmbeddedCertificate[];
  /** CertificateChoices other than plain certificates (attribute certificates etc.). */
  otherCertificates: number;
  crlCount: number;
  signerInfos: ParsedSignerInfo[];
}

/** The structure is readable ASN.1 but not a SignedData. */
export class CmsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CmsFormatError';
  }
}

function attributes(buf: Uint8Array, set: Tlv): CmsAttribute[] {
  return set.children.map((a) => {
    expectUniversal(a, TAG.SEQUENCE, 'Attribute');
    if (a.children.length !== 2) throw new Asn1Error('Attribute must have a type and a value set', a.start);
    const values = expectUniversal(a.children[1], TAG.SET, 'attribute values');
    return { oid: oid(buf, child(a, 0, 'attribute type')), values: [...values.children], raw: whole(buf, a) };
  });
}

function signerInfo(buf: Uint8Array, si: Tlv): ParsedSignerInfo {
  expectUniversal(si, TAG.SEQUENCE, 'SignerInfo');
  const f = si.children;
  const version = smallInteger(buf, child(si, 0, 'SignerInfo version'));
  const sidT = child(si, 1, 'sid');
  let sid: SignerIdentifier;
  if (isUniversal(sidT, TAG.SEQUENCE)) {
    const issuer = expectUniversal(sidT.children[0], TAG.SEQUENCE, 'issuer Name');
    sid = {
      kind: 'issuerAndSerialNumber',
      issuer: whole(buf, issuer),
      serial: integerBytes(buf, child(sidT, 1, 'serialNumber')),
    };
  } else if (is(sidT, CLASS_CONTEXT, 0, false)) {
    const t = sidT as Tlv;
    sid = { kind: 'subjectKeyIdentifier', keyId: buf.subarray(t.valueStart, t.valueEnd) };
  } else {
    throw new Asn1Error('unrecognised SignerIdentifier', (sidT as Tlv).start);
  }
  const digestAlgorithm = parseAlgorithmId(buf, child(si, 2, 'digestAlgorithm'));
  let i = 3;
  let signedAttrs: ParsedSignerInfo['signedAttrs'];
  const sa = f[3];
  if (is(sa, CLASS_CONTEXT, 0, true)) {
    signedAttrs = { raw: whole(buf, sa), attributes: attributes(buf, sa) };
    i = 4;
  }
  const signatureAlgorithm = parseAlgorithmId(buf, child(si, i, 'signatureAlgorithm'));
  const signature = octets(buf, expectUniversal(f[i + 1], TAG.OCTET_STRING, 'signature'));
  const rest = f.slice(i + 2);
  const hasUnsignedAttrs = rest.length === 1 && is(rest[0], CLASS_CONTEXT, 1, true);
  if (rest.length > 1 || (rest.length === 1 && !hasUnsignedAttrs))
    throw new Asn1Error('unexpected field in SignerInfo', si.start);
  const out: ParsedSignerInfo = { version, sid, digestAlgorithm, signatureAlgorithm, signature, hasUnsignedAttrs };
  if (signedAttrs) out.signedAttrs = signedAttrs;
  return out;
}

/**
 * Parses a DER (or BER) ContentInfo carrying SignedData. Throws Asn1Error for malformed
 * ASN.1 and CmsFormatError for well-formed ASN.1 that is not a SignedData.
 */
export function parseCms(bytes: Uint8Array): ParsedCms {
  const d = decode(bytes);
  const buf = bytes;
  const ci = d.root;
  if (!isUniversal(ci, TAG.SEQUENCE) || ci.children.length !== 2) throw new CmsFormatError('not a CMS ContentInfo');
  const ct = oid(buf, child(ci, 0, 'contentType'));
  if (ct !== OID.signedData) throw new CmsFormatError(`ContentInfo carries ${ct}, not SignedData`);
  const wrapper = child(ci, 1, 'content');
  if (!isContext(wrapper, 0) || !wrapper.constructed || wrapper.children.length !== 1) {
    throw new CmsFormatError('ContentInfo content is not [0] EXPLICIT');
  }
  const sd = expectUniversal(wrapper.children[0], TAG.SEQUENCE, 'SignedData');
  const f = sd.children;
  const version = smallInteger(buf, child(sd, 0, 'SignedData version'));
  const digestAlgorithms = expectUniversal(f[1], TAG.SET, 'digestAlgorithms').children.map((a) =>
    parseAlgorithmId(buf, a),
  );
  const eci = expectUniversal(f[2], TAG.SEQUENCE, 'EncapsulatedContentInfo');
  const eContentType = oid(buf, child(eci, 0, 'eContentType'));
  let eContent: Uint8Array | undefined;
  const ec = eci.children[1];
  if (ec) {
    if (!isContext(ec, 0) || !ec.constructed || ec.children.length !== 1) {
      throw new CmsFormatError('eContent is not [0] EXPLICIT OCTET STRING');
    }
    eContent = octets(buf, ec.children[0] as Tlv);
  }
  if (eci.children.length > 2) throw new CmsFormatError('EncapsulatedContentInfo has extra fields');

  let i = 3;
  const certificates: EmbeddedCertificate[] = [];
  let otherCertificates = 0;
  const excluded: [number, number][] = [];
  if (is(f[i], CLASS_CONTEXT, 0, true)) {
    const certs = f[i] as Tlv;
    excluded.push([certs.valueStart, certs.valueEnd]);
    for (const c of certs.children) {
      if (!isUniversal(c, TAG.SEQUENCE)) {
        otherCertificates++;
        continue;
      }
      const der = whole(buf, c);
      try {
        certificates.push({ der, cert: parseCertificate(der) });
      } catch (e) {
        certificates.push({ der, error: (e as Error).message });
      }
    }
    i++;
  }
  let crlCount = 0;
  if (is(f[i], CLASS_CONTEXT, 1, true)) {
    const crls = f[i] as Tlv;
    excluded.push([crls.valueStart, crls.valueEnd]);
    crlCount = crls.children.length;
    i++;
  }
  const sis = expectUniversal(f[i], TAG.SET, 'signerInfos');
  if (i + 1 !== f.length) throw new CmsFormatError('SignedData has unexpected fields');
  const signerInfos = sis.children.map((s) => signerInfo(buf, s));
  const out: ParsedCms = {
    bytes,
    derProblems: d.derProblems.filter((p) => !excluded.some(([a, b]) => p.offset >= a && p.offset < b)),
    version,
    digestAlgorithms,
    eContentType,
    certificates,
    otherCertificates,
    crlCount,
    signerInfos,
  };
  if (eContent) out.eContent = eContent;
  return out;
}
