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
import { createHash, webcrypto } from 'node:crypto';
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

/**
 * PKI.js's engine, with two memos that change no verdict, only repeated work:
 * - the CryptoKey imported from a PublicKeyInfo object (PKI.js re-encodes the SPKI, re-parses
 *   it with asn1js and imports it on every signature check — the trust anchor's key twice per
 *   path: for the leaf's signature and for its own self-signature);
 * - the verdict of a PKCS#1 v1.5 signature check over exactly the same data, signature, key and
 *   algorithm (a pure function of those bytes — e.g. the anchor's self-signature).
 * Keyed by the PublicKeyInfo object (the parsed certificates are cached in `pkijsCertificates`,
 * so a trust anchor keeps the same object), hence nothing outlives the certificates it is for.
 */
class MemoCryptoEngine extends pkijs.CryptoEngine {
  readonly #keys = new WeakMap<pkijs.PublicKeyInfo, Map<string, CryptoKey>>();
  readonly #verdicts = new WeakMap<pkijs.PublicKeyInfo, Bounded<boolean>>();

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
    const bytes = (b: BufferSource) =>
      ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);
    const k = [
      signatureAlgorithm.algorithmId,
      shaAlgorithm ?? '',
      sha(bytes(data)),
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

const pkijsCertificates = new Bounded<pkijs.Certificate>(256);
const pkijsVerdicts = new Bounded<Fail | true>(1024);

function toPkijs(c: ParsedCertificate): pkijs.Certificate {
  const k = sha(c.der);
  let p = pkijsCertificates.get(k);
  if (!p) {
    p = pkijs.Certificate.fromBER(new Uint8Array(c.der));
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
      trustedCerts: anchors.map(toPkijs),
      // The engine treats the LAST certificate as the one to validate.
      certs: [...intermediates.filter((c) => !bytesEqual(c.der, leaf.der)).map(toPkijs), toPkijs(leaf)],
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
