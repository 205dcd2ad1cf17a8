import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CmsVerificationResult, verifyCms } from './cms-verifier.ts';
import {
  editSignedData,
  flipByte,
  handCms,
  indefiniteLengthCopy,
  lastIndexOf,
  mintCertificate,
  opensslSign,
  opensslVerify,
  prng,
  removeWorkDir,
  resident,
  signCa,
  signCaFile,
  signCrl,
  swapSignerCertificate,
  untrustedCa,
} from './test-fixtures.ts';

const r1 = resident('resident-01');
const r2 = resident('resident-02');
const r3 = resident('resident-03');
const r6 = resident('resident-06');
const trust = () => ({ trustAnchors: [signCa()], crls: [signCrl()] });
const content = new Uint8Array(Buffer.from('{"hello":"見本　花子","n":1}', 'utf8'));

/** The distinct check ids that failed. */
const failed = (r: CmsVerificationResult) => [...new Set(r.failures.map((f) => f.check))].sort();
const status = (r: CmsVerificationResult, id: string) => r.checks.find((c) => c.check === id)?.status;
const detail = (r: CmsVerificationResult, id: string) => r.checks.find((c) => c.check === id)?.detail ?? '';

let attached: Uint8Array;
beforeAll(() => {
  attached = opensslSign({ content, cert: r1.signCert, key: r1.signKey, extraCerts: [signCa()] });
});
afterAll(removeWorkDir);

describe('verifyCms — signatures made by openssl cms -sign -cades', () => {
  it('accepts resident-01, every check passing, and decodes the signer', async () => {
    const r = await verifyCms(attached, trust());
    expect(r.failures).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.checks.map((c) => c.status)).toEqual(Array(11).fill('pass'));
    expect(r.checks.map((c) => c.check)).toEqual([
      'cms-structure',
      'content-type',
      'message-digest',
      'signed-attributes-der',
      'signature',
      'chain',
      'validity',
      'key-usage',
      'policy',
      'signing-certificate',
      'revocation',
    ]);
    expect(Buffer.from(r.content ?? []).equals(Buffer.from(content))).toBe(true);
    expect(r.signer).toMatchObject({
      subject: expect.stringMatching(/^C=JP, CN=[0-9A-Z]{20}$/),
      issuer: expect.stringContaining('CN=DEMO ONLY Myna Companion sign CA'),
      serialNumber: expect.stringMatching(/^[0-9a-f]+$/),
      name: '見本　花子',
      birthDate: '1985-06-15',
      birthEra: 3,
      sex: '2',
      address: '東京都千代田区見本町一丁目２番３号',
    });
    expect(Math.abs(Date.parse(r.signingTime ?? '') - Date.now())).toBeLessThan(120_000);
    expect(opensslVerify({ p7s: attached, caFile: signCaFile(true), crlCheck: true }).ok).toBe(true);
  });

  it("OpenSSL 3.0's -cades output is what the contract asks for: DER-sorted attributes, ESSCertIDv2 without hashAlgorithm", async () => {
    const r = await verifyCms(attached, trust());
    expect(detail(r, 'signed-attributes-der')).toContain(
      '4 attributes in SET OF order: contentType < signingTime < messageDigest < signingCertificateV2',
    );
    expect(detail(r, 'signing-certificate')).toBe('certHash matches the signer certificate');
  });

  it('decodes the rare kanji of resident-06', async () => {
    const p7s = opensslSign({ content, cert: r6.signCert, key: r6.signKey, extraCerts: [signCa()] });
    const r = await verifyCms(p7s, trust());
    expect(r.valid).toBe(true);
    expect(r.signer).toMatchObject({
      name: '髙﨑　𠮷野',
      nameAltChars: '00000',
      address: r6.basic4.address,
      birthDate: '1989-01-07',
      birthEra: 3,
      sex: '9',
    });
  });

  it('reports revocation as not checked (and stays valid) without a CRL for the issuer', async () => {
    const r = await verifyCms(attached, { trustAnchors: [signCa()], crls: [] });
    expect(r.valid).toBe(true);
    expect(status(r, 'revocation')).toBe('not-checked');
    expect(detail(r, 'revocation')).toMatch(/no CRL from .* was given — revocation not checked/);
  });

  it('detached: valid with the right content, message-digest with the wrong one, cms-structure without any', async () => {
    const p7s = opensslSign({ content, cert: r1.signCert, key: r1.signKey, extraCerts: [signCa()], detached: true });
    expect((await verifyCms(p7s, { ...trust(), content })).valid).toBe(true);
    const wrong = await verifyCms(p7s, { ...trust(), content: flipByte(content, 3) });
    expect(failed(wrong)).toEqual(['message-digest']);
    expect(wrong.failures[0]?.messageJa).toMatch(/一致しません/);
    const none = await verifyCms(p7s, trust());
    expect(failed(none)).toEqual(['cms-structure']);
    expect(status(none, 'message-digest')).toBe('not-checked');
    expect(opensslVerify({ p7s, content: flipByte(content, 3), caFile: signCaFile() }).ok).toBe(false);
  });

  it('content given for an attached signature must equal the encapsulated one', async () => {
    const r = await verifyCms(attached, { ...trust(), content: flipByte(content, 0) });
    expect(failed(r)).toEqual(['message-digest']);
  });

  it('resident-02: revoked (with the demo CRL) → revocation, with date and reason', async () => {
    const p7s = opensslSign({ content, cert: r2.signCert, key: r2.signKey, extraCerts: [signCa()] });
    const r = await verifyCms(p7s, trust());
    expect(failed(r)).toEqual(['revocation']);
    expect(r.failures[0]?.message).toMatch(/revoked on 2025-11-15T01:00:00.000Z \(reason: affiliationChanged\)/);
    expect(r.failures[0]?.messageJa).toMatch(/失効/);
    // without the CRL nothing else is wrong
    expect((await verifyCms(p7s, { trustAnchors: [signCa()], crls: [] })).valid).toBe(true);
    const o = opensslVerify({ p7s, caFile: signCaFile(true), crlCheck: true });
    expect(o.ok).toBe(false);
    expect(o.stderr).toMatch(/certificate revoked/);
  });

  it('resident-03: expired → validity (the chain itself is fine)', async () => {
    const p7s = opensslSign({ content, cert: r3.signCert, key: r3.signKey, extraCerts: [signCa()] });
    const r = await verifyCms(p7s, trust());
    expect(failed(r)).toEqual(['validity']);
    expect(r.failures[0]?.message).toMatch(/expired at the signing time/);
    expect(status(r, 'chain')).toBe('pass');
    const o = opensslVerify({ p7s, caFile: signCaFile() });
    expect(o.stderr).toMatch(/certificate has expired/);
  });

  it('resident-03 signed before the expiry: valid then, and "expired now" reported separately today', async () => {
    const signingTime = new Date('2025-06-01T09:00:00Z');
    const p7s = handCms({ content, cert: r3.signCert, key: r3.signKey, extraCerts: [signCa()], signingTime });
    const then = await verifyCms(p7s, { trustAnchors: [signCa()], crls: [], now: new Date('2025-06-01T10:00:00Z') });
    expect(then.failures).toEqual([]);
    expect(then.valid).toBe(true);
    const today = await verifyCms(p7s, trust());
    expect(failed(today)).toEqual(['validity']);
    expect(today.failures[0]?.message).toMatch(/has expired .* valid at the claimed signing time/);
  });

  it('a certificate with keyUsage keyEncipherment only → key-usage', async () => {
    const cert = mintCertificate({ subjectKey: r1.signKey, keyUsage: 'keyEncipherment' });
    const p7s = opensslSign({ content, cert, key: r1.signKey, extraCerts: [signCa()] });
    const r = await verifyCms(p7s, trust());
    expect(failed(r)).toEqual(['key-usage']);
    expect(r.failures[0]?.message).toMatch(/keyUsage \(keyEncipherment\) does not allow signing/);
    expect(opensslVerify({ p7s, caFile: signCaFile() }).stderr).toMatch(/unsuitable certificate purpose/);
  });

  it('a certificate without the JPKI sign policy, under a CA that sets policies → policy', async () => {
    const cert = mintCertificate({ subjectKey: r1.signKey, policies: null, serial: '0x7e570002' });
    const p7s = opensslSign({ content, cert, key: r1.signKey, extraCerts: [signCa()] });
    const r = await verifyCms(p7s, trust());
    expect(failed(r)).toEqual(['policy']);
  });

  it('a sub-arc of the sign policy (…1.1.20, class 20) is accepted', async () => {
    const cert = mintCertificate({
      subjectKey: r1.signKey,
      policies: '1.2.392.200149.8.5.1.1.20',
      serial: '0x7e570003',
    });
    const r = await verifyCms(opensslSign({ content, cert, key: r1.signKey, extraCerts: [signCa()] }), trust());
    expect(r.valid).toBe(true);
    expect(detail(r, 'policy')).toMatch(/1\.2\.392\.200149\.8\.5\.1\.1\.20 present/);
  });

  it('a certificate from an untrusted CA (same name as the Sign CA) → chain', async () => {
    const evil = untrustedCa();
    const cert = mintCertificate({ subjectKey: r1.signKey, issuerCert: evil.cert, issuerKey: evil.key });
    const p7s = opensslSign({ content, cert, key: r1.signKey, extraCerts: [evil.cert] });
    const r = await verifyCms(p7s, trust());
    expect(failed(r)).toEqual(['chain']);
    expect(r.valid).toBe(false);
    expect(opensslVerify({ p7s, caFile: signCaFile() }).ok).toBe(false);
  });

  it('a certificate issued by an end-entity certificate (not a CA) → chain', async () => {
    // resident-06's sign certificate "issues" a certificate for resident-01's key: the
    // signature chains up to the trusted Sign CA, but the middle link is not a CA.
    const cert = mintCertificate({ subjectKey: r1.signKey, issuerCert: r6.signCert, issuerKey: r6.signKey });
    const p7s = opensslSign({ content, cert, key: r1.signKey, extraCerts: [r6.signCert, signCa()] });
    const r = await verifyCms(p7s, trust());
    expect(failed(r)).toContain('chain');
    expect(r.failures.find((f) => f.check === 'chain')?.message).toMatch(/is not a CA/);
    expect(opensslVerify({ p7s, caFile: signCaFile() }).ok).toBe(false);
  });

  it('no trust anchors at all → chain', async () => {
    const r = await verifyCms(attached, { trustAnchors: [], crls: [] });
    expect(failed(r)).toEqual(['chain']);
  });
});

describe('verifyCms — tampering', () => {
  it('a byte flipped in the signature value → signature', async () => {
    // The signature value is the last 256 bytes of the SignerInfo (no unsigned attributes).
    const r = await verifyCms(flipByte(attached, attached.length - 10), trust());
    expect(failed(r)).toEqual(['signature']);
    expect(r.failures[0]?.messageJa).toMatch(/署名値/);
  });

  it('a byte flipped in the encapsulated content → message-digest', async () => {
    const at = lastIndexOf(attached, content);
    expect(at).toBeGreaterThan(0);
    const r = await verifyCms(flipByte(attached, at + 5), trust());
    expect(failed(r)).toEqual(['message-digest']);
    expect(opensslVerify({ p7s: flipByte(attached, at + 5), caFile: signCaFile() }).ok).toBe(false);
  });

  it("another resident's certificate swapped in → signature and signing-certificate", async () => {
    // Re-encoding through PKI.js without a swap keeps the signature valid (sanity of the helper).
    expect((await verifyCms(swapSignerCertificate(attached, r1.signCert), trust())).valid).toBe(true);
    const r = await verifyCms(swapSignerCertificate(attached, r6.signCert), trust());
    expect(failed(r)).toEqual(['signature', 'signing-certificate']);
    expect(r.signer?.name).toBe('髙﨑　𠮷野'); // the result names the (false) certificate it checked
  });

  it('signed attributes in non-DER order (signed correctly) → signed-attributes-der only; OpenSSL does not notice', async () => {
    const p7s = handCms({
      content,
      cert: r1.signCert,
      key: r1.signKey,
      extraCerts: [signCa()],
      sort: false,
      attributes: (a) => [a.ct, a.md, a.st, a.scv2],
    });
    const r = await verifyCms(p7s, trust());
    expect(failed(r)).toEqual(['signed-attributes-der']);
    expect(status(r, 'signature')).toBe('pass');
    expect(r.failures[0]?.message).toMatch(/messageDigest is encoded before signingTime/);
    expect(opensslVerify({ p7s, caFile: signCaFile() }).ok).toBe(true);
  });

  it('the same attributes sorted by the PKI.js helper → valid (the helper itself is sound)', async () => {
    const p7s = handCms({ content, cert: r1.signCert, key: r1.signKey, extraCerts: [signCa()] });
    const r = await verifyCms(p7s, trust());
    expect(r.failures).toEqual([]);
    expect(opensslVerify({ p7s, caFile: signCaFile() }).ok).toBe(true);
  });

  it('signingCertificateV2 missing → signing-certificate', async () => {
    const p7s = handCms({
      content,
      cert: r1.signCert,
      key: r1.signKey,
      extraCerts: [signCa()],
      attributes: (a) => [a.ct, a.st, a.md],
    });
    const r = await verifyCms(p7s, trust());
    expect(failed(r)).toEqual(['signing-certificate']);
    expect(r.failures[0]?.message).toMatch(/signingCertificateV2 signed attribute is missing/);
  });

  it('signingCertificateV2 naming another certificate → signing-certificate', async () => {
    const p7s = handCms({
      content,
      cert: r1.signCert,
      key: r1.signKey,
      extraCerts: [signCa()],
      certForEss: r6.signCert,
    });
    const r = await verifyCms(p7s, trust());
    expect(failed(r)).toEqual(['signing-certificate']);
    expect(r.failures.map((f) => f.message).join()).toMatch(/certHash/);
  });

  it('an encapsulated content type other than id-data → content-type', async () => {
    const p7s = handCms({
      content,
      cert: r1.signCert,
      key: r1.signKey,
      extraCerts: [signCa()],
      eContentType: '1.2.840.113549.1.7.5',
    });
    const r = await verifyCms(p7s, trust());
    expect(failed(r)).toEqual(['content-type']);
    expect(r.failures.map((f) => f.message)).toEqual([
      'the encapsulated content type is 1.2.840.113549.1.7.5, not id-data',
      'the contentType attribute (1.2.840.113549.1.7.1) differs from the encapsulated content type (1.2.840.113549.1.7.5)',
    ]);
  });

  it('a signing time in the future → validity', async () => {
    const p7s = handCms({
      content,
      cert: r1.signCert,
      key: r1.signKey,
      extraCerts: [signCa()],
      signingTime: new Date(Date.now() + 3600_000),
    });
    const r = await verifyCms(p7s, trust());
    expect(failed(r)).toEqual(['validity']);
    expect(r.failures[0]?.message).toMatch(/in the future/);
  });

  it('a signer certificate that is not embedded → cms-structure, certificate checks not evaluated', async () => {
    const p7s = handCms({ content, cert: r1.signCert, key: r1.signKey });
    expect((await verifyCms(p7s, trust())).valid).toBe(true); // sanity: signer embedded, no CA
    const stripped = editSignedData(p7s, (sd) => {
      sd.certificates = [];
    });
    const r = await verifyCms(stripped, trust());
    expect(failed(r)).toEqual(['cms-structure']);
    expect(r.failures[0]?.message).toMatch(/signer certificate .* is not embedded/);
    for (const id of ['signature', 'chain', 'validity', 'key-usage', 'policy', 'signing-certificate', 'revocation']) {
      expect(status(r, id), id).toBe('not-checked');
    }
  });

  it('an unusable CRL (bad signature) fails revocation instead of being ignored', async () => {
    const crl = flipByte(signCrl(), signCrl().length - 5);
    const r = await verifyCms(attached, { trustAnchors: [signCa()], crls: [crl] });
    expect(failed(r)).toEqual(['revocation']);
    expect(r.failures[0]?.message).toMatch(/cannot be used: signature invalid/);
  });

  it('two SignerInfos → cms-structure', async () => {
    const p7s = editSignedData(attached, (sd) => {
      sd.signerInfos.push(sd.signerInfos[0] as (typeof sd.signerInfos)[0]);
    });
    const r = await verifyCms(p7s, trust());
    expect(failed(r)).toEqual(['cms-structure']);
    expect(r.failures[0]?.message).toMatch(/2 SignerInfos; exactly one/);
  });

  it('BER (indefinite lengths) instead of DER → cms-structure', async () => {
    const ci = indefiniteLengthCopy(attached);
    const r = await verifyCms(ci, trust());
    expect(failed(r)).toEqual(['cms-structure']);
    expect(r.failures[0]?.message).toMatch(/not DER: indefinite length/);
  });

  it('a stale CRL fails revocation', async () => {
    const r = await verifyCms(attached, { ...trust(), now: new Date('2036-06-01T00:00:00Z') });
    expect(failed(r)).toContain('revocation');
    expect(r.failures.find((f) => f.check === 'revocation')?.message).toMatch(/stale/);
  });
});

describe('verifyCms — garbage never crashes', () => {
  const check = (r: CmsVerificationResult) => {
    expect(r.valid).toBe(false);
    expect(r.failures.length).toBeGreaterThan(0);
    expect(r.failures.map((f) => f.message).join('\n')).not.toMatch(/internal error/);
  };

  it('random bytes, empty input, other ASN.1', async () => {
    const rnd = prng(7);
    const inputs = [new Uint8Array(), new Uint8Array([0x30]), new Uint8Array([0x30, 0x80]), signCa(), signCrl()];
    for (let i = 0; i < 200; i++) {
      const b = new Uint8Array(Math.floor(rnd() * 300));
      for (let j = 0; j < b.length; j++) b[j] = Math.floor(rnd() * 256);
      if (i % 2 === 0 && b.length > 2) b[0] = 0x30;
      inputs.push(b);
    }
    for (const b of inputs) {
      const r = await verifyCms(b, trust());
      check(r);
      expect(failed(r)).toEqual(['cms-structure']);
    }
  });

  it('every truncation of a valid signature', async () => {
    for (let n = 0; n < attached.length; n += 13) check(await verifyCms(attached.subarray(0, n), trust()));
  });

  it('flipped bytes all over a valid signature: only the embedded (untrusted, unused) CA copy may change harmlessly', async () => {
    const ca = signCa();
    const caAt = lastIndexOf(attached, ca);
    expect(caAt).toBeGreaterThan(0);
    const stillValid: number[] = [];
    for (let i = 0; i < attached.length; i += 3) {
      const r = await verifyCms(flipByte(attached, i), trust());
      expect(r.failures.map((f) => f.message).join('\n')).not.toMatch(/internal error/);
      if (r.valid) stillValid.push(i);
    }
    // The Sign CA certificate embedded for convenience is not trusted: the path is built to the
    // configured trust anchor, so damage to the copy only removes a useless candidate.
    expect(stillValid.filter((i) => i < caAt || i >= caAt + ca.length)).toEqual([]);
  });
});
