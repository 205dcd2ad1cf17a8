/**
 * Certification path from an end-entity certificate to a trust anchor:
 * - built by our own search (issuer name, key identifiers, RSA signature of each certificate,
 *   ending at a certificate byte-identical to a configured anchor), with our own CA checks
 *   (basicConstraints cA and pathLenConstraint, keyCertSign);
 * - and validated a second time by PKI.js's CertificateChainValidationEngine (signatures, name
 *   chaining, CA flags, unparseable critical extensions, RFC 5280 policy processing). Both must
 *   agree. PKI.js is slow (≈20 ms per path), so its verdict is cached per certificate set.
 *
 * Revocation is NOT done here: no CRLs are handed to the engine (it then treats every
 * certificate as unrevoked, signing.md §2.2) — revocation.ts reports it as its own check.
 * Dates are not judged here either: `validity` reports the dates of every certificate.
 */
import { createHash, verify as cryptoVerify, KeyObject, constants as rsa, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesEqual, decodeInner, octets } from './der.ts';
import { OID } from './oids.ts';
import { basicConstraints, keyUsage, type ParsedCertificate, verifyIssuedSignature } from './x509.ts';

export type ChainOutcome =
  | { ok: true; path: ParsedCertificate[]; checkedAt: Date }
  | { ok: false; reason: string; reasonJa: string };

type Fail = Extract<ChainOutcome, { ok: false }>;

const MAX_PATH = 6;
const fail = (reason: string, reasonJa: string): Fail => ({ ok: false, reason, reasonJa });
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A small bounded cache (insertion order eviction). */
class Bounded<V> {
  readonly #max: number;
  readonly #map = new Map<string, V>();
  constructor(max: number) {
    this.#max = max;
  }
  get(k: string): V | undefined {
    return this.#map.get(k);
  }
  set(k: string, v: V): void {
    if (this.#map.size >= this.#max) this.#map.delete(this.#map.keys().next().value as string);
    this.#map.set(k, v);
  }
}

const RSA_PKCS1_SIGNATURES = new Set<string>([
  OID.sha256WithRSAEncryption,
  OID.sha384WithRSAEncryption,
  OID.sha512WithRSAEncryption,
]);

const NODE_HASHES: Record<string, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const view = (b: BufferSource) =>
  ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);

/**
 * PKI.js's engine, with two memos and one shortcut that change no verdict, only repeated work:
 * - the CryptoKey imported from a PublicKeyInfo object (PKI.js re-encodes the SPKI, re-parses
 *   it with asn1js and imports it on every signature check — the trust anchor's key twice per
 *   path: for the leaf's signature and for its own self-signature);
 * - the verdict of a PKCS#1 v1.5 signature check over exactly the same data, signature, key and
 *   algorithm (a pure function of those bytes — e.g. the anchor's self-signature);
 *   both memos are keyed by the PublicKeyInfo object (the parsed CA certificates are kept in
 *   `pkijsCertificates`, so a trust anchor keeps the same object), hence nothing outlives the
 *   certificates it is for;
 * - RSASSA-PKCS1-v1_5 verification itself (the SubtleCrypto call PKI.js makes after its own key
 *   import and algorithm mapping) done synchronously by node:crypto — the same OpenSSL
 *   operation with the key PKI.js imported and that key's hash, which is what WebCrypto does —
 *   because WebCrypto runs it on the libuv threadpool, and on one core that round trip (a
 *   thread switch each way) cost several times the RSA operation.
 */
class MemoCryptoEngine extends pkijs.CryptoEngine {
  readonly #keys = new WeakMap<pkijs.PublicKeyInfo, Map<string, CryptoKey>>();
  readonly #verdicts = new WeakMap<pkijs.PublicKeyInfo, Bounded<boolean>>();
  readonly #keyObjects = new WeakMap<CryptoKey, KeyObject>();

  override async getPublicKey(
    publicKeyInfo: pkijs.PublicKeyInfo,
    signatureAlgorithm: pkijs.AlgorithmIdentifier,
    parameters?: pkijs.CryptoEnginePublicKeyParams,
  ): Promise<CryptoKey> {
    const params = parameters ?? this.fillPublicKeyParameters(publicKeyInfo, signatureAlgorithm);
    const k = JSON.stringify([params.algorithm.algorithm, params.algorithm.usages]);
    let byAlg = this.#keys.get(publicKeyInfo);
    const hit = byAlg?.get(k);
    if (hit) return hit;
    const key = await super.getPublicKey(publicKeyInfo, signatureAlgorithm, params);
    if (!byAlg) {
      byAlg = new Map();
      this.#keys.set(publicKeyInfo, byAlg);
    }
    byAlg.set(k, key);
    return key;
  }

  override async verifyWithPublicKey(
    data: BufferSource,
    signature: Parameters<pkijs.CryptoEngine['verifyWithPublicKey']>[1],
    publicKeyInfo: pkijs.PublicKeyInfo,
    signatureAlgorithm: pkijs.AlgorithmIdentifier,
    shaAlgorithm?: string,
  ): Promise<boolean> {
    if (!RSA_PKCS1_SIGNATURES.has(signatureAlgorithm.algorithmId))
      return super.verifyWithPublicKey(data, signature, publicKeyInfo, signatureAlgorithm, shaAlgorithm);
    const k = [
      signatureAlgorithm.algorithmId,
      shaAlgorithm ?? '',
      sha(view(data)),
      sha(signature.valueBlock.valueHexView),
    ].join(',');
    let memo = this.#verdicts.get(publicKeyInfo);
    const hit = memo?.get(k);
    if (hit !== undefined) return hit;
    const ok = await super.verifyWithPublicKey(data, signature, publicKeyInfo, signatureAlgorithm, shaAlgorithm);
    if (!memo) {
      memo = new Bounded<boolean>(64);
      this.#verdicts.set(publicKeyInfo, memo);
    }
    memo.set(k, ok);
    return ok;
  }

  override async verify(
    algorithm: Parameters<pkijs.CryptoEngine['verify']>[0],
    key: CryptoKey,
    signature: BufferSource,
    data: BufferSource,
  ): Promise<boolean> {
    const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
    const hash = NODE_HASHES[(key.algorithm as RsaHashedKeyAlgorithm).hash?.name];
    // Anything WebCrypto would treat otherwise (another algorithm, a key not for verifying) goes to it.
    if (name !== 'RSASSA-PKCS1-v1_5' || key.algorithm.name !== name || !hash)
      return super.verify(algorithm, key, signature, data);
    if (key.type !== 'public' || !key.usages.includes('verify')) return super.verify(algorithm, key, signature, data);
    let k = this.#keyObjects.get(key);
    if (!k) {
      k = KeyObject.from(key);
      this.#keyObjects.set(key, k);
    }
    return cryptoVerify(hash, view(data), { key: k, padding: rsa.RSA_PKCS1_PADDING }, view(signature));
  }
}

// Our own engine instance, passed explicitly: no global setEngine(), so the app's signer and
// this verifier never share or overwrite each other's crypto set-up (signing.md §6.3).
const ENGINE = new MemoCryptoEngine({ name: 'myna-portal-verify', crypto: webcrypto as unknown as Crypto });

function keyIdentifier(cert: ParsedCertificate, which: 'ski' | 'aki'): string | undefined {
  try {
    if (which === 'ski') {
      const e = cert.extensions.get(OID.subjectKeyIdentifier);
      return e ? Buffer.from(octets(e.value, decodeInner(e.value))).toString('hex') : undefined;
    }
    const e = cert.extensions.get(OID.authorityKeyIdentifier);
    if (!e) return undefined;
    const t = decodeInner(e.value);
    const k = t.children.find((c) => c.cls === 2 && c.tag === 0 && !c.constructed);
    return k ? Buffer.from(e.value.subarray(k.valueStart, k.valueEnd)).toString('hex') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Our own path search (depth-first, issuer name + key identifier + signature), ending at a
 * certificate byte-identical to a trust anchor. Anchors are preferred over embedded copies.
 */
function buildPath(
  leaf: ParsedCertificate,
  intermediates: ParsedCertificate[],
  anchors: ParsedCertificate[],
): ParsedCertificate[] | Fail {
  let lastReason = fail(
    `no certificate among the trust anchors or the embedded certificates issued the signer certificate (issuer ${leaf.issuerText})`,
    '信頼するCAまでの証明書パスを構築できません（発行者が信頼されていません）',
  );
  const isAnchor = (c: ParsedCertificate) => anchors.some((a) => bytesEqual(a.der, c.der));
  const walk = (path: ParsedCertificate[]): ParsedCertificate[] | undefined => {
    const cert = path[path.length - 1] as ParsedCertificate;
    if (path.length > 1 && isAnchor(cert)) return path;
    if (path.length >= MAX_PATH) return undefined;
    const aki = keyIdentifier(cert, 'aki');
    for (const cand of [...anchors, ...intermediates]) {
      if (path.includes(cand) || !bytesEqual(cand.subject, cert.issuer)) continue;
      const ski = keyIdentifier(cand, 'ski');
      if (aki && ski && aki !== ski) continue;
      const sig = verifyIssuedSignature(cert.signatureAlgorithm, cert.tbs, cert.signatureValue, cand.spki);
      if (!sig.ok) {
        lastReason = fail(
          `the certificate ${cert.subjectText} is not signed by ${cand.subjectText}: ${sig.reason}`,
          '証明書の署名を発行者の鍵で検証できません（信頼されていないCAによる発行）',
        );
        continue;
      }
      const found = walk([...path, cand]);
      if (found) return found;
    }
    return undefined;
  };
  return walk([leaf]) ?? lastReason;
}

/**
 * PKI.js's own reading of a certificate (the second opinion starts from the bytes, not from our
 * parse). `parseEmbedded: false`: by default asn1js also tries to decode the contents of every
 * OCTET STRING and BIT STRING as BER, in case something is nested there — the signature value,
 * the public key, every extnValue — which is ~40% of the parse, and PKI.js never uses the result:
 * it decodes extension values (Extension.parsedValue) and keys (PublicKeyInfo.parsedKey, the
 * key import) itself, from those same bytes. The verdicts are the same; only the work differs.
 */
function parsePkijs(der: Uint8Array): pkijs.Certificate {
  const asn1 = asn1js.fromBER(der, { parseEmbedded: false });
  if (asn1.offset === -1) throw new Error(`the certificate is not BER: ${asn1.result.error}`);
  return new pkijs.Certificate({ schema: asn1.result });
}

/**
 * Trust anchors (and embedded CA certificates) recur in every verification: their PKI.js objects
 * are kept, so that they are parsed once and MemoCryptoEngine's per-PublicKeyInfo memos (the
 * imported key, the self-signature verdict) are hit. The signer's own certificate is parsed
 * afresh: it is only needed when its set's verdict is not cached yet, so keeping its (large)
 * asn1js tree would only add to the old generation the garbage collector has to walk.
 */
const pkijsCertificates = new Bounded<pkijs.Certificate>(256);
const pkijsVerdicts = new Bounded<Fail | true>(1024);

/**
 * PKI.js decodes an extension's value lazily (Extension.parsedValue), from the extnValue bytes
 * alone, and the engine needs the leaf's AuthorityKeyIdentifier (to find its issuer), its
 * certificatePolicies (policy processing) and every critical one. Those are the issuing CA's
 * profile, byte for byte the same in every certificate it issues — the AuthorityKeyIdentifier
 * is the CA's own key identifier — yet decoding them was a third of the engine's time for a new
 * signer (asn1js builds the full GeneralName schema for every AuthorityKeyIdentifier). So
 * PKI.js's own decoding of such a value is kept per (extension, exact bytes) and handed to the
 * next certificate carrying the very same bytes. A decoding depends on those bytes only and the
 * engine only reads it, so every verdict stays exactly what it was; values that differ per
 * certificate (subjectKeyIdentifier, subjectAltName, …) are not kept.
 */
const CA_PROFILE_EXTENSIONS = new Set<string>([
  OID.authorityKeyIdentifier,
  OID.certificatePolicies,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.basicConstraints,
]);
const decodedExtensions = new Bounded<NonNullable<pkijs.Extension['parsedValue']>>(64);

function shareCaProfileExtensions(cert: pkijs.Certificate): void {
  for (const e of cert.extensions ?? []) {
    if (!CA_PROFILE_EXTENSIONS.has(e.extnID)) continue;
    const v = e.extnValue.valueBlock.valueHexView;
    const k = `${e.extnID} ${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1')}`;
    const known = decodedExtensions.get(k);
    if (known) {
      e.parsedValue = known;
      continue;
    }
    const decoded = e.parsedValue; // PKI.js decodes it now (and keeps it on `e`)
    if (decoded) decodedExtensions.set(k, decoded);
  }
}

function toPkijs(c: ParsedCertificate, keep = true): pkijs.Certificate {
  if (!keep) {
    const leaf = parsePkijs(c.der);
    shareCaProfileExtensions(leaf);
    return leaf;
  }
  const k = sha(c.der);
  let p = pkijsCertificates.get(k);
  if (!p) {
    p = parsePkijs(c.der);
    pkijsCertificates.set(k, p);
  }
  return p;
}

/**
 * The same path validated by PKI.js's CertificateChainValidationEngine, as a second opinion
 * (signatures, name chaining, CA flags, critical extensions, RFC 5280 policy processing).
 * Its verdict depends only on the certificates and the date handed to it, which is chosen
 * inside the validity of every certificate of our path — so it is cached per certificate set.
 */
async function pkijsVerdict(
  leaf: ParsedCertificate,
  intermediates: ParsedCertificate[],
  anchors: ParsedCertificate[],
  date: Date,
): Promise<Fail | true> {
  const key = [
    sha(leaf.der),
    ...intermediates.map((c) => sha(c.der)).sort(),
    '|',
    ...anchors.map((c) => sha(c.der)),
    date.toISOString(),
  ].join(',');
  const cached = pkijsVerdicts.get(key);
  if (cached) return cached;
  let verdict: Fail | true;
  try {
    const engine = new pkijs.CertificateChainValidationEngine({
      trustedCerts: anchors.map((c) => toPkijs(c)),
      // The engine treats the LAST certificate as the one to validate.
      certs: [
        ...intermediates.filter((c) => !bytesEqual(c.der, leaf.der)).map((c) => toPkijs(c)),
        toPkijs(leaf, false),
      ],
      checkDate: date,
    });
    const r = await engine.verify({}, ENGINE);
    verdict = r.result
      ? true
      : fail(
          `PKI.js finds no valid path to a trusted CA: ${r.resultMessage}`,
          '信頼するCAまでの証明書パスを検証できません',
        );
  } catch (e) {
    verdict = fail(`PKI.js path validation failed: ${(e as Error).message}`, '証明書パスの検証に失敗しました');
  }
  pkijsVerdicts.set(key, verdict);
  return verdict;
}

/**
 * Path from `leaf` to one of `anchors`, using `intermediates` (e.g. the certificates embedded in
 * the CMS). Dates are the validity check's business: the path is checked at `at` clamped into
 * the common validity of its certificates (or of the leaf), so that an expired certificate is
 * reported once, by `validity`, and not also as a broken chain.
 */
export async function validateChain(
  leaf: ParsedCertificate,
  intermediates: ParsedCertificate[],
  anchors: ParsedCertificate[],
  at: Date,
): Promise<ChainOutcome> {
  if (anchors.length === 0)
    return fail('no trust anchors are configured', 'トラストアンカー（信頼するCA）が設定されていません');
  const path = buildPath(leaf, intermediates, anchors);
  if (!Array.isArray(path)) return path;
  // Our own CA checks for every issuer in the path (RFC 5280 §4.2.1.9, §4.2.1.3).
  for (let i = 1; i < path.length; i++) {
    const ca = path[i] as ParsedCertificate;
    let bc: ReturnType<typeof basicConstraints>;
    let ku: ReturnType<typeof keyUsage>;
    try {
      bc = basicConstraints(ca);
      ku = keyUsage(ca);
    } catch (e) {
      return fail(`CA ${ca.subjectText}: ${(e as Error).message}`, 'CA証明書の拡張を読めません');
    }
    if (!bc?.ca) {
      return fail(
        `issuer ${ca.subjectText} is not a CA (basicConstraints cA is not set)`,
        '発行者の証明書がCA証明書ではありません',
      );
    }
    if (ku && !ku.has('keyCertSign')) {
      return fail(
        `issuer ${ca.subjectText} may not sign certificates (no keyCertSign)`,
        '発行者の証明書に証明書署名（keyCertSign）の用途がありません',
      );
    }
    // Intermediate CAs below this one (JPKI has no self-issued intermediates).
    const below = i - 1;
    if (bc.pathLen !== undefined && below > bc.pathLen) {
      return fail(
        `issuer ${ca.subjectText} allows ${bc.pathLen} intermediate CAs below it, the path has ${below}`,
        'CA証明書のパス長制約を超えています',
      );
    }
  }
  const lo = new Date(Math.max(...path.map((c) => c.notBefore.getTime())));
  const hi = new Date(Math.min(...path.map((c) => c.notAfter.getTime())));
  const common = lo <= hi;
  const checkedAt = common ? clamp(at, lo, hi) : clamp(at, leaf.notBefore, leaf.notAfter);
  // PKI.js gets a date valid for every certificate of the path (the start of their common
  // window), so that its verdict is about structure only and can be cached per certificate set.
  const verdict = await pkijsVerdict(leaf, intermediates, anchors, common ? lo : checkedAt);
  if (verdict !== true) return verdict;
  return { ok: true, path, checkedAt };
}

function clamp(d: Date, lo: Date, hi: Date): Date {
  return d < lo ? lo : d > hi ? hi : d;
}
