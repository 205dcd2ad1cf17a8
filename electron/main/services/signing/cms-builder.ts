/**
 * CMS SignedData (RFC 5652) as CAdES-BES, built with PKI.js around a signature computed by the
 * card — the "manual route" of signing.md §1.2, because PKI.js's own SignedData.sign() neither
 * sorts the signed attributes nor lets us keep the NULL parameters of sha256WithRSAEncryption.
 *
 *  1. buildSignedAttributes(): contentType (id-data), signingTime (UTCTime; GeneralizedTime from
 *     2050, RFC 5652 §11.3), messageDigest, signingCertificateV2 (RFC 5035: certHash =
 *     SHA-256(cert), hashAlgorithm OMITTED because SHA-256 is its DEFAULT and DER forbids
 *     encoding a default, issuerSerial = {[4] directoryName issuer, serial}); sorted into DER
 *     SET OF order by their encodings (X.690 §11.6 — PKI.js does not sort, PKI.js#402); the
 *     bytes to sign are that SET's DER with tag 0x31 (RFC 5652 §5.4), and the card gets
 *     DigestInfo(SHA-256(those bytes)).
 *  2. buildSignedData(): SignerInfo v1 (issuerAndSerialNumber, sha256,
 *     sha256WithRSAEncryption + NULL, the card's signature), SignedData v1 with the signer and
 *     CA certificates (sorted too: `certificates` is a SET OF), eContent attached or not, in a
 *     ContentInfo; DER throughout (`toBER(false)`, definite lengths).
 *
 * The certificates, and their issuer Name and serial (in sid and signingCertificateV2), are
 * embedded as the card's exact bytes (raw-der-block.ts) rather than parsed into PKI.js objects
 * and re-encoded: byte-exact by construction, and ~10 ms cheaper per signature.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sha256DigestInfo } from '../../../../native/jpki/digest-info.ts';
import { certificateIssuerAndSerial } from './der.ts';
import { sha256 } from './hash.ts';
import { OID } from './oids.ts';
import { ensurePkijsEngine } from './pkijs-engine.ts';
import { EmbeddedCertificate, RawDerBlock } from './raw-der-block.ts';

ensurePkijsEngine();

export interface SignedAttributesInput {
  /** SHA-256 of the content (the manifest, or the file being signed). */
  messageDigest: Uint8Array;
  /** The signer certificate, DER, exactly as the card returned it. */
  signerCertificate: Uint8Array;
  signingTime: Date;
}

export interface SignedAttributes {
  /** What goes into SignerInfo.signedAttrs ([0] IMPLICIT SET OF Attribute), already sorted. */
  attributes: pkijs.SignedAndUnsignedAttributes;
  /** The bytes that are signed: the DER of the attributes with the SET OF tag 0x31. */
  toBeSigned: Uint8Array;
  /** DigestInfo(SHA-256(toBeSigned)): what the card's COMPUTE DIGITAL SIGNATURE receives. */
  digestInfo: Uint8Array;
  /** The signing time as encoded (seconds precision). */
  signingTime: Date;
}

export interface SignedDataInput {
  signedAttributes: SignedAttributes;
  /** The card's RSA PKCS#1 v1.5 signature over digestInfo. */
  signature: Uint8Array;
  signerCertificate: Uint8Array;
  /** CA certificates to embed (the Sign CA). */
  caCertificates: Uint8Array[];
  /** The content, when it is to be encapsulated (attached); omit for a detached signature. */
  content?: Uint8Array | undefined;
}

function sha256Algorithm(): pkijs.AlgorithmIdentifier {
  // Parameters absent: RFC 5754 §2 (SHOULD be omitted for the SHA-2 family).
  return new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

function timeValue(t: Date): asn1js.AsnType {
  const y = t.getUTCFullYear();
  return y >= 1950 && y < 2050 ? new asn1js.UTCTime({ valueDate: t }) : new asn1js.GeneralizedTime({ valueDate: t });
}

/** SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } with one ESSCertIDv2. */
export function signingCertificateV2Value(signerCertificate: Uint8Array): asn1js.Sequence {
  const { issuer, serial } = certificateIssuerAndSerial(signerCertificate);
  const essCertIdV2 = new asn1js.Sequence({
    value: [
      // hashAlgorithm: absent (DEFAULT id-sha256)
      new asn1js.OctetString({ valueHex: sha256(signerCertificate) }),
      new asn1js.Sequence({
        // IssuerSerial
        value: [
          new asn1js.Sequence({
            // GeneralNames
            value: [
              new asn1js.Constructed({
                // [4] directoryName — EXPLICIT, because Name is a CHOICE
                idBlock: { tagClass: 3, tagNumber: 4 },
                value: [new RawDerBlock(issuer)],
              }),
            ],
          }),
          new RawDerBlock(serial),
        ],
      }),
    ],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

function derOf(a: pkijs.Attribute): Uint8Array {
  return new Uint8Array(a.toSchema().toBER(false));
}

/** DER SET OF order: ascending by the elements' encodings (X.690 §11.6). */
export function sortForDer(attrs: pkijs.Attribute[]): pkijs.Attribute[] {
  return attrs
    .map((a) => ({ a, der: derOf(a) }))
    .sort((x, y) => Buffer.compare(x.der, y.der))
    .map((x) => x.a);
}

export function buildSignedAttributes(input: SignedAttributesInput): SignedAttributes {
  if (input.messageDigest.length !== 32) throw new RangeError('messageDigest must be a SHA-256 hash');
  const signingTime = new Date(Math.floor(input.signingTime.getTime() / 1000) * 1000);
  if (Number.isNaN(signingTime.getTime())) throw new RangeError('invalid signing time');
  // Listed in reading order, which is NOT the DER order (messageDigest sorts after
  // signingTime): the sort below is what puts them right, and the tests check its result.
  const attrs = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: input.messageDigest })),
    attribute(OID.signingTime, timeValue(signingTime)),
    attribute(OID.signingCertificateV2, signingCertificateV2Value(input.signerCertificate)),
  ];
  // DER SET OF: ascending order of the elements' encodings (X.690 §11.6).
  const attributes = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: sortForDer(attrs) });
  const toBeSigned = new Uint8Array(attributes.toSchema().toBER(false));
  toBeSigned[0] = 0x31; // [0] IMPLICIT → SET OF (RFC 5652 §5.4)
  return { attributes, toBeSigned, digestInfo: sha256DigestInfo(sha256(toBeSigned)), signingTime };
}

export function buildSignedData(input: SignedDataInput): Uint8Array {
  const { issuer, serial } = certificateIssuerAndSerial(input.signerCertificate);
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    // IssuerAndSerialNumber, from the certificate's own bytes
    sid: new asn1js.Sequence({ value: [new RawDerBlock(issuer), new RawDerBlock(serial)] }),
    digestAlgorithm: sha256Algorithm(),
    signedAttrs: input.signedAttributes.attributes,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: OID.sha256WithRSAEncryption,
      algorithmParams: new asn1js.Null(),
    }),
    signature: new asn1js.OctetString({ valueHex: input.signature }),
  });
  const encapContentInfo = new pkijs.EncapsulatedContentInfo({ eContentType: OID.data });
  if (input.content) {
    // Set after construction: the constructor splits an OCTET STRING into 64 KiB pieces of a
    // *constructed* OCTET STRING, which is BER, not DER.
    encapContentInfo.eContent = new asn1js.OctetString({ valueHex: input.content });
  }
  // `certificates` is a SET OF: DER order, like the attributes.
  const certDers = [input.signerCertificate, ...input.caCertificates].sort((a, b) => Buffer.compare(a, b));
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256Algorithm()],
    encapContentInfo,
    certificates: certDers.map((d) => new EmbeddedCertificate(d)),
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema() });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}
