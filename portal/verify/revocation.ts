/**
 * Revocation against the CRLs the verifier holds (JPKI revocation data is only for registered
 * verifiers — signing.md §2.2 — so a municipality supplies it; the app never does this).
 *
 * A CRL counts only when its issuer name equals the certificate's issuer, its signature
 * verifies under that issuer's (trusted) certificate, the issuer may sign CRLs, it is current
 * (thisUpdate ≤ now < nextUpdate) and it has no critical extension we do not process. Any
 * listing of the serial means revoked, whatever the revocation date. Given CRLs for the issuer
 * that are all unusable is a failure (fail closed); no CRL for the issuer at all is "not checked".
 */
import { bytesEqual, integerHex } from './der.ts';
import { OID } from './oids.ts';
import { keyUsage, type ParsedCertificate, type ParsedCrl, verifyIssuedSignature } from './x509.ts';

export interface RevocationOutcome {
  status: 'pass' | 'fail' | 'not-checked';
  details: string[];
  failures: { message: string; messageJa: string }[];
  /** Set when the end-entity certificate is on a CRL. */
  revoked?: { serialNumber: string; revocationDate: string; reason?: string };
}

const PROCESSED_CRL_EXTENSIONS = new Set<string>([OID.crlNumber, OID.authorityKeyIdentifier]);

/**
 * The CRL signature verdict per parsed CRL and issuer key: the verifier's CRLs are parsed once
 * (trust.ts) and the verdict is a pure function of the CRL's bytes and the key, so it is
 * computed once per pair instead of once per verification.
 */
const signatureVerdicts = new WeakMap<ParsedCrl, Map<string, ReturnType<typeof verifyIssuedSignature>>>();

function crlSignature(crl: ParsedCrl, issuer: ParsedCertificate): ReturnType<typeof verifyIssuedSignature> {
  const k = Buffer.from(issuer.spki.buffer, issuer.spki.byteOffset, issuer.spki.byteLength).toString('latin1');
  let byKey = signatureVerdicts.get(crl);
  const hit = byKey?.get(k);
  if (hit) return hit;
  const v = verifyIssuedSignature(crl.signatureAlgorithm, crl.tbs, crl.signatureValue, issuer.spki);
  if (!byKey) {
    byKey = new Map();
    signatureVerdicts.set(crl, byKey);
  }
  if (byKey.size >= 16) byKey.clear();
  byKey.set(k, v);
  return v;
}

function crlProblems(crl: ParsedCrl, issuer: ParsedCertificate, now: Date): string[] {
  const out: string[] = [];
  const sig = crlSignature(crl, issuer);
  if (!sig.ok) out.push(`signature invalid (${sig.reason})`);
  let ku: ReturnType<typeof keyUsage>;
  try {
    ku = keyUsage(issuer);
  } catch {
    out.push('issuer keyUsage unreadable');
  }
  if (ku && !ku.has('cRLSign')) out.push('the issuer certificate may not sign CRLs (no cRLSign)');
  if (crl.thisUpdate > now) out.push(`not yet valid (thisUpdate ${crl.thisUpdate.toISOString()})`);
  if (!crl.nextUpdate) out.push('no nextUpdate');
  else if (now >= crl.nextUpdate) out.push(`stale (nextUpdate ${crl.nextUpdate.toISOString()})`);
  for (const [id, e] of crl.extensions) {
    if (e.critical && !PROCESSED_CRL_EXTENSIONS.has(id)) out.push(`unsupported critical extension ${id}`);
  }
  for (const r of crl.revoked) {
    if (r.unknownCritical.length > 0) {
      out.push(`unsupported critical entry extension ${r.unknownCritical.join(', ')}`);
      break;
    }
  }
  return out;
}

/**
 * `path`: end entity first, trust anchor last (the anchor itself is not checked). When the chain
 * could not be built, pass `[leaf, trustedIssuer]` if a trusted issuer is known, or `[leaf]`.
 */
export function checkRevocation(
  path: ParsedCertificate[],
  crls: ParsedCrl[],
  now: Date,
  unreadableCrls: string[] = [],
  leafLabel: { en: string; ja: string } = { en: 'the signer certificate', ja: '署名者の証明書' },
): RevocationOutcome {
  const out: RevocationOutcome = { status: 'pass', details: [], failures: [] };
  for (const u of unreadableCrls) {
    out.failures.push({
      message: `a CRL given to the verifier cannot be read: ${u}`,
      messageJa: '与えられたCRLを読み取れません',
    });
  }
  const leaf = path[0];
  if (!leaf) return { ...out, status: 'not-checked', details: ['no certificate'] };
  let leafChecked = false;
  for (let i = 0; i < Math.max(1, path.length - 1); i++) {
    const cert = path[i] as ParsedCertificate;
    const issuer = path[i + 1];
    const who = i === 0 ? leafLabel.en : `CA certificate ${cert.subjectText}`;
    const whoJa = i === 0 ? leafLabel.ja : 'CA証明書';
    const candidates = crls.filter((c) => bytesEqual(c.issuer, cert.issuer));
    if (candidates.length === 0) {
      out.details.push(`${who}: no CRL from ${cert.issuerText} was given — revocation not checked`);
      continue;
    }
    if (!issuer) {
      out.details.push(
        `${who}: its issuer is not trusted, so its CRL cannot be authenticated — revocation not checked`,
      );
      continue;
    }
    const usable: ParsedCrl[] = [];
    const reasons: string[] = [];
    for (const crl of candidates) {
      const p = crlProblems(crl, issuer, now);
      if (p.length === 0) usable.push(crl);
      else reasons.push(p.join(', '));
    }
    if (usable.length === 0) {
      out.failures.push({
        message: `${who}: the CRL from ${cert.issuerText} cannot be used: ${reasons.join('; ')}`,
        messageJa: `${whoJa}の失効確認に使えるCRLがありません（署名不正・期限切れ等）`,
      });
      if (i === 0) leafChecked = true;
      continue;
    }
    if (i === 0) leafChecked = true;
    const serial = integerHex(cert.serial);
    const hit = usable.flatMap((c) => c.revoked).find((r) => integerHex(r.serial) === serial);
    if (hit) {
      const date = hit.revocationDate.toISOString();
      out.failures.push({
        message: `${who} (serial ${serial}) was revoked on ${date}${hit.reason ? ` (reason: ${hit.reason})` : ''}`,
        messageJa: `${whoJa}（シリアル番号 ${serial}）は${date}に失効しています${hit.reason ? `（理由：${hit.reason}）` : ''}`,
      });
      if (i === 0) {
        out.revoked = { serialNumber: serial, revocationDate: date };
        if (hit.reason) out.revoked.reason = hit.reason;
      }
    } else {
      const crl = usable[0] as ParsedCrl;
      out.details.push(
        `${who} (serial ${serial}) is not on the CRL from ${cert.issuerText} (thisUpdate ${crl.thisUpdate.toISOString()}, nextUpdate ${crl.nextUpdate?.toISOString()})`,
      );
    }
  }
  if (out.failures.length > 0) out.status = 'fail';
  else if (!leafChecked) out.status = 'not-checked';
  return out;
}
