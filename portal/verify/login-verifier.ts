/**
 * Verifier for login assertions (DESIGN §4 "Login") on the portal side: the app signs
 * SHA-256(challenge ‖ UTF-8(origin)) as a DigestInfo with the card's auth key (利用者証明用);
 * the portal checks the signature, the chain to the trusted auth CA, validity now, keyUsage
 * digitalSignature, the JPKI auth policy where the CA sets policies, and revocation.
 *
 * Whether the challenge is one the portal issued, unexpired and unused (replay), and whether the
 * origin is the portal's own, is the portal's business — this function only proves who signed
 * this (challenge, origin) pair.
 */
import { constants, verify as cryptoVerify } from 'node:crypto';
import { AUTH_LABEL, keyUsageFinding, policyFinding, summarize, validityFinding } from './certificate-checks.ts';
import { validateChain } from './chain.ts';
import { bytesEqual } from './der.ts';
import { OID } from './oids.ts';
import {
  CheckCollector,
  internalErrorResult,
  LOGIN_CHECKS,
  type LoginCheckId,
  type SignerSummary,
  type VerificationResult,
} from './result.ts';
import { checkRevocation } from './revocation.ts';
import { parseTrust } from './trust.ts';
import { type ParsedCertificate, parseCertificate, rsaPublicKey } from './x509.ts';

export interface LoginAssertion {
  challenge: Uint8Array;
  origin: string;
  signature: Uint8Array;
  /** DER of the auth certificate (利用者証明用電子証明書). */
  authCertificate: Uint8Array;
}

export interface LoginVerifyOptions {
  /** DER certificates of the trusted auth CA(s). */
  trustAnchors: Uint8Array[];
  crls: Uint8Array[];
  now?: Date;
  /** Policy OID (or parent arc) required when the CA sets policies. Default: JPKI auth. */
  requiredPolicy?: string;
}

export interface LoginVerificationResult
  extends Omit<VerificationResult<LoginCheckId>, 'signer' | 'signingTime' | 'content'> {
  /** The auth certificate: subject (an identifier, no personal data in JPKI), issuer, serial, dates. */
  certificate?: SignerSummary;
}

/** The bytes the card signs (after SHA-256 and the DigestInfo prefix): challenge ‖ UTF-8(origin). */
export function loginSignedBytes(challenge: Uint8Array, origin: string): Uint8Array {
  return new Uint8Array(Buffer.concat([challenge, Buffer.from(origin, 'utf8')]));
}

/** Never throws for bad input; every problem is a failed check. */
export async function verifyLoginAssertion(
  assertion: LoginAssertion,
  options: LoginVerifyOptions,
): Promise<LoginVerificationResult> {
  try {
    return await verifyLoginUnguarded(assertion, options);
  } catch (e) {
    return internalErrorResult(LOGIN_CHECKS, 'assertion-input', e);
  }
}

async function verifyLoginUnguarded(
  assertion: LoginAssertion,
  options: LoginVerifyOptions,
): Promise<LoginVerificationResult> {
  const now = options.now ?? new Date();
  const c = new CheckCollector<LoginCheckId>(LOGIN_CHECKS, ['revocation']);
  const finish = (extra: Partial<LoginVerificationResult> = {}): LoginVerificationResult => ({
    valid: c.valid(),
    failures: c.failures,
    checks: c.outcomes(),
    ...extra,
  });

  // ---- assertion-input
  const a = assertion as Partial<LoginAssertion>;
  if (!(a.challenge instanceof Uint8Array) || a.challenge.length === 0) {
    c.fail('assertion-input', 'the challenge is missing or empty', 'チャレンジがありません');
  }
  if (typeof a.origin !== 'string' || !/^https?:\/\/[^/?#\s]+$/.test(a.origin)) {
    c.fail(
      'assertion-input',
      'the origin is not a serialised origin (scheme://host[:port])',
      'オリジンの形式が正しくありません（scheme://host[:port]）',
    );
  }
  if (!(a.signature instanceof Uint8Array) || a.signature.length === 0) {
    c.fail('assertion-input', 'the signature is missing', '署名値がありません');
  }
  c.pass('assertion-input', `${a.challenge?.length ?? 0}-byte challenge for ${a.origin}`);

  // ---- certificate
  let cert: ParsedCertificate;
  try {
    if (!(a.authCertificate instanceof Uint8Array)) throw new Error('missing');
    cert = parseCertificate(a.authCertificate);
  } catch (e) {
    c.fail(
      'certificate',
      `the auth certificate cannot be read: ${(e as Error).message}`,
      '利用者証明用電子証明書を読み取れません',
    );
    c.skipRest('skipped: no certificate');
    return finish();
  }
  c.pass('certificate', cert.subjectText);

  // ---- signature
  const key = rsaPublicKey(cert.spki);
  if ('error' in key)
    c.fail('signature', `the certificate's key is not acceptable: ${key.error}`, '証明書の公開鍵が受け付けられません');
  else if (c.failed('assertion-input')) c.notChecked('signature', 'skipped: incomplete assertion');
  else {
    const ok = cryptoVerify(
      'sha256',
      loginSignedBytes(assertion.challenge, assertion.origin),
      { key: key.key, padding: constants.RSA_PKCS1_PADDING },
      assertion.signature,
    );
    if (ok) c.pass('signature', 'RSA PKCS#1 v1.5 over SHA-256(challenge ‖ origin)');
    else {
      c.fail(
        'signature',
        'the signature does not verify for this challenge and origin with the certificate key',
        'このチャレンジとオリジンに対する署名として検証できません（オリジン・チャレンジ違い、または改ざん）',
      );
    }
  }

  // ---- chain, validity, key-usage, policy, revocation
  const trust = parseTrust(options.trustAnchors, options.crls);
  for (const e of trust.anchorErrors)
    c.fail('chain', `a trust anchor cannot be read: ${e}`, 'トラストアンカーを読み取れません');
  const chain = await validateChain(cert, [], trust.anchors, now);
  if (chain.ok) c.pass('chain', `${chain.path.map((p) => p.subjectText).join(' → ')} (trusted)`);
  else c.fail('chain', chain.reason, chain.reasonJa);
  const path = chain.ok ? chain.path : [cert];
  const issuer = chain.ok ? chain.path[1] : trust.anchors.find((x) => bytesEqual(x.subject, cert.issuer));

  const v = validityFinding(path, now, now, 'now', AUTH_LABEL);
  if (v.ok) c.pass('validity', v.detail);
  else for (const f of v.failures) c.fail('validity', f.message, f.messageJa);

  const ku = keyUsageFinding(cert, ['digitalSignature']);
  if (ku.ok) c.pass('key-usage', ku.detail);
  else for (const f of ku.failures) c.fail('key-usage', f.message, f.messageJa);

  if (issuer) {
    const p = policyFinding(cert, issuer, options.requiredPolicy ?? OID.jpkiAuthPolicy);
    if (p.ok) c.pass('policy', p.detail);
    else for (const f of p.failures) c.fail('policy', f.message, f.messageJa);
  } else {
    c.notChecked('policy', 'skipped: the issuing CA is not trusted');
  }

  const revPath = chain.ok ? chain.path : issuer ? [cert, issuer] : [cert];
  const rev = checkRevocation(revPath, trust.crls, now, trust.crlErrors, AUTH_LABEL);
  for (const f of rev.failures) c.fail('revocation', f.message, f.messageJa);
  if (rev.status === 'pass') c.pass('revocation', rev.details.join('; '));
  else if (rev.status === 'not-checked') c.notChecked('revocation', rev.details.join('; ') || 'no CRL given');

  return finish({ certificate: summarize(cert) });
}
