/**
 * Certificate checks shared by the CMS and the login verifiers: validity dates, keyUsage, the
 * JPKI policy OID, and the summary of a certificate for the result.
 */
import { jpkiAttributesOf } from './jpki-san.ts';
import type { SignerSummary } from './result.ts';
import { certificatePolicies, type KeyUsageName, keyUsage, type ParsedCertificate } from './x509.ts';

export interface Finding {
  ok: boolean;
  detail: string;
  failures: { message: string; messageJa: string }[];
}

const iso = (d: Date) => d.toISOString();

export interface Label {
  en: string;
  ja: string;
}

export const SIGNER_LABEL: Label = { en: 'the signer certificate', ja: '署名者の証明書' };
export const AUTH_LABEL: Label = { en: 'the auth certificate', ja: '利用者証明用電子証明書' };

function label(cert: ParsedCertificate, leaf: Label | undefined): Label {
  return leaf ?? { en: `CA certificate ${cert.subjectText}`, ja: `CA証明書（${cert.subjectText}）` };
}

/**
 * Every certificate of `path` (leaf first) must be valid at `at` (the signing time, or now for a
 * login) and also at `now`: signingTime is asserted by the signer and cannot prove that a
 * signature predates an expiry, so a certificate expired by now is reported separately even
 * when the claimed signing time falls inside its validity.
 */
export function validityFinding(
  path: ParsedCertificate[],
  at: Date,
  now: Date,
  atLabel: 'signing time' | 'now',
  leafLabel: Label = SIGNER_LABEL,
): Finding {
  const failures: Finding['failures'] = [];
  path.forEach((cert, i) => {
    const l = label(cert, i === 0 ? leafLabel : undefined);
    const range = `${iso(cert.notBefore)} – ${iso(cert.notAfter)}`;
    if (at < cert.notBefore || at > cert.notAfter) {
      const expired = at > cert.notAfter;
      failures.push({
        message: `${l.en} was ${expired ? 'expired' : 'not yet valid'} ${atLabel === 'now' ? 'at verification time' : 'at the signing time'} ${iso(at)} (valid ${range})`,
        messageJa: `${l.ja}は${atLabel === 'now' ? '現在' : `署名時刻（${iso(at)}）`}において${expired ? '有効期限切れ' : '有効期間前'}です（有効期間 ${range}）`,
      });
    } else if (now > cert.notAfter) {
      failures.push({
        message: `${l.en} has expired (notAfter ${iso(cert.notAfter)}); it was valid at the claimed signing time ${iso(at)}, but signingTime is asserted by the signer and does not prove the signature predates the expiry`,
        messageJa: `${l.ja}は有効期限（${iso(cert.notAfter)}）が切れています。申告された署名時刻には有効ですが、署名時刻は署名者の申告であり期限前の署名である証明になりません`,
      });
    } else if (now < cert.notBefore) {
      failures.push({
        message: `${l.en} is not yet valid now (notBefore ${iso(cert.notBefore)})`,
        messageJa: `${l.ja}は現在まだ有効期間前です（${iso(cert.notBefore)}から）`,
      });
    }
  });
  const leaf = path[0];
  const detail = leaf
    ? `${path.length} certificate(s) checked at the ${atLabel} ${iso(at)} and at verification time ${iso(now)}; signer valid ${iso(leaf.notBefore)} – ${iso(leaf.notAfter)}`
    : 'no certificate';
  return { ok: failures.length === 0, detail, failures };
}

/** The leaf's keyUsage must be present and carry at least one of `anyOf`. */
export function keyUsageFinding(leaf: ParsedCertificate, anyOf: KeyUsageName[]): Finding {
  let ku: Set<KeyUsageName> | undefined;
  try {
    ku = keyUsage(leaf);
  } catch (e) {
    return {
      ok: false,
      detail: 'unreadable keyUsage',
      failures: [
        {
          message: `the keyUsage extension cannot be read: ${(e as Error).message}`,
          messageJa: '鍵用途（keyUsage）拡張を読み取れません',
        },
      ],
    };
  }
  const want = anyOf.join(' or ');
  if (!ku) {
    return {
      ok: false,
      detail: 'no keyUsage',
      failures: [
        {
          message: `the certificate has no keyUsage extension (${want} required)`,
          messageJa: `証明書に鍵用途（keyUsage）拡張がありません（${want} が必要）`,
        },
      ],
    };
  }
  const have = [...ku].join(', ') || 'none';
  if (!anyOf.some((u) => ku.has(u))) {
    return {
      ok: false,
      detail: `keyUsage: ${have}`,
      failures: [
        {
          message: `the certificate's keyUsage (${have}) does not allow signing: ${want} required`,
          messageJa: `証明書の鍵用途（${have}）では署名に使えません（${want} が必要）`,
        },
      ],
    };
  }
  return { ok: true, detail: `keyUsage: ${have}`, failures: [] };
}

/**
 * When the issuing CA certificate carries certificatePolicies, the leaf must carry `family`
 * or a policy below it (e.g. 1.2.392.200149.8.5.1.1 or …1.1.20 for JPKI signing).
 */
export function policyFinding(leaf: ParsedCertificate, ca: ParsedCertificate, family: string): Finding {
  let caPolicies: string[] | undefined;
  let leafPolicies: string[] | undefined;
  try {
    caPolicies = certificatePolicies(ca);
    leafPolicies = certificatePolicies(leaf);
  } catch (e) {
    return {
      ok: false,
      detail: 'unreadable certificatePolicies',
      failures: [
        {
          message: `certificatePolicies cannot be read: ${(e as Error).message}`,
          messageJa: '証明書ポリシー拡張を読み取れません',
        },
      ],
    };
  }
  if (!caPolicies) {
    return { ok: true, detail: `the CA sets no certificatePolicies, so ${family} is not required`, failures: [] };
  }
  const match = (leafPolicies ?? []).find((p) => p === family || p.startsWith(`${family}.`));
  if (!match) {
    return {
      ok: false,
      detail: `policies: ${(leafPolicies ?? []).join(', ') || 'none'}`,
      failures: [
        {
          message: `the certificate does not carry the JPKI policy ${family} (it has: ${(leafPolicies ?? []).join(', ') || 'none'})`,
          messageJa: `証明書にJPKIの証明書ポリシー ${family} がありません`,
        },
      ],
    };
  }
  return { ok: true, detail: `policy ${match} present (CA: ${caPolicies.join(', ')})`, failures: [] };
}

/** The certificate fields of the result, plus the JPKI subjectAltName attributes when present. */
export function summarize(cert: ParsedCertificate): SignerSummary {
  const s: SignerSummary = {
    subject: cert.subjectText,
    issuer: cert.issuerText,
    serialNumber: cert.serialHex,
    notBefore: iso(cert.notBefore),
    notAfter: iso(cert.notAfter),
  };
  const a = jpkiAttributesOf(cert);
  if (a.name !== undefined) s.name = a.name;
  if (a.nameAltChars !== undefined) s.nameAltChars = a.nameAltChars;
  if (a.address !== undefined) s.address = a.address;
  if (a.addressAltChars !== undefined) s.addressAltChars = a.addressAltChars;
  if (a.birthDate !== undefined) s.birthDate = a.birthDate;
  if (a.birthEra !== undefined) s.birthEra = a.birthEra;
  if (a.sex !== undefined) s.sex = a.sex;
  return s;
}
