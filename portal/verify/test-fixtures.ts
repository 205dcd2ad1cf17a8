/**
 * TEST-ONLY helpers for portal/verify's tests — not product code, imported by *.test.ts only.
 *
 * Fixtures are made independently of the app's signer: signatures by `openssl cms -sign`
 * with the demo residents' keys, special certificates minted by `openssl x509 -req` with the
 * demo CA key, defective CMS structures built by hand with PKI.js, and packages zipped by the
 * tiny stored-only writer below.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

// ---------------------------------------------------------------------------------------------
// Demo material

export const pkiFile = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../resources/demo/pki/${name}`, import.meta.url)));

export interface DemoResident {
  id: string;
  signCert: Uint8Array;
  signKey: Uint8Array;
  authCert: Uint8Array;
  authKey: Uint8Array;
  signCaCert: Uint8Array;
  authCaCert: Uint8Array;
  basic4: { name: string; address: string; birthDate: string; sex: string };
}

export function resident(id: string): DemoResident {
  const j = JSON.parse(readFileSync(new URL(`../../resources/demo/cards/${id}.json`, import.meta.url), 'utf8'));
  const b = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
  return {
    id,
    signCert: b(j.signCert),
    signKey: b(j.signKey),
    authCert: b(j.authCert),
    authKey: b(j.authKey),
    signCaCert: b(j.signCaCert),
    authCaCert: b(j.authCaCert),
    basic4: j.basic4,
  };
}

export const signCa = () => pkiFile('sign-ca.der');
export const signCrl = () => pkiFile('sign-ca.crl.der');
export const authCa = () => pkiFile('auth-ca.der');
export const authCrl = () => pkiFile('auth-ca.crl.der');

// ---------------------------------------------------------------------------------------------
// Files and OpenSSL

let workDir: string | undefined;
let counter = 0;

/** A per-process temporary directory; removeWorkDir() in afterAll. */
export function work(): string {
  workDir ??= mkdtempSync(join(tmpdir(), 'myna-verify-test-'));
  return workDir;
}

export function removeWorkDir(): void {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
}

export function tmpFile(stem: string, data?: Uint8Array | string): string {
  const p = join(work(), `${++counter}-${stem}`);
  if (data !== undefined) writeFileSync(p, data);
  return p;
}

export function pem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;
}

export function keyPem(pkcs8: Uint8Array): string {
  return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
}

export function openssl(args: string[], input?: Uint8Array): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface OpensslSignOptions {
  content: Uint8Array;
  cert: Uint8Array;
  key: Uint8Array;
  /** Further certificates to embed (the Sign CA). */
  extraCerts?: Uint8Array[];
  detached?: boolean;
}

/** `openssl cms -sign -binary -md sha256 -cades -nosmimecap` → DER. */
export function opensslSign(o: OpensslSignOptions): Uint8Array {
  const inFile = tmpFile('content.bin', o.content);
  const certFile = tmpFile('signer.pem', pem(o.cert, 'CERTIFICATE'));
  const keyFile = tmpFile('signer.key', keyPem(o.key));
  const out = tmpFile('sig.p7s');
  const args = [
    'cms',
    '-sign',
    '-binary',
    '-md',
    'sha256',
    '-cades',
    '-nosmimecap',
    '-signer',
    certFile,
    '-inkey',
    keyFile,
  ];
  if (!o.detached) args.push('-nodetach');
  if (o.extraCerts?.length)
    args.push('-certfile', tmpFile('chain.pem', o.extraCerts.map((c) => pem(c, 'CERTIFICATE')).join('')));
  args.push('-outform', 'DER', '-in', inFile, '-out', out);
  openssl(args);
  return new Uint8Array(readFileSync(out));
}

/** `openssl cms -verify` (independent cross-check). Returns success and stderr. */
export function opensslVerify(o: {
  p7s: Uint8Array;
  content?: Uint8Array;
  caFile: string;
  purposeAny?: boolean;
  crlCheck?: boolean;
}): { ok: boolean; stderr: string; out: Buffer } {
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', tmpFile('v.p7s', o.p7s), '-CAfile', o.caFile];
  if (o.content) args.push('-content', tmpFile('v.bin', o.content));
  if (o.purposeAny) args.push('-purpose', 'any');
  if (o.crlCheck) args.push('-crl_check');
  const outFile = tmpFile('v.out');
  args.push('-out', outFile);
  const r = spawnSync('openssl', args, { encoding: 'buffer' });
  let out = Buffer.alloc(0);
  try {
    out = readFileSync(outFile);
  } catch {
    // no output on failure
  }
  return { ok: r.status === 0, stderr: r.stderr.toString(), out };
}

/** The demo sign CA in PEM (optionally followed by its CRL) in a file, for openssl -CAfile. */
export function signCaFile(withCrl = false): string {
  let text = pem(signCa(), 'CERTIFICATE');
  if (withCrl) text += pem(signCrl(), 'X509 CRL');
  return tmpFile('sign-ca-bundle.pem', text);
}

// ---------------------------------------------------------------------------------------------
// Minting certificates (openssl x509 -req)

export interface MintOptions {
  /** PKCS#8 DER of the subject key (e.g. a resident's sign key). */
  subjectKey: Uint8Array;
  /** Issuer certificate + PKCS#8 key; default the demo sign CA. */
  issuerCert?: Uint8Array;
  issuerKey?: Uint8Array;
  subject?: string;
  keyUsage?: string;
  /** certificatePolicies value, or null for none. */
  policies?: string | null;
  serial?: string;
  days?: number;
}

export function mintCertificate(o: MintOptions): Uint8Array {
  const issuerCert = o.issuerCert ?? signCa();
  const issuerKey = o.issuerKey ?? pkiFile('sign-ca.key.p8.der');
  const subjectKeyFile = tmpFile('subject.key', keyPem(o.subjectKey));
  const csr = tmpFile('req.csr');
  openssl(['req', '-new', '-key', subjectKeyFile, '-subj', o.subject ?? '/C=JP/CN=MINTEDTEST0000000001', '-out', csr]);
  const lines = ['[ext]', `keyUsage = critical, ${o.keyUsage ?? 'digitalSignature, nonRepudiation'}`];
  const policies = o.policies === undefined ? '1.2.392.200149.8.5.1.1' : o.policies;
  if (policies) lines.push(`certificatePolicies = ${policies}`);
  lines.push('authorityKeyIdentifier = keyid', 'subjectKeyIdentifier = hash');
  const ext = tmpFile('ext.cnf', `${lines.join('\n')}\n`);
  const out = tmpFile('minted.der');
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    tmpFile('issuer.pem', pem(issuerCert, 'CERTIFICATE')),
    '-CAkey',
    tmpFile('issuer.key', keyPem(issuerKey)),
    '-set_serial',
    o.serial ?? '0x7e570001',
    '-days',
    String(o.days ?? 365),
    '-sha256',
    '-extfile',
    ext,
    '-extensions',
    'ext',
    '-outform',
    'DER',
    '-out',
    out,
  ]);
  return new Uint8Array(readFileSync(out));
}

/** A CRL issued with `openssl ca -gencrl` (default: by the demo sign CA) listing `revokedSerials` (hex). */
export function mintCrl(o: {
  revokedSerials: string[];
  issuerCert?: Uint8Array;
  issuerKey?: Uint8Array;
  days?: number;
}): Uint8Array {
  const index = o.revokedSerials
    .map(
      (hex) => `R\t300331235959Z\t250601000000Z,keyCompromise\t${hex.toUpperCase().padStart(2, '0')}\tunknown\t/CN=x\n`,
    )
    .join('');
  const dbFile = tmpFile('index.txt', index);
  const numberFile = tmpFile('crlnumber', '1000\n');
  const cnf = tmpFile(
    'ca.cnf',
    `[ca]\ndefault_ca = d\n[d]\ndatabase = ${dbFile}\ncrlnumber = ${numberFile}\ndefault_md = sha256\ndefault_crl_days = ${o.days ?? 30}\n`,
  );
  const out = tmpFile('minted.crl');
  openssl([
    'ca',
    '-config',
    cnf,
    '-gencrl',
    '-cert',
    tmpFile('crl-issuer.pem', pem(o.issuerCert ?? signCa(), 'CERTIFICATE')),
    '-keyfile',
    tmpFile('crl-issuer.key', keyPem(o.issuerKey ?? pkiFile('sign-ca.key.p8.der'))),
    '-out',
    out,
  ]);
  return new Uint8Array(openssl(['crl', '-in', out, '-outform', 'DER']));
}

/** A self-signed CA that is NOT trusted, with the same name as the demo sign CA. */
export function untrustedCa(): { cert: Uint8Array; key: Uint8Array } {
  const keyFile = tmpFile('evil.key');
  const certFile = tmpFile('evil.der');
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-days',
    '3650',
    '-subj',
    '/C=JP/O=JPKI/OU=JPKI for digital signature/OU=Japan Agency for Local Authority Information Systems/CN=DEMO ONLY Myna Companion sign CA',
    '-addext',
    'basicConstraints=critical,CA:true',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-addext',
    'certificatePolicies=1.2.392.200149.8.5.1.1',
    '-outform',
    'DER',
    '-out',
    certFile,
  ]);
  const key = createPrivateKey(readFileSync(keyFile)).export({ format: 'der', type: 'pkcs8' });
  return { cert: new Uint8Array(readFileSync(certFile)), key: new Uint8Array(key) };
}

// ---------------------------------------------------------------------------------------------
// CMS by hand (PKI.js), for the defects OpenSSL will not produce

const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const ab = (b: Uint8Array) => b.slice().buffer;

export interface HandCmsOptions {
  content: Uint8Array;
  cert: Uint8Array;
  key: Uint8Array;
  extraCerts?: Uint8Array[];
  detached?: boolean;
  signingTime?: Date;
  /** Sort the signed attributes into DER SET OF order (default true). */
  sort?: boolean;
  /** Rearrange / replace the signed attributes: gets them in the order ct, st, md, scv2. */
  attributes?: (a: {
    ct: pkijs.Attribute;
    st: pkijs.Attribute;
    md: pkijs.Attribute;
    scv2: pkijs.Attribute;
  }) => pkijs.Attribute[];
  /** Certificate whose hash goes into signingCertificateV2 (default: `cert`). */
  certForEss?: Uint8Array;
  eContentType?: string;
}

export function signingCertificateV2(certDer: Uint8Array): pkijs.Attribute {
  const cert = pkijs.Certificate.fromBER(certDer.slice());
  const essCertIdV2 = new asn1js.Sequence({
    value: [
      new asn1js.OctetString({ valueHex: ab(sha256(certDer)) }),
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [
              new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] }),
            ],
          }),
          cert.serialNumber,
        ],
      }),
    ],
  });
  return new pkijs.Attribute({
    type: '1.2.840.113549.1.9.16.2.47',
    values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })],
  });
}

/** CMS SignedData built with PKI.js and signed with node:crypto (the key stands in for the card). */
export function handCms(o: HandCmsOptions): Uint8Array {
  const cert = pkijs.Certificate.fromBER(o.cert.slice());
  const a = {
    ct: new pkijs.Attribute({
      type: '1.2.840.113549.1.9.3',
      values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })],
    }),
    st: new pkijs.Attribute({
      type: '1.2.840.113549.1.9.5',
      values: [new asn1js.UTCTime({ valueDate: o.signingTime ?? new Date() })],
    }),
    md: new pkijs.Attribute({
      type: '1.2.840.113549.1.9.4',
      values: [new asn1js.OctetString({ valueHex: ab(sha256(o.content)) })],
    }),
    scv2: signingCertificateV2(o.certForEss ?? o.cert),
  };
  let list = o.attributes ? o.attributes(a) : [a.ct, a.st, a.md, a.scv2];
  if (o.sort !== false) {
    const der = (x: pkijs.Attribute) => Buffer.from(x.toSchema().toBER(false));
    list = [...list].sort((x, y) => Buffer.compare(der(x), der(y)));
  }
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: list });
  const tbs = new Uint8Array(signedAttrs.toSchema().toBER(false));
  tbs[0] = 0x31;
  const key = createPrivateKey({ key: Buffer.from(o.key), format: 'der', type: 'pkcs8' });
  const signature = new Uint8Array(cryptoSign('sha256', tbs, key));
  const sha256Alg = new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1' });
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: sha256Alg,
    signedAttrs,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: '1.2.840.113549.1.1.11',
      algorithmParams: new asn1js.Null(),
    }),
    signature: new asn1js.OctetString({ valueHex: ab(signature) }),
  });
  const eci = new pkijs.EncapsulatedContentInfo({ eContentType: o.eContentType ?? '1.2.840.113549.1.7.1' });
  if (!o.detached) eci.eContent = new asn1js.OctetString({ valueHex: ab(o.content) });
  const sd = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256Alg],
    encapContentInfo: eci,
    certificates: [cert, ...(o.extraCerts ?? []).map((c) => pkijs.Certificate.fromBER(c.slice()))],
    signerInfos: [signerInfo],
  });
  const ci = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: sd.toSchema(true) });
  return new Uint8Array(ci.toSchema().toBER(false));
}

/** Re-encodes a CMS after `edit` changed its PKI.js SignedData (signed attributes untouched). */
export function editSignedData(p7s: Uint8Array, edit: (sd: pkijs.SignedData) => void): Uint8Array {
  const ci = pkijs.ContentInfo.fromBER(p7s.slice());
  const sd = new pkijs.SignedData({ schema: ci.content });
  edit(sd);
  const out = new pkijs.ContentInfo({ contentType: ci.contentType, content: sd.toSchema(true) });
  return new Uint8Array(out.toSchema().toBER(false));
}

/** The same CMS with BER indefinite lengths on the outer structures (as PKI.js's sample does). */
export function indefiniteLengthCopy(p7s: Uint8Array): Uint8Array {
  const ci = pkijs.ContentInfo.fromBER(p7s.slice());
  const sd = new pkijs.SignedData({ schema: ci.content });
  const sdSchema = sd.toSchema(true) as asn1js.Sequence;
  sdSchema.lenBlock.isIndefiniteForm = true;
  const ciSchema = new pkijs.ContentInfo({
    contentType: ci.contentType,
    content: sdSchema,
  }).toSchema() as asn1js.Sequence;
  ciSchema.lenBlock.isIndefiniteForm = true;
  (ciSchema.valueBlock.value[1] as asn1js.Constructed).lenBlock.isIndefiniteForm = true;
  return new Uint8Array(ciSchema.toBER(false));
}

/**
 * Replaces the embedded signer certificate (and the SignerInfo's issuer/serial) with another
 * certificate, keeping the signed attributes and signature value as they are.
 */
export function swapSignerCertificate(p7s: Uint8Array, newCert: Uint8Array): Uint8Array {
  const ci = pkijs.ContentInfo.fromBER(p7s.slice());
  const sd = new pkijs.SignedData({ schema: ci.content });
  const si = sd.signerInfos[0] as pkijs.SignerInfo;
  const sid = si.sid as pkijs.IssuerAndSerialNumber;
  const replacement = pkijs.Certificate.fromBER(newCert.slice());
  sd.certificates = (sd.certificates ?? []).map((c) =>
    c instanceof pkijs.Certificate && c.serialNumber.isEqual(sid.serialNumber) ? replacement : c,
  );
  si.sid = new pkijs.IssuerAndSerialNumber({ issuer: replacement.issuer, serialNumber: replacement.serialNumber });
  const out = new pkijs.ContentInfo({ contentType: ci.contentType, content: sd.toSchema(true) });
  return new Uint8Array(out.toSchema().toBER(false));
}

// ---------------------------------------------------------------------------------------------
// ZIP (stored only), with knobs for every defect the reader must refuse

export interface ZipEntrySpec {
  name: string;
  data: Uint8Array;
  /** Raw name bytes instead of UTF-8 of `name`. */
  nameBytes?: Uint8Array;
  flags?: number;
  localFlags?: number;
  method?: number;
  versionNeeded?: number;
  crc?: number;
  extra?: Uint8Array;
  comment?: string;
  /** A different name in the local header. */
  localName?: string;
  /** Bytes inserted before this entry's local header (a gap). */
  gapBefore?: Uint8Array;
  /** Size written in the headers (default data length). */
  declaredSize?: number;
}

export interface ZipOptions {
  comment?: string;
  /** Overrides of the end record. */
  eocd?: { entries?: number; diskNumber?: number; cdOffset?: number };
  /** Bytes appended after the end record. */
  trailing?: Uint8Array;
}

export function writeStoredZip(entries: ZipEntrySpec[], opts: ZipOptions = {}): Uint8Array {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    if (e.gapBefore) {
      chunks.push(Buffer.from(e.gapBefore));
      offset += e.gapBefore.length;
    }
    const name = Buffer.from(e.nameBytes ?? Buffer.from(e.name, 'utf8'));
    const localName = e.localName !== undefined ? Buffer.from(e.localName, 'utf8') : name;
    const extra = Buffer.from(e.extra ?? new Uint8Array());
    const comment = Buffer.from(e.comment ?? '', 'utf8');
    const flags = e.flags ?? 0x0800;
    const method = e.method ?? 0;
    const version = e.versionNeeded ?? 10;
    const crc = e.crc ?? crc32(e.data) >>> 0;
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(version, 4);
    local.writeUInt16LE(e.localFlags ?? flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(localName.length, 26);
    local.writeUInt16LE(extra.length, 28);
    chunks.push(local, localName, extra, Buffer.from(e.data));
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
    cd.writeUInt16LE(version, 6);
    cd.writeUInt16LE(flags, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt16LE(0, 12);
    cd.writeUInt16LE(0x21, 14);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(size, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt16LE(extra.length, 30);
    cd.writeUInt16LE(comment.length, 32);
    cd.writeUInt16LE(0, 34);
    cd.writeUInt16LE(0, 36);
    cd.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name, extra, comment);
    offset += 30 + localName.length + extra.length + e.data.length;
  }
  const cdBuf = Buffer.concat(central);
  const comment = Buffer.from(opts.comment ?? '', 'utf8');
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(opts.eocd?.diskNumber ?? 0, 4);
  eocd.writeUInt16LE(0, 6);
  eocd.writeUInt16LE(opts.eocd?.entries ?? entries.length, 8);
  eocd.writeUInt16LE(opts.eocd?.entries ?? entries.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(opts.eocd?.cdOffset ?? offset, 16);
  eocd.writeUInt16LE(comment.length, 20);
  return new Uint8Array(
    Buffer.concat([...chunks, cdBuf, eocd, comment, Buffer.from(opts.trailing ?? new Uint8Array())]),
  );
}

// ---------------------------------------------------------------------------------------------
// Packages

/** Canonical JSON for fixtures (keys sorted; enough for strings, integers, objects, arrays). */
export function fixtureJson(v: unknown): string {
  const sortKeys = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sortKeys);
    if (x && typeof x === 'object') {
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]),
      );
    }
    return x;
  };
  return JSON.stringify(sortKeys(v));
}

export interface FixtureAttachment {
  name: string;
  mediaType: string;
  data: Uint8Array;
}

export const samplePdf = (label: string) =>
  new Uint8Array(
    Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`),
  );
export const samplePng = () =>
  new Uint8Array(Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]));

export function sampleAttachments(): FixtureAttachment[] {
  return [
    { name: '所得証明書.pdf', mediaType: 'application/pdf', data: samplePdf('所得証明書') },
    { name: 'photo.png', mediaType: 'image/png', data: samplePng() },
  ];
}

export function manifestFor(
  attachments: FixtureAttachment[],
  form: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    format: 'myna-companion/application-package',
    version: 1,
    procedure: { id: 'jidou-teate-nintei' },
    municipality: { code: '131016' },
    form: { applicant: { name: '見本　花子' }, children: 2, ...form },
    attachments: attachments.map((a) => ({
      name: a.name,
      mediaType: a.mediaType,
      size: a.data.length,
      sha256: createHash('sha256').update(a.data).digest('hex'),
    })),
  };
}

export interface PackageParts {
  manifest: Uint8Array;
  signature: Uint8Array;
  attachments: FixtureAttachment[];
}

/** A package signed with openssl by a demo resident (or any cert/key). */
export function makePackageParts(o: {
  resident?: DemoResident;
  cert?: Uint8Array;
  key?: Uint8Array;
  extraCerts?: Uint8Array[];
  attachments?: FixtureAttachment[];
  manifestText?: string;
  form?: Record<string, unknown>;
}): PackageParts {
  const attachments = o.attachments ?? sampleAttachments();
  const manifest = new Uint8Array(Buffer.from(o.manifestText ?? fixtureJson(manifestFor(attachments, o.form)), 'utf8'));
  const cert = o.cert ?? o.resident?.signCert;
  const key = o.key ?? o.resident?.signKey;
  if (!cert || !key) throw new Error('makePackageParts needs a resident or cert+key');
  const signature = opensslSign({ content: manifest, cert, key, extraCerts: o.extraCerts ?? [signCa()] });
  return { manifest, signature, attachments };
}

export function zipPackage(p: PackageParts): Uint8Array {
  return writeStoredZip([
    { name: 'manifest.json', data: p.manifest },
    { name: 'signature.p7s', data: p.signature },
    ...p.attachments.map((a) => ({ name: `attachments/${a.name}`, data: a.data })),
  ]);
}

export function flipByte(b: Uint8Array, index: number): Uint8Array {
  const c = b.slice();
  c[index] = (c[index] as number) ^ 0x01;
  return c;
}

/** Index of the last occurrence of `needle` in `hay` (e.g. to find the signature value). */
export function lastIndexOf(hay: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(hay).lastIndexOf(Buffer.from(needle));
}

/** A deterministic pseudo-random generator for the fuzz tests. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
