/**
 * CAdES-BES / CMS SignedData verifier for the RECEIVING side — the reference portal, i.e. what a
 * municipality runs on the applications it receives (DESIGN §7, §8). It is written independently
 * of the app's signer (electron/main/services/signing) so that each checks the other.
 *
 * The app itself must never present this as JPKI signature verification: JPKI revocation data
 * is available to registered verifiers only (signing.md §2.2), and the app's own re-check of
 * what it just signed is a self-check, nothing more.
 *
 * Every check has a stable id and is evaluated whenever its inputs exist, so that one result
 * lists every problem, not just the first:
 *   cms-structure, content-type, message-digest, signed-attributes-der, signature, chain,
 *   validity, key-usage, policy, signing-certificate, revocation.
 */
import { constants, createHash, verify as cryptoVerify } from 'node:crypto';
import {
  validityFinding as certValidity,
  type Finding,
  keyUsageFinding,
  policyFinding,
  summarize,
} from './certificate-checks.ts';
import { validateChain } from './chain.ts';
import { type CmsAttribute, CmsFormatError, type ParsedCms, type ParsedSignerInfo, parseCms } from './cms-parser.ts';
import {
  Asn1Error,
  bytesEqual,
  CLASS_CONTEXT,
  child,
  compareSetOfElements,
  decode,
  expectUniversal,
  integerBytes,
  is,
  isUniversal,
  octets,
  oid,
  TAG,
  type Tlv,
  time,
  whole,
} from './der.ts';
import { OID } from './oids.ts';
import { CheckCollector, CMS_CHECKS, type CmsCheckId, internalErrorResult, type VerificationResult } from './result.ts';
import { checkRevocation } from './revocation.ts';
import { parseTrust } from './trust.ts';
import { nullOrAbsentParams, type ParsedCertificate, parseAlgorithmId, rsaPublicKey } from './x509.ts';

export interface CmsVerifyOptions {
  /** The signed content of a detached signature (ignored for comparison only when attached). */
  content?: Uint8Array;
  /** DER certificates of the trusted Sign CA(s). */
  trustAnchors: Uint8Array[];
  /** DER CRLs; none for an issuer → `revocation` is not checked (not a failure). */
  crls: Uint8Array[];
  /** Verification time (default: now). */
  now?: Date;
  /** Policy OID (or parent arc) the signer certificate must carry when its CA sets policies. Default: JPKI sign. */
  requiredPolicy?: string;
}

export type CmsVerificationResult = VerificationResult<CmsCheckId>;

/** How far in the future a claimed signing time may lie (clock skew). */
export const SIGNING_TIME_SKEW_MS = 5 * 60 * 1000;

const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function attrs(si: ParsedSignerInfo, id: string): CmsAttribute[] {
  return si.signedAttrs?.attributes.filter((a) => a.oid === id) ?? [];
}

const ATTR_NAMES: Record<string, string> = {
  [OID.contentType]: 'contentType',
  [OID.messageDigest]: 'messageDigest',
  [OID.signingTime]: 'signingTime',
  [OID.signingCertificateV2]: 'signingCertificateV2',
  [OID.signingCertificate]: 'signingCertificate',
  '1.2.840.113549.1.9.15': 'smimeCapabilities',
};

/** The single value of a single-instance attribute, or a reason why there is none. */
function singleValue(si: ParsedSignerInfo, id: string): { value: Tlv; attr: CmsAttribute } | { error: string } {
  const name = ATTR_NAMES[id] ?? id;
  const found = attrs(si, id);
  if (found.length === 0) return { error: `the ${name} signed attribute is missing` };
  if (found.length > 1) return { error: `the ${name} signed attribute appears ${found.length} times` };
  const a = found[0] as CmsAttribute;
  if (a.values.length !== 1) return { error: `the ${name} attribute has ${a.values.length} values instead of one` };
  return { value: a.values[0] as Tlv, attr: a };
}

function findSigner(cms: ParsedCms, si: ParsedSignerInfo): ParsedCertificate | undefined {
  for (const e of cms.certificates) {
    const c = e.cert;
    if (!c) continue;
    if (si.sid.kind === 'issuerAndSerialNumber') {
      if (bytesEqual(c.issuer, si.sid.issuer) && bytesEqual(c.serial, si.sid.serial)) return c;
    } else {
      const ski = c.extensions.get(OID.subjectKeyIdentifier);
      if (ski) {
        try {
          const d = decode(ski.value);
          if (bytesEqual(octets(ski.value, d.root), si.sid.keyId)) return c;
        } catch {
          // not this one
        }
      }
    }
  }
  return undefined;
}

function apply(c: CheckCollector<CmsCheckId>, id: CmsCheckId, f: Finding): void {
  if (f.ok) c.pass(id, f.detail);
  else for (const x of f.failures) c.fail(id, x.message, x.messageJa);
}

/** signedAttrs: DER SET OF order of the received encoding (X.690 §11.6) and DER throughout. */
function checkSignedAttrsDer(c: CheckCollector<CmsCheckId>, si: ParsedSignerInfo): void {
  const sa = si.signedAttrs;
  if (!sa) {
    c.fail(
      'signed-attributes-der',
      'the SignerInfo has no signed attributes (CAdES-BES requires them)',
      '署名属性（signedAttrs）がありません（CAdES-BESでは必須です）',
    );
    return;
  }
  let d: ReturnType<typeof decode>;
  try {
    d = decode(sa.raw);
  } catch (e) {
    c.fail(
      'signed-attributes-der',
      `the signed attributes cannot be read: ${(e as Error).message}`,
      '署名属性を読み取れません',
    );
    return;
  }
  const buf = sa.raw;
  for (const p of d.derProblems.slice(0, 3)) {
    c.fail(
      'signed-attributes-der',
      `the signed attributes are not DER: ${p.message} at byte ${p.offset}`,
      '署名属性がDERで符号化されていません',
    );
  }
  const items = d.root.children;
  const names = items.map((_, i) => ATTR_NAMES[sa.attributes[i]?.oid ?? ''] ?? sa.attributes[i]?.oid ?? '?');
  for (let i = 1; i < items.length; i++) {
    const prev = whole(buf, items[i - 1] as Tlv);
    const cur = whole(buf, items[i] as Tlv);
    if (compareSetOfElements(prev, cur) > 0) {
      c.fail(
        'signed-attributes-der',
        `the signed attributes are not in DER SET OF order: ${names[i - 1]} is encoded before ${names[i]} (Java/BouncyCastle verifiers reject this)`,
        `署名属性がDERのSET OF順に並んでいません（${names[i - 1]} が ${names[i]} より前）。Java系の検証者は拒否します`,
      );
    }
  }
  for (const [k, a] of items.entries()) {
    const values = a.children[1];
    if (!values) continue;
    for (let i = 1; i < values.children.length; i++) {
      if (compareSetOfElements(whole(buf, values.children[i - 1] as Tlv), whole(buf, values.children[i] as Tlv)) > 0) {
        c.fail(
          'signed-attributes-der',
          `the values of ${names[k]} are not in DER SET OF order`,
          `署名属性 ${names[k]} の値がDERの順序に並んでいません`,
        );
      }
    }
  }
  c.pass('signed-attributes-der', `DER, ${items.length} attributes in SET OF order: ${names.join(' < ')}`);
}

/** ESS signingCertificateV2 (RFC 5035): present once, certHash = SHA-256(signer cert), issuerSerial matches. */
function checkSigningCertificate(c: CheckCollector<CmsCheckId>, si: ParsedSignerInfo, signer: ParsedCertificate): void {
  const id: CmsCheckId = 'signing-certificate';
  const v = singleValue(si, OID.signingCertificateV2);
  if ('error' in v) {
    const v1 = attrs(si, OID.signingCertificate).length > 0;
    c.fail(
      id,
      `${v.error}${v1 ? ' (only the SHA-1 signingCertificate v1 is present)' : ''}`,
      '署名証明書属性（signingCertificateV2）がないか不正です',
    );
    return;
  }
  const buf = v.attr.raw;
  // The value TLV offsets refer to the whole CMS buffer; re-decode the attribute on its own.
  let value: Tlv;
  try {
    const a = decode(buf).root;
    value = (a.children[1] as Tlv).children[0] as Tlv;
  } catch (e) {
    c.fail(id, `signingCertificateV2 cannot be read: ${(e as Error).message}`, '署名証明書属性を読み取れません');
    return;
  }
  try {
    const sc = expectUniversal(value, TAG.SEQUENCE, 'SigningCertificateV2');
    const certs = expectUniversal(child(sc, 0, 'certs'), TAG.SEQUENCE, 'certs');
    const first = expectUniversal(child(certs, 0, 'ESSCertIDv2'), TAG.SEQUENCE, 'ESSCertIDv2');
    let i = 0;
    const notes: string[] = [];
    if (isUniversal(first.children[0], TAG.SEQUENCE)) {
      const alg = parseAlgorithmId(buf, first.children[0] as Tlv);
      if (alg.oid !== OID.sha256) {
        c.fail(
          id,
          `signingCertificateV2 uses hash ${alg.oid}; only SHA-256 is accepted`,
          '署名証明書属性のハッシュがSHA-256ではありません',
        );
        return;
      }
      notes.push('hashAlgorithm present although DER omits the default');
      i = 1;
    }
    const certHash = octets(buf, expectUniversal(first.children[i], TAG.OCTET_STRING, 'certHash'));
    const actual = sha256(signer.der);
    if (!bytesEqual(certHash, actual)) {
      c.fail(
        id,
        `signingCertificateV2 names a different certificate (certHash ${hex(certHash)}, signer certificate SHA-256 ${hex(actual)})`,
        '署名証明書属性のハッシュが署名者の証明書と一致しません（証明書が差し替えられています）',
      );
    }
    const is_ = first.children[i + 1];
    if (is_) {
      const issuerSerial = expectUniversal(is_, TAG.SEQUENCE, 'IssuerSerial');
      const names = expectUniversal(child(issuerSerial, 0, 'issuer GeneralNames'), TAG.SEQUENCE, 'GeneralNames');
      const serial = integerBytes(buf, child(issuerSerial, 1, 'serialNumber'));
      const dirNames = names.children
        .filter((n) => is(n, CLASS_CONTEXT, 4, true))
        .map((n) => whole(buf, child(n, 0, 'Name')));
      if (!dirNames.some((n) => bytesEqual(n, signer.issuer)) || !bytesEqual(serial, signer.serial)) {
        c.fail(
          id,
          'signingCertificateV2 issuerSerial does not match the signer certificate',
          '署名証明書属性の発行者・シリアル番号が署名者の証明書と一致しません',
        );
      }
    } else {
      notes.push('no issuerSerial');
    }
    if (first.children.length > i + 2) throw new Asn1Error('ESSCertIDv2 has extra fields', first.start);
    if (certs.children.length > 1) notes.push(`${certs.children.length - 1} further ESSCertIDv2 entries ignored`);
    c.pass(id, ['certHash matches the signer certificate', ...notes].join(', '));
  } catch (e) {
    c.fail(id, `signingCertificateV2 is malformed: ${(e as Error).message}`, '署名証明書属性の形式が不正です');
  }
}

/**
 * Verifies a DER CMS SignedData (attached, or detached with `content`). Never throws for bad
 * input: every problem is a failed check in the result.
 */
export async function verifyCms(der: Uint8Array, options: CmsVerifyOptions): Promise<CmsVerificationResult> {
  return (await verifyCmsDetailed(der, options)).result;
}

export interface DetailedCmsVerification {
  result: CmsVerificationResult;
  /**
   * The DER of the certificate the signature was verified with, whenever the signer certificate
   * was found — so that a caller keying on the signer (the portal intake) uses exactly the
   * certificate that was checked instead of parsing the signature a second time.
   */
  signerCertificate?: Uint8Array;
}

/** verifyCms, plus the signer certificate's bytes. */
export async function verifyCmsDetailed(der: Uint8Array, options: CmsVerifyOptions): Promise<DetailedCmsVerification> {
  try {
    return await verifyCmsUnguarded(der, options);
  } catch (e) {
    return { result: internalErrorResult(CMS_CHECKS, 'cms-structure', e) };
  }
}

async function verifyCmsUnguarded(der: Uint8Array, options: CmsVerifyOptions): Promise<DetailedCmsVerification> {
  const now = options.now ?? new Date();
  const c = new CheckCollector<CmsCheckId>(CMS_CHECKS, ['revocation']);
  const result = (extra: Partial<CmsVerificationResult> = {}): CmsVerificationResult => ({
    valid: c.valid(),
    failures: c.failures,
    checks: c.outcomes(),
    ...extra,
  });

  let cms: ParsedCms;
  try {
    cms = parseCms(der);
  } catch (e) {
    const why = e instanceof Asn1Error || e instanceof CmsFormatError ? e.message : String(e);
    c.fail('cms-structure', `not a CMS SignedData: ${why}`, 'CMS SignedData として解釈できません');
    c.skipRest('skipped: the signature could not be parsed');
    return { result: result() };
  }

  // ---- cms-structure
  const structure = 'cms-structure';
  if (cms.derProblems.length > 0) {
    const shown = cms.derProblems
      .slice(0, 3)
      .map((p) => `${p.message} at byte ${p.offset}`)
      .join('; ');
    c.fail(structure, `the SignedData is not DER: ${shown}`, 'SignedData がDERで符号化されていません');
  }
  if (cms.signerInfos.length !== 1) {
    c.fail(
      structure,
      `the SignedData has ${cms.signerInfos.length} SignerInfos; exactly one is required`,
      `SignerInfo が${cms.signerInfos.length}個あります（1個である必要があります）`,
    );
  }
  const si = cms.signerInfos[0];
  if (!si) {
    c.skipRest('skipped: no SignerInfo');
    return { result: result() };
  }
  const expectedSiVersion = si.sid.kind === 'issuerAndSerialNumber' ? 1 : 3;
  if (si.version !== expectedSiVersion) {
    c.fail(
      structure,
      `SignerInfo version ${si.version} does not match its signer identifier (expected ${expectedSiVersion})`,
      'SignerInfo のバージョンが署名者識別子と整合しません',
    );
  }
  if (cms.version !== 1 && cms.version !== 3) {
    c.fail(
      structure,
      `SignedData version ${cms.version} is not accepted (1 or 3)`,
      `SignedData のバージョン${cms.version}には対応していません`,
    );
  }
  if (!cms.digestAlgorithms.some((a) => a.oid === si.digestAlgorithm.oid)) {
    c.fail(
      structure,
      'the SignerInfo digest algorithm is not listed in SignedData.digestAlgorithms',
      'SignerInfo のダイジェストアルゴリズムが SignedData に記載されていません',
    );
  }
  cms.certificates.forEach((e, i) => {
    if (e.error)
      c.fail(
        structure,
        `embedded certificate #${i + 1} cannot be read: ${e.error}`,
        `同梱証明書 #${i + 1} を読み取れません`,
      );
  });
  const signer = findSigner(cms, si);
  if (!signer) {
    c.fail(
      structure,
      'the signer certificate named by the SignerInfo is not embedded in the SignedData',
      'SignerInfo が示す署名者の証明書が同梱されていません',
    );
  }
  const content = cms.eContent ?? options.content;
  if (!content) {
    c.fail(
      structure,
      'the signature is detached and no content was given to check it against',
      '分離署名ですが、検証対象のデータが与えられていません',
    );
  }
  c.pass(
    structure,
    `SignedData v${cms.version}, ${cms.signerInfos.length} SignerInfo, ${cms.certificates.length} certificate(s), ${cms.eContent ? 'attached' : 'detached'} content, DER`,
  );

  // ---- content-type
  if (cms.eContentType !== OID.data) {
    c.fail(
      'content-type',
      `the encapsulated content type is ${cms.eContentType}, not id-data`,
      'カプセル化されたコンテンツタイプが id-data ではありません',
    );
  }
  const ct = singleValue(si, OID.contentType);
  if ('error' in ct) c.fail('content-type', ct.error, '署名属性 contentType がないか不正です');
  else {
    let value: string | undefined;
    try {
      value = oid(der, ct.value);
    } catch {
      c.fail(
        'content-type',
        'the contentType attribute value is not an OBJECT IDENTIFIER',
        '署名属性 contentType の値が不正です',
      );
    }
    if (value !== undefined && value !== cms.eContentType) {
      c.fail(
        'content-type',
        `the contentType attribute (${value}) differs from the encapsulated content type (${cms.eContentType})`,
        '署名属性 contentType とカプセル化されたコンテンツタイプが一致しません',
      );
    }
  }
  c.pass('content-type', 'id-data, matching the contentType signed attribute');

  // ---- message-digest
  const md = 'message-digest';
  if (si.digestAlgorithm.oid !== OID.sha256 || !nullOrAbsentParams(si.digestAlgorithm)) {
    c.fail(
      md,
      `the digest algorithm ${si.digestAlgorithm.oid} is not accepted (SHA-256 only)`,
      'ダイジェストアルゴリズムがSHA-256ではありません',
    );
  } else if (!content) {
    c.notChecked(md, 'no content to hash');
  } else {
    if (cms.eContent && options.content && !bytesEqual(cms.eContent, options.content)) {
      c.fail(
        md,
        'the content given differs from the content encapsulated in the signature',
        '与えられたデータが署名に含まれるデータと異なります',
      );
    }
    const mdv = singleValue(si, OID.messageDigest);
    if ('error' in mdv) c.fail(md, mdv.error, '署名属性 messageDigest がないか不正です');
    else {
      const digest = sha256(content);
      let claimed: Uint8Array | undefined;
      try {
        claimed = octets(der, mdv.value);
      } catch {
        c.fail(md, 'the messageDigest attribute is not an OCTET STRING', '署名属性 messageDigest の値が不正です');
      }
      if (claimed && !bytesEqual(claimed, digest)) {
        c.fail(
          md,
          `the SHA-256 of the content (${hex(digest)}) does not match the messageDigest attribute (${hex(claimed)}): the content was changed after signing`,
          '内容のSHA-256が署名属性 messageDigest と一致しません（署名後に内容が変更されています）',
        );
      }
      c.pass(md, `SHA-256 ${hex(digest)} over ${content.length} bytes`);
    }
  }

  // ---- signed-attributes-der
  checkSignedAttrsDer(c, si);

  // ---- signingTime (used by chain, validity)
  let signingTime: Date | undefined;
  let signingTimeProblem: string | undefined;
  const st = singleValue(si, OID.signingTime);
  if ('error' in st) {
    if (attrs(si, OID.signingTime).length > 0) signingTimeProblem = st.error;
  } else {
    try {
      signingTime = time(der, st.value);
    } catch (e) {
      signingTimeProblem = `the signingTime attribute is malformed: ${(e as Error).message}`;
    }
  }

  if (!signer) {
    c.skipRest('skipped: the signer certificate is not available');
    return { result: result(cms.eContent ? { content: cms.eContent } : {}) };
  }

  // ---- signature
  const sig = 'signature';
  const alg = si.signatureAlgorithm;
  const algOk =
    (alg.oid === OID.sha256WithRSAEncryption ||
      (alg.oid === OID.rsaEncryption && si.digestAlgorithm.oid === OID.sha256)) &&
    nullOrAbsentParams(alg);
  const key = rsaPublicKey(signer.spki);
  if (!algOk) {
    c.fail(
      sig,
      `the signature algorithm ${alg.oid} is not accepted (sha256WithRSAEncryption)`,
      '署名アルゴリズムが sha256WithRSAEncryption ではありません',
    );
  } else if ('error' in key) {
    c.fail(
      sig,
      `the signer certificate's key is not acceptable: ${key.error}`,
      '署名者の証明書の公開鍵が受け付けられません',
    );
  } else {
    let tbs: Uint8Array | undefined;
    if (si.signedAttrs) {
      tbs = new Uint8Array(si.signedAttrs.raw);
      tbs[0] = 0x31; // RFC 5652 §5.4: the signature covers the SET OF encoding (signing.md §1.2)
    } else {
      tbs = content;
    }
    if (!tbs) c.notChecked(sig, 'nothing to verify the signature over');
    else {
      const ok = cryptoVerify('sha256', tbs, { key: key.key, padding: constants.RSA_PKCS1_PADDING }, si.signature);
      if (!ok) {
        c.fail(
          sig,
          "the signature value does not verify with the signer certificate's public key",
          '署名値が署名者の証明書の公開鍵で検証できません（署名の改ざん、または証明書の差し替え）',
        );
      } else {
        const bits = key.key.asymmetricKeyDetails?.modulusLength;
        c.pass(
          sig,
          `RSA PKCS#1 v1.5 with SHA-256 over the ${si.signedAttrs ? 'signed attributes' : 'content'}, ${bits}-bit key`,
        );
      }
    }
  }

  // ---- chain
  const trust = parseTrust(options.trustAnchors, options.crls);
  for (const e of trust.anchorErrors)
    c.fail('chain', `a trust anchor cannot be read: ${e}`, 'トラストアンカーを読み取れません');
  const intermediates = cms.certificates.flatMap((e) => (e.cert && e.cert !== signer ? [e.cert] : []));
  const chainAt = signingTime ?? now;
  const chain = await validateChain(signer, intermediates, trust.anchors, chainAt);
  if (chain.ok) {
    c.pass(
      'chain',
      `${chain.path.map((p) => p.subjectText).join(' → ')} (trusted), path checked at ${chain.checkedAt.toISOString()}`,
    );
  } else {
    c.fail('chain', chain.reason, chain.reasonJa);
  }
  const path = chain.ok ? chain.path : [signer];
  const trustedIssuer = chain.ok ? chain.path[1] : trust.anchors.find((a) => bytesEqual(a.subject, signer.issuer));

  // ---- validity
  if (signingTimeProblem) c.fail('validity', signingTimeProblem, '署名時刻（signingTime）属性が不正です');
  if (signingTime && signingTime.getTime() > now.getTime() + SIGNING_TIME_SKEW_MS) {
    c.fail(
      'validity',
      `the signing time ${signingTime.toISOString()} is in the future`,
      `署名時刻（${signingTime.toISOString()}）が未来の日時です`,
    );
  }
  const v = certValidity(path, signingTime ?? now, now, signingTime ? 'signing time' : 'now');
  apply(c, 'validity', v);
  if (!signingTime && !signingTimeProblem)
    c.pass('validity', 'no signingTime attribute: checked at verification time only');

  // ---- key-usage
  apply(c, 'key-usage', keyUsageFinding(signer, ['nonRepudiation', 'digitalSignature']));

  // ---- policy
  if (trustedIssuer)
    apply(c, 'policy', policyFinding(signer, trustedIssuer, options.requiredPolicy ?? OID.jpkiSignPolicy));
  else c.notChecked('policy', 'skipped: the issuing CA is not trusted');

  // ---- signing-certificate
  checkSigningCertificate(c, si, signer);

  // ---- revocation
  const revocationPath = chain.ok ? chain.path : trustedIssuer ? [signer, trustedIssuer] : [signer];
  const rev = checkRevocation(revocationPath, trust.crls, now, trust.crlErrors);
  for (const f of rev.failures) c.fail('revocation', f.message, f.messageJa);
  if (rev.status === 'pass') c.pass('revocation', rev.details.join('; '));
  else if (rev.status === 'not-checked') c.notChecked('revocation', rev.details.join('; ') || 'no CRL given');
  else for (const d of rev.details) c.note('revocation', d);

  const out = result({ signer: summarize(signer) });
  if (signingTime) out.signingTime = signingTime.toISOString();
  if (cms.eContent) out.content = cms.eContent;
  return { result: out, signerCertificate: signer.der };
}
