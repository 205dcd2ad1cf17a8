import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackageVerificationResult, verifyApplicationPackage } from './package-verifier.ts';
import {
  fixtureJson,
  flipByte,
  handCms,
  makePackageParts,
  manifestFor,
  opensslSign,
  opensslVerify,
  type PackageParts,
  prng,
  removeWorkDir,
  resident,
  samplePdf,
  signCa,
  signCaFile,
  signCrl,
  writeStoredZip,
  zipPackage,
} from './test-fixtures.ts';

const r1 = resident('resident-01');
const r2 = resident('resident-02');
const r3 = resident('resident-03');
const r6 = resident('resident-06');
const trust = () => ({ trustAnchors: [signCa()], crls: [signCrl()] });
const failed = (r: PackageVerificationResult) => [...new Set(r.failures.map((f) => f.check))].sort();
const u8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

let good: PackageParts;
beforeAll(() => {
  good = makePackageParts({ resident: r1 });
});
afterAll(removeWorkDir);

describe('verifyApplicationPackage — valid packages', () => {
  it('accepts resident-01: every check passes, manifest and attachments reported', async () => {
    const r = await verifyApplicationPackage(zipPackage(good), trust());
    expect(r.failures).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.checks.map((c) => [c.check, c.status])).toEqual(
      [
        'package-structure',
        'manifest-canonical',
        'manifest-signed',
        'attachments',
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
      ].map((c) => [c, 'pass']),
    );
    expect(r.manifest?.procedure.id).toBe('jidou-teate-nintei');
    expect(r.manifest?.municipality.code).toBe('131016');
    expect(r.attachments).toEqual(
      good.attachments.map((a) => ({
        name: a.name,
        mediaType: a.mediaType,
        size: a.data.length,
        sha256: createHash('sha256').update(a.data).digest('hex'),
      })),
    );
    expect(r.signer?.name).toBe('見本　花子');
    // the hand procedure of the README works on the same bytes
    const o = opensslVerify({ p7s: good.signature, caFile: signCaFile(), purposeAny: true });
    expect(o.ok).toBe(true);
    expect(o.out.equals(Buffer.from(good.manifest))).toBe(true);
  });

  it('accepts resident-06 (rare kanji in the form and the certificate) and decodes name, address, birth, sex', async () => {
    const p = makePackageParts({
      resident: r6,
      form: { applicant: { name: r6.basic4.name, address: r6.basic4.address } },
    });
    const r = await verifyApplicationPackage(zipPackage(p), trust());
    expect(r.valid).toBe(true);
    expect(r.signer).toMatchObject({
      name: '髙﨑　𠮷野',
      address: r6.basic4.address,
      birthDate: '1989-01-07',
      birthEra: 3,
      sex: '9',
    });
    expect((r.manifest?.form as { applicant?: { name: string } } | undefined)?.applicant?.name).toBe('髙﨑　𠮷野');
  });

  it('accepts a package without attachments', async () => {
    const p = makePackageParts({ resident: r1, attachments: [] });
    expect((await verifyApplicationPackage(zipPackage(p), trust())).valid).toBe(true);
  });
});

describe('verifyApplicationPackage — each tamper rejected for its own reason', () => {
  it('a byte flipped in manifest.json → manifest-signed', async () => {
    const at = Buffer.from(good.manifest).indexOf('jidou');
    const r = await verifyApplicationPackage(zipPackage({ ...good, manifest: flipByte(good.manifest, at) }), trust());
    expect(failed(r)).toEqual(['manifest-signed']);
    expect(r.failures[0]?.messageJa).toMatch(/改ざん/);
  });

  it('a byte flipped in an attachment → attachments, naming it', async () => {
    const attachments = good.attachments.map((a, i) => (i === 0 ? { ...a, data: flipByte(a.data, 12) } : a));
    const r = await verifyApplicationPackage(zipPackage({ ...good, attachments }), trust());
    expect(failed(r)).toEqual(['attachments']);
    expect(r.failures.map((f) => f.message)).toEqual([
      'attachment "所得証明書.pdf" does not match its SHA-256 in the signed manifest (changed after signing)',
    ]);
  });

  it('a byte flipped in the signature value → signature', async () => {
    const r = await verifyApplicationPackage(
      zipPackage({ ...good, signature: flipByte(good.signature, good.signature.length - 20) }),
      trust(),
    );
    expect(failed(r)).toEqual(['signature']);
  });

  it('an attachment added → attachments', async () => {
    const extra = { name: 'extra.pdf', mediaType: 'application/pdf', data: samplePdf('extra') };
    const r = await verifyApplicationPackage(
      zipPackage({ ...good, attachments: [...good.attachments, extra] }),
      trust(),
    );
    expect(failed(r)).toEqual(['attachments']);
    expect(r.failures[0]?.message).toBe(
      'attachment "extra.pdf" is in the package but not listed in the signed manifest',
    );
  });

  it('an attachment removed → attachments', async () => {
    const r = await verifyApplicationPackage(zipPackage({ ...good, attachments: good.attachments.slice(1) }), trust());
    expect(failed(r)).toEqual(['attachments']);
    expect(r.failures[0]?.message).toBe(
      'attachment "所得証明書.pdf" is listed in the signed manifest but missing from the package',
    );
  });

  it('an attachment renamed → attachments (both names reported)', async () => {
    const attachments = good.attachments.map((a, i) => (i === 1 ? { ...a, name: 'photo2.png' } : a));
    const r = await verifyApplicationPackage(zipPackage({ ...good, attachments }), trust());
    expect(failed(r)).toEqual(['attachments']);
    const text = r.failures.map((f) => f.message).join('\n');
    expect(text).toMatch(/"photo2\.png" is in the package but not listed/);
    expect(text).toMatch(/"photo\.png" is listed in the signed manifest but missing/);
  });

  it('an attachment renamed into a subdirectory → package-structure', async () => {
    const attachments = good.attachments.map((a, i) => (i === 1 ? { ...a, name: 'sub/photo.png' } : a));
    const r = await verifyApplicationPackage(zipPackage({ ...good, attachments }), trust());
    expect(failed(r)).toEqual(['package-structure']);
    expect(r.packageErrorCode).toBe('UNEXPECTED_ENTRY');
    expect(r.checks.filter((c) => c.status !== 'not-checked').map((c) => c.check)).toEqual(['package-structure']);
  });

  it('attachments swapped in order → attachments', async () => {
    const r = await verifyApplicationPackage(
      zipPackage({ ...good, attachments: [...good.attachments].reverse() }),
      trust(),
    );
    expect(failed(r)).toEqual(['attachments']);
    expect(r.failures[0]?.message).toMatch(/not in manifest order/);
  });

  it('manifest.json and an attachment both changed (the manifest re-hashed but not re-signed) → manifest-signed and attachments', async () => {
    const attachments = good.attachments.map((a, i) => (i === 0 ? { ...a, data: samplePdf('forged') } : a));
    const forgedManifest = u8(fixtureJson(manifestFor(attachments)));
    const r = await verifyApplicationPackage(zipPackage({ ...good, manifest: forgedManifest, attachments }), trust());
    expect(failed(r)).toEqual(['attachments', 'manifest-signed']);
  });

  it("another resident's signature over the same manifest is valid — but names that resident", async () => {
    const sig = opensslSign({ content: good.manifest, cert: r6.signCert, key: r6.signKey, extraCerts: [signCa()] });
    const r = await verifyApplicationPackage(zipPackage({ ...good, signature: sig }), trust());
    expect(r.valid).toBe(true);
    expect(r.signer?.name).toBe('髙﨑　𠮷野');
  });

  it('resident-02 (revoked) → revocation; resident-03 (expired) → validity', async () => {
    const revoked = await verifyApplicationPackage(zipPackage(makePackageParts({ resident: r2 })), trust());
    expect(failed(revoked)).toEqual(['revocation']);
    const expired = await verifyApplicationPackage(zipPackage(makePackageParts({ resident: r3 })), trust());
    expect(failed(expired)).toEqual(['validity']);
  });

  it('a non-canonical manifest, correctly signed → manifest-canonical', async () => {
    const text = JSON.stringify(JSON.parse(fixtureJson(manifestFor(good.attachments))), null, 1);
    const p = makePackageParts({ resident: r1, manifestText: text });
    const r = await verifyApplicationPackage(zipPackage(p), trust());
    expect(failed(r)).toEqual(['manifest-canonical']);
    expect(r.failures[0]?.message).toMatch(/not in RFC 8785 canonical form/);
  });

  it('a manifest with a trailing newline → manifest-canonical', async () => {
    const p = makePackageParts({ resident: r1, manifestText: `${fixtureJson(manifestFor(good.attachments))}\n` });
    expect(failed(await verifyApplicationPackage(zipPackage(p), trust()))).toEqual(['manifest-canonical']);
  });

  it('schema violations are listed one by one under manifest-canonical', async () => {
    const m = manifestFor(good.attachments) as Record<string, unknown>;
    m.municipality = { code: '131017' };
    m.version = 2;
    m.extra = true;
    const p = makePackageParts({ resident: r1, manifestText: fixtureJson(m) });
    const r = await verifyApplicationPackage(zipPackage(p), trust());
    expect(failed(r)).toEqual(['manifest-canonical']);
    expect(r.failures.map((f) => f.message)).toEqual([
      'manifest: unknown member "extra"',
      'version 2 is not supported (expected 1)',
      'municipality.code 131017: wrong check digit (should be 6)',
    ]);
    expect(r.manifest).toBeUndefined();
  });

  it('attachment rules of the contract: names, media types, empty files, case-insensitive duplicates', async () => {
    const attachments = [
      { name: 'a.pdf', mediaType: 'application/pdf', data: samplePdf('a') },
      { name: 'A.PDF', mediaType: 'application/pdf', data: samplePdf('b') },
      { name: 'run.exe', mediaType: 'application/x-msdownload', data: u8('MZ') },
      { name: 'empty.png', mediaType: 'image/png', data: new Uint8Array() },
      { name: ' lead.pdf', mediaType: 'application/pdf', data: samplePdf('c') },
      { name: 'ca\u0301fe.pdf', mediaType: 'application/pdf', data: samplePdf('d') }, // not NFC
      { name: 'tab\t.pdf', mediaType: 'application/pdf', data: samplePdf('e') },
      { name: 'a:b.pdf', mediaType: 'application/pdf', data: samplePdf('f') },
      { name: '..', mediaType: 'application/pdf', data: samplePdf('g') },
    ];
    const p = makePackageParts({ resident: r1, attachments });
    const r = await verifyApplicationPackage(zipPackage(p), trust());
    expect(failed(r)).toEqual(['attachments']);
    expect(r.failures.map((f) => f.message)).toEqual([
      'attachment "A.PDF" is listed twice ignoring case (also as "a.pdf")',
      'attachment "run.exe": media type "application/x-msdownload" is not one of application/pdf, image/jpeg, image/png',
      'attachment "empty.png" is empty',
      'attachment name " lead.pdf" starts or ends with a space or a dot',
      'attachment name "ca\u0301fe.pdf" is not in NFC',
      'attachment name "tab\\t.pdf" contains a control character',
      'attachment name "a:b.pdf" contains one of / \\ : * ? " < > |',
      'attachment name ".." is not allowed',
    ]);
  });

  it('attachment size limits are enforced from the manifest (10 MiB each, 20 MiB total, 20 files)', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    const p = makePackageParts({
      resident: r1,
      attachments: [{ name: 'big.pdf', mediaType: 'application/pdf', data: big }],
    });
    const r = await verifyApplicationPackage(zipPackage(p), trust());
    expect(r.failures.map((f) => f.message)).toEqual([
      'attachment "big.pdf" is 10485761 bytes; at most 10485760 are allowed',
    ]);
    const many = Array.from({ length: 21 }, (_, i) => ({
      name: `${i}.pdf`,
      mediaType: 'application/pdf',
      data: samplePdf(`${i}`),
    }));
    const q = makePackageParts({ resident: r1, attachments: many });
    const s = await verifyApplicationPackage(zipPackage(q), trust());
    expect(s.failures.map((f) => f.message)).toEqual(['21 attachments; at most 20 are allowed']);
  });

  it('a detached signature over the manifest → manifest-signed and cms-structure', async () => {
    const sig = opensslSign({
      content: good.manifest,
      cert: r1.signCert,
      key: r1.signKey,
      extraCerts: [signCa()],
      detached: true,
    });
    const r = await verifyApplicationPackage(zipPackage({ ...good, signature: sig }), trust());
    expect(failed(r)).toEqual(['cms-structure', 'manifest-signed']);
  });

  it('non-DER signed attributes inside a package → signed-attributes-der', async () => {
    const sig = handCms({
      content: good.manifest,
      cert: r1.signCert,
      key: r1.signKey,
      extraCerts: [signCa()],
      sort: false,
      attributes: (a) => [a.scv2, a.md, a.st, a.ct],
    });
    const r = await verifyApplicationPackage(zipPackage({ ...good, signature: sig }), trust());
    expect(failed(r)).toEqual(['signed-attributes-der']);
  });
});

describe('verifyApplicationPackage — garbage never crashes', () => {
  const noInternal = (r: PackageVerificationResult) =>
    expect(r.failures.map((f) => f.message).join('\n')).not.toMatch(/internal error/);

  it('random bytes and truncations', async () => {
    const rnd = prng(11);
    for (let i = 0; i < 100; i++) {
      const b = new Uint8Array(Math.floor(rnd() * 500));
      for (let j = 0; j < b.length; j++) b[j] = Math.floor(rnd() * 256);
      const r = await verifyApplicationPackage(b, trust());
      expect(r.valid).toBe(false);
      expect(failed(r)).toEqual(['package-structure']);
      noInternal(r);
    }
    const zip = zipPackage(good);
    for (let n = 0; n < zip.length; n += 97) {
      const r = await verifyApplicationPackage(zip.subarray(0, n), trust());
      expect(r.valid).toBe(false);
      noInternal(r);
    }
  });

  it('flipped bytes (CRC-protected, so the archive layer catches them)', async () => {
    const zip = zipPackage(good);
    for (let i = 0; i < zip.length; i += 41) {
      const r = await verifyApplicationPackage(flipByte(zip, i), trust());
      noInternal(r);
    }
  });

  it('a well-formed archive whose members are garbage', async () => {
    const rnd = prng(12);
    for (let i = 0; i < 30; i++) {
      const junk = () => {
        const b = new Uint8Array(Math.floor(rnd() * 200));
        for (let j = 0; j < b.length; j++) b[j] = Math.floor(rnd() * 256);
        return b;
      };
      const zip = writeStoredZip([
        { name: 'manifest.json', data: i % 3 === 0 ? u8('{"attachments":[{"name":1}]}') : junk() },
        { name: 'signature.p7s', data: junk() },
        { name: 'attachments/x.pdf', data: junk() },
      ]);
      const r = await verifyApplicationPackage(zip, trust());
      expect(r.valid).toBe(false);
      noInternal(r);
    }
  });
});
