/**
 * The demo PKI and demo residents: reproducible byte for byte, accepted and rejected by OpenSSL
 * as intended, shaped as jpki-protocol §7 says, and internally consistent. The decoding here is
 * written independently of generate.ts (asn1js / node:crypto / openssl), so one checks the other.
 */
import { execFile as execFileCb, execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify, webcrypto, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CardProfileJson, profileFromJson } from '../../native/emulator/profile.ts';
import { deterministicRsaKey, HmacDrbg, isProbablePrime } from './deterministic-rsa.ts';
import { isValidMyNumber, japaneseEraDigit, jpkiBirthDate, myNumberCheckDigit } from './jp-rules.ts';
import { demoPkiPath, demoResidentIds, loadDemoCardJson, loadDemoResidents } from './load.ts';

const execFile = promisify(execFileCb);
const DEMO_DIR = path.dirname(fileURLToPath(import.meta.url));
const GENERATOR = path.join(DEMO_DIR, 'generate.ts');
const GENERATED_TOP = ['README.md', 'cards', 'pki', 'residents.json'];

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'myna-demo-pki-'));
  pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, rel))) {
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(path.join(root, r)).isDirectory()) out.push(...listFiles(root, r));
    else out.push(r);
  }
  return out.sort();
}

function committedGeneratedFiles(): string[] {
  return GENERATED_TOP.flatMap((top) =>
    statSync(path.join(DEMO_DIR, top)).isDirectory() ? listFiles(DEMO_DIR, top) : [top],
  ).sort();
}

const b64 = (s: string) => Buffer.from(s, 'base64');

function toPem(derBytes: Uint8Array, file: string): string {
  const p = path.join(work, file);
  const body =
    Buffer.from(derBytes)
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  writeFileSync(p, `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`);
  return p;
}

/** Runs `openssl verify`; returns exit status and combined output. */
function opensslVerify(args: string[]): { ok: boolean; output: string } {
  try {
    const out = execFileSync('openssl', ['verify', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output: out };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

function extensionValue(certDer: Uint8Array, oid: string): asn1js.AsnType | undefined {
  const cert = pkijs.Certificate.fromBER(new Uint8Array(certDer));
  const ext = cert.extensions?.find((e) => e.extnID === oid);
  if (!ext) return undefined;
  return asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result;
}

/** SAN otherNames as [oid, UTF-8 value] pairs, decoded straight from the DER. */
function sanOtherNames(certDer: Uint8Array): [string, string][] {
  const san = extensionValue(certDer, '2.5.29.17');
  if (!(san instanceof asn1js.Sequence)) throw new Error('no SAN');
  return san.valueBlock.value.map((gn) => {
    expect(gn.idBlock.tagClass).toBe(3);
    expect(gn.idBlock.tagNumber).toBe(0); // otherName
    const [oid, explicit] = (gn as asn1js.Constructed).valueBlock.value;
    if (!(oid instanceof asn1js.ObjectIdentifier)) throw new Error('otherName without OID');
    expect(explicit?.idBlock.tagClass).toBe(3);
    expect(explicit?.idBlock.tagNumber).toBe(0);
    const inner = (explicit as asn1js.Constructed).valueBlock.value;
    expect(inner).toHaveLength(1);
    const str = inner[0];
    if (!(str instanceof asn1js.Utf8String)) throw new Error('otherName value is not a UTF8String');
    // Decode the raw bytes ourselves rather than trusting asn1js's string conversion.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(str.valueBlock.valueHexView);
    return [oid.valueBlock.toString(), text];
  });
}

const cards: CardProfileJson[] = demoResidentIds().map((id) => loadDemoCardJson(id));
const card = (id: string): CardProfileJson => {
  const c = cards.find((x) => x.id === id);
  if (!c) throw new Error(`no ${id}`);
  return c;
};

describe('determinism', () => {
  it('regenerating reproduces the committed files byte for byte', { timeout: 120_000 }, async () => {
    const out = path.join(work, 'regen');
    await execFile(process.execPath, [GENERATOR, '--out', out], { timeout: 110_000 });
    const regenerated = listFiles(out);
    expect(regenerated).toEqual(committedGeneratedFiles());
    for (const rel of regenerated) {
      const fresh = readFileSync(path.join(out, rel));
      const committed = readFileSync(path.join(DEMO_DIR, rel));
      expect(fresh.equals(committed), `${rel} differs from the committed file; run npm run gen:demo-pki`).toBe(true);
    }
  });

  it('derives the same RSA key from the same seed, and a different one from another seed', () => {
    const a = deterministicRsaKey('myna-demo/test-only');
    const b = deterministicRsaKey('myna-demo/test-only');
    const c = deterministicRsaKey('myna-demo/test-only-2');
    expect(a.pkcs8.equals(b.pkcs8)).toBe(true);
    expect(a.n).not.toBe(c.n);
    expect(a.n.toString(2)).toHaveLength(2048);
    expect(a.e).toBe(65537n);
    expect(a.p * a.q).toBe(a.n);
    const drbg = new HmacDrbg('primality');
    expect(isProbablePrime(a.p, 16, drbg)).toBe(true);
    expect(isProbablePrime(a.q, 16, drbg)).toBe(true);
    // A Carmichael number and a product of two primes are rejected.
    expect(isProbablePrime(561n, 8, drbg)).toBe(false);
    expect(isProbablePrime(a.p * 3n + 2n * a.p, 8, drbg)).toBe(false);
    const key = createPrivateKey({ key: a.pkcs8, format: 'der', type: 'pkcs8' });
    const sig = sign('sha256', Buffer.from('demo'), key);
    expect(verify('sha256', Buffer.from('demo'), createPublicKey(key), sig)).toBe(true);
  });

  it('HMAC-DRBG matches a NIST CAVP SHA-256 no-reseed vector', () => {
    // HMAC_DRBG.rsp [SHA-256] [PredictionResistance = False] [EntropyInputLen = 256]
    // [NonceLen = 128] [PersonalizationStringLen = 0] [AdditionalInputLen = 0] COUNT = 0:
    // seed = entropy ‖ nonce, two generate calls of 1024 bits, the second one is ReturnedBits.
    const entropy = 'ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488';
    const nonce = '659ba96c601dc69fc902940805ec0ca8';
    const drbg = new HmacDrbg(Buffer.from(entropy + nonce, 'hex'));
    drbg.bytes(128);
    expect(drbg.bytes(128).toString('hex')).toBe(
      'e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc107694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8',
    );
  });
});

describe('My Number and dates', () => {
  it('computes the 検査用数字 per 総務省令第85号 第5条', () => {
    expect(myNumberCheckDigit('98320567321')).toBe(4);
    expect(isValidMyNumber('983205673214')).toBe(true);
    expect(isValidMyNumber('983205673210')).toBe(false);
    // P1 = 1, Q1 = 2: Σ = 2 → 11 − 2 = 9
    expect(myNumberCheckDigit('00000000001')).toBe(9);
    // P5 = 1, Q5 = 6: Σ = 6 → 5;  P7 = 1, Q7 = 2: Σ = 2 → 9 (Q restarts at 1 for n = 7)
    expect(myNumberCheckDigit('00000010000')).toBe(5);
    expect(myNumberCheckDigit('00001000000')).toBe(9);
    // remainder 0 or 1 → 0
    expect(myNumberCheckDigit('00000000000')).toBe(0);
    expect(myNumberCheckDigit('00000000006')).toBe(0); // Σ = 12, r = 1
  });

  it('every demo My Number is 12 digits with a valid check digit, all distinct', () => {
    for (const c of cards) {
      expect(c.myNumber).toMatch(/^[0-9]{12}$/);
      expect(isValidMyNumber(c.myNumber), c.id).toBe(true);
      // A single-digit typo must be caught.
      const last = Number(c.myNumber[11]);
      expect(isValidMyNumber(c.myNumber.slice(0, 11) + String((last + 1) % 10))).toBe(false);
    }
    expect(new Set(cards.map((c) => c.myNumber)).size).toBe(cards.length);
  });

  it('era digits switch on the first day of each era', () => {
    expect(japaneseEraDigit('19120729')).toBe(1);
    expect(japaneseEraDigit('19120730')).toBe(2);
    expect(japaneseEraDigit('19261224')).toBe(2);
    expect(japaneseEraDigit('19261225')).toBe(3);
    expect(japaneseEraDigit('19890107')).toBe(3);
    expect(japaneseEraDigit('19890108')).toBe(4);
    expect(japaneseEraDigit('20190430')).toBe(4);
    expect(japaneseEraDigit('20190501')).toBe(5);
    expect(jpkiBirthDate('19850615')).toBe('319850615');
  });
});

describe('card profiles', () => {
  it('lists six residents, in order, matching residents.json', () => {
    const residents = loadDemoResidents();
    expect(residents.map((r) => r.id)).toEqual([
      'resident-01',
      'resident-02',
      'resident-03',
      'resident-04',
      'resident-05',
      'resident-06',
    ]);
    for (const r of residents) {
      const c = card(r.id);
      expect(r).toEqual({
        id: c.id,
        name: c.basic4.name,
        authPin: c.authPin,
        signPassword: c.signPassword,
        kenhojoPin: c.kenhojoPin,
        note: expect.stringMatching(/^.+ \/ .+$/),
      });
    }
  });

  it('has exactly the CardProfileJson fields and valid PIN formats', () => {
    const required = [
      'id',
      'token',
      'authPin',
      'signPassword',
      'kenhojoPin',
      'myNumber',
      'basic4',
      'authCert',
      'authCaCert',
      'signCert',
      'signCaCert',
      'authKey',
      'signKey',
    ];
    for (const c of cards) {
      const keys = Object.keys(c).filter((k) => k !== 'initialTries');
      expect(keys.sort()).toEqual([...required].sort());
      expect(c.token).toBe('JPKIAPICCTOKEN2');
      expect(c.authPin).toMatch(/^[0-9]{4}$/);
      expect(c.kenhojoPin).toMatch(/^[0-9]{4}$/);
      expect(c.signPassword).toMatch(/^(?=.*[A-Z])(?=.*[0-9])[A-Z0-9]{6,16}$/);
      expect(c.basic4.birthDate).toMatch(/^[0-9]{8}$/);
      expect(['1', '2', '9']).toContain(c.basic4.sex);
      expect(c.authCaCert).toBe(readFileSync(demoPkiPath('auth-ca.der')).toString('base64'));
      expect(c.signCaCert).toBe(readFileSync(demoPkiPath('sign-ca.der')).toString('base64'));
      const profile = profileFromJson(c);
      expect(profile.authCert[0]).toBe(0x30);
    }
  });

  it('gives resident-01 the documented PINs and the special residents their tries', () => {
    const r1 = card('resident-01');
    expect([r1.authPin, r1.signPassword, r1.kenhojoPin]).toEqual(['1234', 'ABC123', '1234']);
    expect(r1.initialTries).toBeUndefined();
    expect(card('resident-04').initialTries).toEqual({ sign: 0 });
    const r5 = card('resident-05');
    expect(r5.initialTries).toEqual({ auth: 1 });
    expect(r5.kenhojoPin).not.toBe(r5.authPin);
    const r6 = card('resident-06');
    expect(r6.basic4.sex).toBe('9');
    expect(japaneseEraDigit(r6.basic4.birthDate)).toBe(3);
    expect(r6.basic4.name).toMatch(/髙|﨑/u);
    expect([...r6.basic4.name].length).toBeLessThan(r6.basic4.name.length); // has a surrogate pair (𠮷)
    expect(Buffer.byteLength(r6.basic4.address, 'utf8')).toBeGreaterThan(127); // long-form BER length
  });

  it('private keys match their certificates', () => {
    for (const c of cards) {
      for (const which of ['auth', 'sign'] as const) {
        const cert = new X509Certificate(b64(which === 'auth' ? c.authCert : c.signCert));
        const key = createPrivateKey({
          key: b64(which === 'auth' ? c.authKey : c.signKey),
          format: 'der',
          type: 'pkcs8',
        });
        expect(cert.checkPrivateKey(key), `${c.id} ${which}`).toBe(true);
        expect(key.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
        const msg = Buffer.from(`${c.id}/${which}`);
        expect(verify('sha256', msg, cert.publicKey, sign('sha256', msg, key))).toBe(true);
      }
      // auth and sign keys differ
      expect(c.authKey).not.toBe(c.signKey);
    }
    for (const ca of ['auth-ca', 'sign-ca']) {
      const cert = new X509Certificate(readFileSync(demoPkiPath(`${ca}.der`)));
      const key = createPrivateKey({
        key: readFileSync(demoPkiPath(`${ca}.key.p8.der`)),
        format: 'der',
        type: 'pkcs8',
      });
      expect(cert.checkPrivateKey(key)).toBe(true);
      expect(cert.verify(cert.publicKey)).toBe(true);
      expect(cert.ca).toBe(true);
    }
  });
});

describe('certificate profile (jpki-protocol §7)', () => {
  const authCa = new X509Certificate(readFileSync(demoPkiPath('auth-ca.der')));
  const signCa = new X509Certificate(readFileSync(demoPkiPath('sign-ca.der')));

  it('roots keep the JPKI DN shape and say DEMO', () => {
    expect(authCa.subject.split('\n')).toEqual([
      'C=JP',
      'O=JPKI',
      'OU=JPKI for user authentication',
      'OU=Japan Agency for Local Authority Information Systems',
      'CN=DEMO ONLY Myna Companion auth CA',
    ]);
    expect(signCa.subject).toContain('OU=JPKI for digital signature');
    expect(signCa.subject).toContain('DEMO ONLY');
    expect(readFileSync(demoPkiPath('sign-ca.pem'), 'ascii')).toBe(signCa.toString());
    expect(authCa.validFrom).toBe('Jul 16 00:00:00 2023 GMT');
    expect(authCa.validTo).toBe('Jul 15 23:59:59 2043 GMT');
  });

  it('certificates are DER that openssl parses, with the intended extensions', () => {
    for (const c of cards) {
      for (const [which, derB64, policy, ku] of [
        ['auth', c.authCert, '1.2.392.200149.8.5.1.3', 'Digital Signature'],
        ['sign', c.signCert, '1.2.392.200149.8.5.1.1', 'Digital Signature, Non Repudiation'],
      ] as const) {
        const certDer = b64(derB64);
        // Re-encoding the parsed certificate as DER gives the same bytes: it was DER already.
        expect(Buffer.from(asn1js.fromBER(certDer).result.toBER(false)).equals(certDer)).toBe(true);
        const pemFile = toPem(certDer, `${c.id}-${which}.pem`);
        const text = execFileSync('openssl', ['x509', '-in', pemFile, '-noout', '-text', '-nameopt', 'utf8'], {
          encoding: 'utf8',
        });
        expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
        expect(text).toMatch(/Public-Key: \(2048 bit\)/);
        expect(text).toMatch(new RegExp(`X509v3 Key Usage: critical\\s+${ku}\\n`));
        expect(text).toContain(`Policy: ${policy}`);
        expect(text).toContain('X509v3 Authority Key Identifier');
        const x = new X509Certificate(certDer);
        expect(x.subject).toMatch(/^C=JP\nCN=[0-9A-Z]{20}$/);
        expect(x.serialNumber).toMatch(/^[0-7][0-9A-F]{7}$/);
        expect(x.checkIssued(which === 'auth' ? authCa : signCa)).toBe(true);
        expect(x.verify((which === 'auth' ? authCa : signCa).publicKey)).toBe(true);
      }
    }
  });

  it('sign certificates carry the four attributes as SAN otherNames in the card order', () => {
    for (const c of cards) {
      const b = c.basic4;
      expect(sanOtherNames(b64(c.signCert))).toEqual([
        ['1.2.392.200149.8.5.5.1', b.name],
        ['1.2.392.200149.8.5.5.4', `${japaneseEraDigit(b.birthDate)}${b.birthDate}`],
        ['1.2.392.200149.8.5.5.3', b.sex],
        ['1.2.392.200149.8.5.5.5', b.address],
        ['1.2.392.200149.8.5.5.2', '0'.repeat([...b.name].length)],
        ['1.2.392.200149.8.5.5.6', '0'.repeat([...b.address].length)],
      ]);
      expect(extensionValue(b64(c.authCert), '2.5.29.17')).toBeUndefined();
    }
    expect(sanOtherNames(b64(card('resident-06').signCert))[1]).toEqual(['1.2.392.200149.8.5.5.4', '319890107']);
    expect(sanOtherNames(b64(card('resident-04').signCert))[1]).toEqual(['1.2.392.200149.8.5.5.4', '219250310']);
  });
});

describe('openssl verify', () => {
  const signCaPem = demoPkiPath('sign-ca.pem');
  const authCaPem = demoPkiPath('auth-ca.pem');
  const signCrl = demoPkiPath('sign-ca.crl.pem');
  const authCrl = demoPkiPath('auth-ca.crl.pem');

  it('accepts resident-01 (sign and auth, with CRL checks and the JPKI policies)', () => {
    const r1 = card('resident-01');
    const sign1 = toPem(b64(r1.signCert), 'v-r1-sign.pem');
    const auth1 = toPem(b64(r1.authCert), 'v-r1-auth.pem');
    expect(opensslVerify(['-CAfile', signCaPem, sign1])).toMatchObject({ ok: true });
    expect(
      opensslVerify([
        '-crl_check',
        '-CRLfile',
        signCrl,
        '-CAfile',
        signCaPem,
        '-policy',
        '1.2.392.200149.8.5.1.1',
        '-explicit_policy',
        sign1,
      ]),
    ).toMatchObject({ ok: true });
    expect(
      opensslVerify([
        '-crl_check',
        '-CRLfile',
        authCrl,
        '-CAfile',
        authCaPem,
        '-policy',
        '1.2.392.200149.8.5.1.3',
        '-explicit_policy',
        auth1,
      ]),
    ).toMatchObject({ ok: true });
    // The two hierarchies are separate.
    expect(opensslVerify(['-CAfile', authCaPem, sign1]).ok).toBe(false);
  });

  it('rejects resident-02 sign certificate as revoked; its auth certificate is fine', () => {
    const r2 = card('resident-02');
    const sign2 = toPem(b64(r2.signCert), 'v-r2-sign.pem');
    expect(opensslVerify(['-CAfile', signCaPem, sign2]).ok).toBe(true);
    const res = opensslVerify(['-crl_check', '-CRLfile', signCrl, '-CAfile', signCaPem, sign2]);
    expect(res.ok).toBe(false);
    expect(res.output).toContain('certificate revoked');
    const auth2 = toPem(b64(r2.authCert), 'v-r2-auth.pem');
    expect(opensslVerify(['-crl_check', '-CRLfile', authCrl, '-CAfile', authCaPem, auth2]).ok).toBe(true);
  });

  it('rejects resident-03 certificates as expired', () => {
    const r3 = card('resident-03');
    for (const [derB64, ca] of [
      [r3.signCert, signCaPem],
      [r3.authCert, authCaPem],
    ] as const) {
      const res = opensslVerify(['-CAfile', ca, toPem(b64(derB64), `v-r3-${path.basename(ca)}`)]);
      expect(res.ok).toBe(false);
      expect(res.output).toContain('certificate has expired');
    }
  });

  it('CRLs: v2, signed by their CA, the sign CRL lists exactly resident-02 (affiliationChanged)', () => {
    const text = (crl: string) => execFileSync('openssl', ['crl', '-in', crl, '-noout', '-text'], { encoding: 'utf8' });
    const signText = text(signCrl);
    expect(signText).toContain('Version 2');
    expect(signText).toContain('Last Update: Jan  1 00:00:00 2026 GMT');
    expect(signText).toContain('Next Update: Jan  1 00:00:00 2036 GMT');
    expect(signText).toContain('X509v3 CRL Number');
    expect(signText).toContain('X509v3 Authority Key Identifier');
    expect(signText).toContain('Affiliation Changed');
    const serial2 = new X509Certificate(b64(card('resident-02').signCert)).serialNumber;
    expect([...signText.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => m[1])).toEqual([serial2]);
    expect(text(authCrl)).toContain('No Revoked Certificates');
    for (const [crl, ca] of [
      [signCrl, signCaPem],
      [authCrl, authCaPem],
    ] as const) {
      const out = execFileSync('openssl', ['crl', '-in', crl, '-noout', '-CAfile', ca], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(out).toBe('');
    }
  });
});

describe('PKI.js chain validation (what the portal verifier uses)', () => {
  it('accepts resident-01 and rejects the revoked resident-02 with the sign CA CRL', async () => {
    const signCa = pkijs.Certificate.fromBER(readFileSync(demoPkiPath('sign-ca.der')));
    const crl = pkijs.CertificateRevocationList.fromBER(readFileSync(demoPkiPath('sign-ca.crl.der')));
    const validate = (id: string) =>
      new pkijs.CertificateChainValidationEngine({
        trustedCerts: [signCa],
        certs: [pkijs.Certificate.fromBER(b64(card(id).signCert))],
        crls: [crl],
        checkDate: new Date('2026-06-01T00:00:00Z'),
      }).verify();
    expect((await validate('resident-01')).result).toBe(true);
    const revoked = await validate('resident-02');
    expect(revoked.result).toBe(false);
    expect(revoked.resultMessage).toMatch(/revoked/i);
  });
});
