/**
 * Generates the demo PKI and the demo residents' card profiles — FICTIONAL DEMO MATERIAL ONLY.
 *
 *   npm run gen:demo-pki                      writes into resources/demo/
 *   node resources/demo/generate.ts --out DIR writes into DIR (also: MYNA_DEMO_OUT=DIR)
 *
 * Output is byte-identical on every run: keys come from fixed seeds (deterministic-rsa.ts), all
 * dates are fixed, RSASSA-PKCS1-v1_5 signatures are deterministic, and everything is DER.
 * The shapes follow jpki-protocol §7 (certificate profile); what the research marks unknown
 * ([U]) is chosen here and said so in a comment.
 *
 * The CA private keys are written out on purpose (tests mint special certificates with them).
 * Everything here is public: never trust these CAs outside this project's tests.
 */
import { createHash, sign, webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { CardProfileJson } from '../../native/emulator/profile.ts';
import { type DeterministicRsaKey, deterministicRsaKey, HmacDrbg } from './deterministic-rsa.ts';
import { isValidMyNumber, jpkiBirthDate, myNumberCheckDigit, noAltCharPositions } from './jp-rules.ts';
import { RESIDENTS, type ResidentSpec } from './residents-spec.ts';

export const OID = {
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  cRLNumber: '2.5.29.20',
  cRLReason: '2.5.29.21',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  /** JPKI certificate policies (jpki-protocol §7, oid-jpki). */
  jpkiSignPolicy: '1.2.392.200149.8.5.1.1',
  jpkiAuthPolicy: '1.2.392.200149.8.5.1.3',
  /** JPKI sign-certificate SAN otherName attributes (jpki-protocol §7). */
  jpkiName: '1.2.392.200149.8.5.5.1',
  jpkiNameAltChars: '1.2.392.200149.8.5.5.2',
  jpkiSex: '1.2.392.200149.8.5.5.3',
  jpkiBirthDate: '1.2.392.200149.8.5.5.4',
  jpkiAddress: '1.2.392.200149.8.5.5.5',
  jpkiAddressAltChars: '1.2.392.200149.8.5.5.6',
} as const;

export const DEMO_DATES = {
  caNotBefore: '2023-07-16T00:00:00Z',
  caNotAfter: '2043-07-15T23:59:59Z',
  crlThisUpdate: '2026-01-01T00:00:00Z',
  crlNextUpdate: '2036-01-01T00:00:00Z',
} as const;

/** EF 0006 token of a My Number Card (jpki-protocol §2.1). */
const CARD_TOKEN = 'JPKIAPICCTOKEN2';

type Rdn = readonly [keyof typeof OID, string];

/** The two demo roots: JPKI's DN shape (jpki-protocol §7) plus a CN that says DEMO. */
const CA_DEFS = {
  auth: {
    file: 'auth-ca',
    seed: 'myna-demo/auth-ca',
    serial: 0x01,
    policy: OID.jpkiAuthPolicy,
    dn: [
      ['countryName', 'JP'],
      ['organizationName', 'JPKI'],
      ['organizationalUnitName', 'JPKI for user authentication'],
      ['organizationalUnitName', 'Japan Agency for Local Authority Information Systems'],
      ['commonName', 'DEMO ONLY Myna Companion auth CA'],
    ] as const satisfies readonly Rdn[],
  },
  sign: {
    file: 'sign-ca',
    seed: 'myna-demo/sign-ca',
    serial: 0x02,
    policy: OID.jpkiSignPolicy,
    dn: [
      ['countryName', 'JP'],
      ['organizationName', 'JPKI'],
      ['organizationalUnitName', 'JPKI for digital signature'],
      ['organizationalUnitName', 'Japan Agency for Local Authority Information Systems'],
      ['commonName', 'DEMO ONLY Myna Companion sign CA'],
    ] as const satisfies readonly Rdn[],
  },
} as const;

/** SAN DirName of the real roots is `C=JP, O=公的個人認証サービス` (§7); ours says デモ. */
const CA_SAN_DN: readonly Rdn[] = [
  ['countryName', 'JP'],
  ['organizationName', '公的個人認証サービス（デモ）'],
];

// ---------------------------------------------------------------------------------------------
// ASN.1 helpers (asn1js directly, so that every byte is under our control)

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function der(value: asn1js.AsnType): Buffer {
  return Buffer.from(value.toBER(false));
}

/** Name: one attribute per RDN (pkijs would put them all into one SET), UTF8String for Japanese. */
function nameDer(rdns: readonly Rdn[]): Buffer {
  return der(
    new asn1js.Sequence({
      value: rdns.map(([type, value]) => {
        if (type === 'countryName' && !/^[A-Z]{2}$/.test(value)) throw new Error(`bad country ${value}`);
        const str = PRINTABLE.test(value) ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value });
        return new asn1js.Set({
          value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID[type] }), str] })],
        });
      }),
    }),
  );
}

function pkijsName(rdns: readonly Rdn[]): pkijs.RelativeDistinguishedNames {
  return pkijs.RelativeDistinguishedNames.fromBER(new Uint8Array(nameDer(rdns)));
}

function extension(extnID: string, critical: boolean, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

function contextConstructed(tagNumber: number, value: asn1js.AsnType[]): asn1js.Constructed {
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber }, value });
}

const KU = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;

/** KeyUsage as a DER named-bit BIT STRING: trailing zero bits dropped, unused-bit count exact. */
function keyUsage(bits: (keyof typeof KU)[]): asn1js.BitString {
  let value = 0;
  for (const b of bits) value |= 0x8000 >> KU[b];
  const bytes = value & 0xff ? [value >> 8, value & 0xff] : [value >> 8];
  const last = bytes[bytes.length - 1] ?? 0;
  let unusedBits = 0;
  while (unusedBits < 7 && ((last >> unusedBits) & 1) === 0) unusedBits++;
  return new asn1js.BitString({ valueHex: new Uint8Array(bytes), unusedBits });
}

function certificatePolicies(oid: string): asn1js.Sequence {
  return new asn1js.Sequence({
    value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid })] })],
  });
}

function authorityKeyIdentifier(keyId: Uint8Array): asn1js.Sequence {
  return new asn1js.Sequence({
    value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: keyId })],
  });
}

/** otherName (GeneralName [0]) with the value as `[0] EXPLICIT UTF8String` (jpki-protocol §7). */
function otherNameUtf8(oid: string, value: string): asn1js.Constructed {
  return contextConstructed(0, [
    new asn1js.ObjectIdentifier({ value: oid }),
    contextConstructed(0, [new asn1js.Utf8String({ value })]),
  ]);
}

function time(iso: string): pkijs.Time {
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) throw new Error(`bad date ${iso}`);
  // UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5).
  return new pkijs.Time({ type: value.getUTCFullYear() < 2050 ? 0 : 1, value });
}

function pem(label: string, body: Uint8Array): string {
  const b64 = Buffer.from(body).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

// ---------------------------------------------------------------------------------------------
// Keys, certificates, CRLs

interface Signer {
  key: DeterministicRsaKey;
  ski: Buffer;
}

function signerFor(key: DeterministicRsaKey): Signer {
  return { key, ski: subjectKeyIdentifier(key.spki) };
}

/**
 * sha256WithRSAEncryption with explicit NULL parameters, as RFC 4055 §5 requires and as real
 * JPKI certificates carry. pkijs 4's sign() omits the NULL, so the TBS is signed here instead
 * (PKCS#1 v1.5 is deterministic, which keeps the output reproducible).
 */
function sha256WithRsa(): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.11', algorithmParams: new asn1js.Null() });
}

function signTbs(tbs: Uint8Array, signer: Signer): asn1js.BitString {
  return new asn1js.BitString({ valueHex: sign('sha256', tbs, signer.key.privateKey) });
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's value. */
function subjectKeyIdentifier(spki: Uint8Array): Buffer {
  const info = pkijs.PublicKeyInfo.fromBER(new Uint8Array(spki));
  return createHash('sha1').update(info.subjectPublicKey.valueBlock.valueHexView).digest();
}

interface CertParams {
  serial: Uint8Array;
  issuer: readonly Rdn[];
  subject: readonly Rdn[];
  validity: { notBefore: string; notAfter: string };
  subjectKey: DeterministicRsaKey;
  issuerSigner: Signer;
  extensions: pkijs.Extension[];
}

function makeCertificate(p: CertParams): Buffer {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: p.serial });
  cert.issuer = pkijsName(p.issuer);
  cert.subject = pkijsName(p.subject);
  cert.notBefore = time(p.validity.notBefore);
  cert.notAfter = time(p.validity.notAfter);
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(new Uint8Array(p.subjectKey.spki));
  cert.extensions = p.extensions;
  cert.signature = sha256WithRsa();
  cert.signatureAlgorithm = sha256WithRsa();
  cert.tbsView = new Uint8Array(cert.encodeTBS().toBER(false));
  cert.signatureValue = signTbs(cert.tbsView, p.issuerSigner);
  return der(cert.toSchema());
}

/** pkijs declares CertificateRevocationList.encodeTBS() protected (Certificate's is public). */
class DemoCrl extends pkijs.CertificateRevocationList {
  encodeTbsDer(): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.encodeTBS().toBER(false));
  }
}

interface RevokedEntry {
  serial: Uint8Array;
  date: string;
  reason: number;
}

function makeCrl(issuer: readonly Rdn[], signer: Signer, revoked: RevokedEntry[], crlNumber: number) {
  const crl = new DemoCrl();
  crl.version = 1; // v2
  crl.issuer = pkijsName(issuer);
  crl.thisUpdate = time(DEMO_DATES.crlThisUpdate);
  crl.nextUpdate = time(DEMO_DATES.crlNextUpdate);
  if (revoked.length > 0) {
    crl.revokedCertificates = revoked.map(
      (r) =>
        new pkijs.RevokedCertificate({
          userCertificate: new asn1js.Integer({ valueHex: r.serial }),
          revocationDate: time(r.date),
          crlEntryExtensions: new pkijs.Extensions({
            extensions: [extension(OID.cRLReason, false, new asn1js.Enumerated({ value: r.reason }))],
          }),
        }),
    );
  }
  crl.crlExtensions = new pkijs.Extensions({
    extensions: [
      extension(OID.authorityKeyIdentifier, false, authorityKeyIdentifier(signer.ski)),
      extension(OID.cRLNumber, false, new asn1js.Integer({ value: crlNumber })),
    ],
  });
  crl.signature = sha256WithRsa();
  crl.signatureAlgorithm = sha256WithRsa();
  crl.tbsView = crl.encodeTbsDer();
  crl.signatureValue = signTbs(crl.tbsView, signer);
  return der(crl.toSchema());
}

// ---------------------------------------------------------------------------------------------
// Deterministic resident data

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** 20-character certificate identifier (the CN of JPKI end-entity certificates, §7). */
function identifier(seed: string): string {
  const drbg = new HmacDrbg(seed);
  let s = '';
  for (let i = 0; i < 20; i++) s += ALNUM[drbg.below(ALNUM.length)];
  return s;
}

/** 11 seeded digits + check digit. The first digit is never 0 (cosmetic). */
function myNumber(seed: string): string {
  const drbg = new HmacDrbg(seed);
  let s = String(1 + drbg.below(9));
  for (let i = 0; i < 10; i++) s += String(drbg.below(10));
  const full = s + String(myNumberCheckDigit(s));
  if (!isValidMyNumber(full)) throw new Error('check digit');
  return full;
}

/** 4-byte positive serial numbers, unique per issuer (the real auth certificate has 4 bytes, §7). */
class SerialSource {
  readonly #drbg: HmacDrbg;
  readonly #used = new Set<string>();
  constructor(seed: string) {
    this.#drbg = new HmacDrbg(seed);
  }
  next(): Buffer {
    for (;;) {
      const b = this.#drbg.bytes(4);
      b[0] = 0x01 + ((b[0] ?? 0) % 0x7f); // 0x01..0x7F: positive, no leading zero byte
      const hex = b.toString('hex');
      if (this.#used.has(hex)) continue;
      this.#used.add(hex);
      return b;
    }
  }
}

// ---------------------------------------------------------------------------------------------

export interface GenerateOptions {
  /** Directory to write into; defaults to this module's directory (resources/demo). */
  outDir?: string;
  /** Progress output; silent when omitted. */
  log?: (line: string) => void;
}

export interface GenerateResult {
  /** Paths written, relative to outDir, sorted. */
  files: string[];
}

export async function generateDemoPki(options: GenerateOptions = {}): Promise<GenerateResult> {
  const outDir = options.outDir ?? path.dirname(fileURLToPath(import.meta.url));
  const log = options.log ?? (() => {});
  pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

  const files = new Map<string, string | Uint8Array>();
  const put = (rel: string, data: string | Uint8Array) => {
    if (files.has(rel)) throw new Error(`duplicate output ${rel}`);
    files.set(rel, data);
  };

  // Roots
  const cas = {} as Record<'auth' | 'sign', { der: Buffer; signer: Signer; dn: readonly Rdn[] }>;
  for (const kind of ['auth', 'sign'] as const) {
    const def = CA_DEFS[kind];
    const key = deterministicRsaKey(def.seed);
    const signer = signerFor(key);
    log(`key ${def.seed}`);
    const certDer = makeCertificate({
      serial: new Uint8Array([def.serial]),
      issuer: def.dn,
      subject: def.dn,
      validity: { notBefore: DEMO_DATES.caNotBefore, notAfter: DEMO_DATES.caNotAfter },
      subjectKey: key,
      issuerSigner: signer,
      extensions: [
        extension(OID.basicConstraints, true, new asn1js.Sequence({ value: [new asn1js.Boolean({ value: true })] })),
        extension(OID.keyUsage, true, keyUsage(['keyCertSign', 'cRLSign'])),
        extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: signer.ski })),
        extension(OID.certificatePolicies, false, certificatePolicies(def.policy)),
        extension(
          OID.subjectAltName,
          false,
          new asn1js.Sequence({ value: [contextConstructed(4, [asn1js.fromBER(nameDer(CA_SAN_DN)).result])] }),
        ),
      ],
    });
    cas[kind] = { der: certDer, signer, dn: def.dn };
    put(`pki/${def.file}.der`, certDer);
    put(`pki/${def.file}.pem`, pem('CERTIFICATE', certDer));
    put(`pki/${def.file}.key.p8.der`, key.pkcs8);
  }

  // Residents
  const serials = {
    auth: new SerialSource('myna-demo/serials/auth-ca'),
    sign: new SerialSource('myna-demo/serials/sign-ca'),
  };
  const revokedOnSignCa: RevokedEntry[] = [];
  const residentsJson: {
    id: string;
    name: string;
    authPin: string;
    signPassword: string;
    kenhojoPin: string;
    note: string;
  }[] = [];
  for (const r of RESIDENTS) {
    checkResident(r);
    const authKey = deterministicRsaKey(`myna-demo/${r.id}/auth`);
    const signKey = deterministicRsaKey(`myna-demo/${r.id}/sign`);
    log(`keys ${r.id}`);

    const authSerial = serials.auth.next();
    const authCert = makeCertificate({
      serial: authSerial,
      issuer: cas.auth.dn,
      subject: [
        ['countryName', 'JP'],
        ['commonName', identifier(`myna-demo/${r.id}/auth-cert-id`)],
      ],
      validity: r.authValidity,
      subjectKey: authKey,
      issuerSigner: cas.auth.signer,
      extensions: [
        extension(OID.keyUsage, true, keyUsage(['digitalSignature'])),
        extension(OID.certificatePolicies, false, certificatePolicies(OID.jpkiAuthPolicy)),
        extension(OID.authorityKeyIdentifier, false, authorityKeyIdentifier(cas.auth.signer.ski)),
        extension(
          OID.subjectKeyIdentifier,
          false,
          new asn1js.OctetString({ valueHex: subjectKeyIdentifier(authKey.spki) }),
        ),
      ],
    });

    const signSerial = serials.sign.next();
    const b = r.basic4;
    const signCert = makeCertificate({
      serial: signSerial,
      issuer: cas.sign.dn,
      // Subject of the real sign certificate is [U] (§7); an identifier CN like the auth one.
      subject: [
        ['countryName', 'JP'],
        ['commonName', identifier(`myna-demo/${r.id}/sign-cert-id`)],
      ],
      validity: r.signValidity,
      subjectKey: signKey,
      issuerSigner: cas.sign.signer,
      extensions: [
        extension(OID.keyUsage, true, keyUsage(['digitalSignature', 'nonRepudiation'])),
        extension(OID.certificatePolicies, false, certificatePolicies(OID.jpkiSignPolicy)),
        extension(OID.authorityKeyIdentifier, false, authorityKeyIdentifier(cas.sign.signer.ski)),
        extension(
          OID.subjectKeyIdentifier,
          false,
          new asn1js.OctetString({ valueHex: subjectKeyIdentifier(signKey.spki) }),
        ),
        // Order as observed on a test card (holder-rs, §7): .1 .4 .3 .5 .2 .6
        extension(
          OID.subjectAltName,
          false,
          new asn1js.Sequence({
            value: [
              otherNameUtf8(OID.jpkiName, b.name),
              otherNameUtf8(OID.jpkiBirthDate, jpkiBirthDate(b.birthDate)),
              otherNameUtf8(OID.jpkiSex, b.sex),
              otherNameUtf8(OID.jpkiAddress, b.address),
              otherNameUtf8(OID.jpkiNameAltChars, noAltCharPositions(b.name)),
              otherNameUtf8(OID.jpkiAddressAltChars, noAltCharPositions(b.address)),
            ],
          }),
        ),
      ],
    });
    if (r.signRevoked) revokedOnSignCa.push({ serial: signSerial, ...r.signRevoked });

    const card: CardProfileJson = {
      id: r.id,
      token: CARD_TOKEN,
      authPin: r.authPin,
      signPassword: r.signPassword,
      kenhojoPin: r.kenhojoPin,
      myNumber: myNumber(`myna-demo/${r.id}/my-number`),
      basic4: { name: b.name, address: b.address, birthDate: b.birthDate, sex: b.sex },
      authCert: authCert.toString('base64'),
      authCaCert: cas.auth.der.toString('base64'),
      signCert: signCert.toString('base64'),
      signCaCert: cas.sign.der.toString('base64'),
      authKey: authKey.pkcs8.toString('base64'),
      signKey: signKey.pkcs8.toString('base64'),
      ...(r.initialTries ? { initialTries: r.initialTries } : {}),
    };
    put(`cards/${r.id}.json`, json(card));
    residentsJson.push({
      id: r.id,
      name: b.name,
      authPin: r.authPin,
      signPassword: r.signPassword,
      kenhojoPin: r.kenhojoPin,
      note: `${r.note.ja} / ${r.note.en}`,
    });
  }

  // CRLs (v2). The roots are trust anchors, so no ARL.
  const signCrl = makeCrl(cas.sign.dn, cas.sign.signer, revokedOnSignCa, 1);
  const authCrl = makeCrl(cas.auth.dn, cas.auth.signer, [], 1);
  put('pki/sign-ca.crl.der', signCrl);
  put('pki/sign-ca.crl.pem', pem('X509 CRL', signCrl));
  put('pki/auth-ca.crl.der', authCrl);
  put('pki/auth-ca.crl.pem', pem('X509 CRL', authCrl));

  put('residents.json', json(residentsJson));
  put('README.md', readme());

  for (const [rel, data] of files) {
    const target = path.join(outDir, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, data);
  }
  return { files: [...files.keys()].sort() };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function checkResident(r: ResidentSpec): void {
  const fail = (why: string) => {
    throw new Error(`${r.id}: ${why}`);
  };
  if (!/^[0-9]{4}$/.test(r.authPin)) fail('auth PIN must be 4 digits');
  if (!/^[0-9]{4}$/.test(r.kenhojoPin)) fail('kenhojo PIN must be 4 digits');
  const sp = r.signPassword;
  if (!/^[A-Z0-9]{6,16}$/.test(sp) || !/[A-Z]/.test(sp) || !/[0-9]/.test(sp)) fail('bad sign password');
  if (!/^[0-9]{8}$/.test(r.basic4.birthDate)) fail('birth date must be YYYYMMDD');
}

function readme(): string {
  const row = (r: ResidentSpec) => {
    const tries = r.initialTries
      ? Object.entries(r.initialTries)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')
      : '—';
    return `| \`${r.id}\` | ${r.basic4.name} | \`${r.authPin}\` | \`${r.signPassword}\` | \`${r.kenhojoPin}\` | ${tries} | ${r.note.ja}<br>${r.note.en} |`;
  };
  return `# Demo PKI and demo residents — FICTIONAL, FOR TESTS ONLY

<!-- Generated by resources/demo/generate.ts; edit residents-spec.ts or generate.ts, then regenerate. -->

**Everything in this directory is fictional demo material.** The two CAs only look like JPKI's
(same OU shape as the J-LIS roots, plus \`CN=DEMO ONLY Myna Companion …\`); their private keys,
and every resident's private keys, are published right here and can be re-derived by anyone from
fixed seed strings. Never install these CAs as trust anchors, and never trust a certificate or
signature made with them outside this project's tests. The names, addresses and towns are
invented; the My Numbers have a valid check digit but are drawn at random, so one could equal a
real person's number by chance — do not use them anywhere else.

## Residents

PINs: auth (利用者証明用, 4 digits), sign (署名用パスワード, 6–16 of A–Z 0–9), kenhojo
(券面事項入力補助用, 4 digits). "Tries" are the remaining tries when the emulated card is first
created (defaults: auth 3, sign 5, kenhojo 3).

| id | 氏名 | auth PIN | sign password | kenhojo PIN | tries | what is special |
| --- | --- | --- | --- | --- | --- | --- |
${RESIDENTS.map(row).join('\n')}

## Files

- \`pki/auth-ca.{der,pem}\`, \`pki/sign-ca.{der,pem}\` — self-signed demo roots (RSA-2048,
  sha256WithRSAEncryption, ${DEMO_DATES.caNotBefore.slice(0, 10)} → ${DEMO_DATES.caNotAfter.slice(0, 10)}), JPKI policy OIDs
  ${OID.jpkiAuthPolicy} (auth) and ${OID.jpkiSignPolicy} (sign).
- \`pki/auth-ca.key.p8.der\`, \`pki/sign-ca.key.p8.der\` — their PKCS#8 private keys, so tests can mint special
  certificates.
- \`pki/{auth,sign}-ca.crl.{der,pem}\` — v2 CRLs, thisUpdate ${DEMO_DATES.crlThisUpdate.slice(0, 10)}, nextUpdate
  ${DEMO_DATES.crlNextUpdate.slice(0, 10)}; the sign CA's lists resident-02's sign certificate.
- \`cards/<id>.json\` — one \`CardProfileJson\` (native/emulator/profile.ts) per resident: DER certificates and
  PKCS#8 keys in base64, PINs, My Number, basic 4 information, initial tries.
- \`residents.json\` — id, name, PINs and a note per resident, for UIs and tests.
- \`load.ts\` — \`demoResidentIds()\`, \`loadDemoCardJson(id)\`, \`demoPkiPath(name)\`.

End-entity certificates: subject \`C=JP, CN=<20-character identifier>\` (a different identifier for the auth and
the sign certificate), 4-byte serials, KeyUsage critical (auth: digitalSignature; sign: digitalSignature +
nonRepudiation). The sign certificate carries the four attributes as SAN otherNames (\`[0] EXPLICIT
UTF8String\`) in the order 1.2.392.200149.8.5.5.1 name, .4 birth date (\`EYYYYMMDD\`, era digit 1 明治 … 5 令和),
.3 sex, .5 address, .2 and .6 alternative-character positions (all \`0\`).

## Regenerating

\`\`\`sh
source scripts/toolchain.sh
npm run gen:demo-pki                                 # rewrites resources/demo/{pki,cards,residents.json,README.md}
node resources/demo/generate.ts --out /tmp/demo-pki  # or MYNA_DEMO_OUT=/tmp/demo-pki
npx vitest run resources/demo/demo-pki.test.ts       # checks the committed files are reproduced byte for byte
\`\`\`

The output is deterministic: RSA keys are derived from seeds such as \`myna-demo/auth-ca\` by an HMAC-DRBG and a
BigInt prime search (\`deterministic-rsa.ts\`), all dates are fixed, and PKCS#1 v1.5 signatures are
deterministic. Changing a resident, a seed or a date changes the files; commit them together with the change.
`;
}

// ---------------------------------------------------------------------------------------------

function outDirFromArgs(argv: string[]): string | undefined {
  const i = argv.indexOf('--out');
  if (i >= 0) {
    const v = argv[i + 1];
    if (!v) throw new Error('--out needs a directory');
    return path.resolve(v);
  }
  return process.env.MYNA_DEMO_OUT ? path.resolve(process.env.MYNA_DEMO_OUT) : undefined;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const started = performance.now();
  const outDir = outDirFromArgs(process.argv.slice(2));
  const result = await generateDemoPki({ ...(outDir ? { outDir } : {}), log: (l) => console.log(l) });
  const where = outDir ?? path.dirname(fileURLToPath(import.meta.url));
  console.log(
    `wrote ${result.files.length} files to ${where} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
