import { createPrivateKey, sign as cryptoSign, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { type LoginVerificationResult, loginSignedBytes, verifyLoginAssertion } from './login-verifier.ts';
import {
  authCa,
  authCrl,
  mintCertificate,
  mintCrl,
  pkiFile,
  removeWorkDir,
  resident,
  signCa,
} from './test-fixtures.ts';
import { parseCertificate } from './x509.ts';

afterAll(removeWorkDir);

const origin = 'http://127.0.0.1:43123';
const trust = () => ({ trustAnchors: [authCa()], crls: [authCrl()] });
const failed = (r: LoginVerificationResult) => [...new Set(r.failures.map((f) => f.check))].sort();

/** What the card does: RSA PKCS#1 v1.5 over DigestInfo(SHA-256(challenge ‖ origin)). */
function cardSign(pkcs8: Uint8Array, challenge: Uint8Array, o: string): Uint8Array {
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  return new Uint8Array(cryptoSign('sha256', Buffer.concat([challenge, Buffer.from(o, 'utf8')]), key));
}

describe('verifyLoginAssertion', () => {
  const r1 = resident('resident-01');
  const challenge = new Uint8Array(randomBytes(32));

  it('accepts resident-01 for the origin it signed', async () => {
    const r = await verifyLoginAssertion(
      { challenge, origin, signature: cardSign(r1.authKey, challenge, origin), authCertificate: r1.authCert },
      trust(),
    );
    expect(r.failures).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.checks.every((c) => c.status === 'pass')).toBe(true);
    expect(r.certificate?.subject).toMatch(/^C=JP, CN=[0-9A-Z]{20}$/);
    expect(r.certificate?.serialNumber).toMatch(/^[0-9a-f]+$/);
    expect(r.certificate?.name).toBeUndefined(); // the auth certificate carries no personal data
  });

  it('the signed bytes are challenge ‖ UTF-8(origin)', () => {
    expect(Buffer.from(loginSignedBytes(new Uint8Array([1, 2]), 'http://a')).toString('hex')).toBe(
      '0102687474703a2f2f61',
    );
  });

  it('a different origin → signature', async () => {
    const r = await verifyLoginAssertion(
      {
        challenge,
        origin: 'https://evil.example',
        signature: cardSign(r1.authKey, challenge, origin),
        authCertificate: r1.authCert,
      },
      trust(),
    );
    expect(failed(r)).toEqual(['signature']);
  });

  it('a different challenge → signature', async () => {
    const other = new Uint8Array(randomBytes(32));
    const r = await verifyLoginAssertion(
      { challenge: other, origin, signature: cardSign(r1.authKey, challenge, origin), authCertificate: r1.authCert },
      trust(),
    );
    expect(failed(r)).toEqual(['signature']);
  });

  it('signed with the sign key but presenting the auth certificate → signature', async () => {
    const r = await verifyLoginAssertion(
      { challenge, origin, signature: cardSign(r1.signKey, challenge, origin), authCertificate: r1.authCert },
      trust(),
    );
    expect(failed(r)).toEqual(['signature']);
  });

  it('resident-03 (auth certificate expired) → validity', async () => {
    const r3 = resident('resident-03');
    const r = await verifyLoginAssertion(
      { challenge, origin, signature: cardSign(r3.authKey, challenge, origin), authCertificate: r3.authCert },
      trust(),
    );
    expect(failed(r)).toEqual(['validity']);
    expect(r.failures[0]?.message).toMatch(/the auth certificate was expired at verification time/);
    expect(r.failures[0]?.messageJa).toMatch(/利用者証明用電子証明書は現在において有効期限切れ/);
  });

  it('resident-02: the auth certificate is still valid (only the sign one was revoked)', async () => {
    const r2 = resident('resident-02');
    const r = await verifyLoginAssertion(
      { challenge, origin, signature: cardSign(r2.authKey, challenge, origin), authCertificate: r2.authCert },
      trust(),
    );
    expect(r.valid).toBe(true);
  });

  it('a sign certificate presented for login → chain (it is not under the auth CA)', async () => {
    const r = await verifyLoginAssertion(
      { challenge, origin, signature: cardSign(r1.signKey, challenge, origin), authCertificate: r1.signCert },
      trust(),
    );
    expect(failed(r)).toEqual(['chain']);
  });

  it('an auth certificate without digitalSignature → key-usage', async () => {
    const cert = mintCertificate({
      subjectKey: r1.authKey,
      issuerCert: authCa(),
      issuerKey: pkiFile('auth-ca.key.p8.der'),
      keyUsage: 'keyEncipherment',
      policies: '1.2.392.200149.8.5.1.3',
    });
    const r = await verifyLoginAssertion(
      { challenge, origin, signature: cardSign(r1.authKey, challenge, origin), authCertificate: cert },
      trust(),
    );
    expect(failed(r)).toEqual(['key-usage']);
  });

  it('a revoked auth certificate → revocation (CRL minted with the demo auth CA key)', async () => {
    const serial = parseCertificate(r1.authCert).serialHex;
    const crl = mintCrl({ revokedSerials: [serial], issuerCert: authCa(), issuerKey: pkiFile('auth-ca.key.p8.der') });
    const signature = cardSign(r1.authKey, challenge, origin);
    const r = await verifyLoginAssertion(
      { challenge, origin, signature, authCertificate: r1.authCert },
      { trustAnchors: [authCa()], crls: [crl] },
    );
    expect(failed(r)).toEqual(['revocation']);
    expect(r.failures[0]?.message).toMatch(
      /the auth certificate \(serial [0-9a-f]+\) was revoked on 2025-06-01T00:00:00.000Z \(reason: keyCompromise\)/,
    );
    const ok = await verifyLoginAssertion({ challenge, origin, signature, authCertificate: r1.authCert }, trust());
    expect(ok.checks.find((c) => c.check === 'revocation')?.detail).toMatch(/is not on the CRL/);
  });

  it('malformed assertions and garbage certificates are failed checks, not exceptions', async () => {
    const bad = await verifyLoginAssertion(
      {
        challenge: new Uint8Array(),
        origin: 'not an origin/',
        signature: new Uint8Array(),
        authCertificate: new Uint8Array([1, 2]),
      },
      trust(),
    );
    expect(failed(bad)).toEqual(['assertion-input', 'certificate']);
    const wrongTypes = await verifyLoginAssertion({} as never, trust());
    expect(wrongTypes.valid).toBe(false);
    expect(wrongTypes.failures.map((f) => f.message).join()).not.toMatch(/internal error/);
    const wrongCa = await verifyLoginAssertion(
      { challenge, origin, signature: cardSign(r1.authKey, challenge, origin), authCertificate: r1.authCert },
      { trustAnchors: [signCa()], crls: [] },
    );
    expect(failed(wrongCa)).toEqual(['chain']);
  });
});
