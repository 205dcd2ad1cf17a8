import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERIFY_EXIT, verifyMain } from './cli.ts';
import {
  flipByte,
  makePackageParts,
  opensslSign,
  pem,
  removeWorkDir,
  resident,
  signCa,
  signCrl,
  tmpFile,
  zipPackage,
} from './test-fixtures.ts';

const r1 = resident('resident-01');
const content = new Uint8Array(Buffer.from('申請書の本文', 'utf8'));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await verifyMain(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

let attachedFile: string;
let detachedFile: string;
let packageFile: string;
let badPackageFile: string;
beforeAll(() => {
  attachedFile = tmpFile('a.p7s', opensslSign({ content, cert: r1.signCert, key: r1.signKey, extraCerts: [signCa()] }));
  detachedFile = tmpFile(
    'd.p7s',
    opensslSign({ content, cert: r1.signCert, key: r1.signKey, extraCerts: [signCa()], detached: true }),
  );
  const pkg = zipPackage(makePackageParts({ resident: r1 }));
  packageFile = tmpFile('app.mynapkg', pkg);
  badPackageFile = tmpFile('bad.mynapkg', flipByte(pkg, pkg.length - 200));
});
afterAll(removeWorkDir);

describe('myna verify / verify-application', () => {
  it('verify: a valid attached signature → exit 0, every check listed, signer decoded', async () => {
    const r = await run(['verify', attachedFile]);
    expect(r.code).toBe(VERIFY_EXIT.VALID);
    expect(r.out).toMatch(/signature VALID/);
    for (const c of ['cms-structure', 'signed-attributes-der', 'chain', 'revocation'])
      expect(r.out).toMatch(new RegExp(`pass +${c}`));
    expect(r.out).toMatch(/氏名 name +見本　花子/);
    expect(r.out).toMatch(/生年月日 +1985-06-15 \(昭和/);
  });

  it('verify --json: the result as JSON with the content in base64', async () => {
    const r = await run(['--json', 'verify', attachedFile]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.valid).toBe(true);
    expect(Buffer.from(j.content, 'base64').toString('utf8')).toBe('申請書の本文');
    expect(j.checks).toHaveLength(11);
  });

  it('verify --content for a detached signature; the wrong content → exit 7', async () => {
    expect((await run(['verify', detachedFile, '--content', tmpFile('c.txt', content)])).code).toBe(0);
    const bad = await run(['verify', detachedFile, '--content', tmpFile('c2.txt', flipByte(content, 1))]);
    expect(bad.code).toBe(VERIFY_EXIT.INVALID);
    expect(bad.out).toMatch(/FAIL +message-digest/);
    expect(bad.out).toMatch(/✗ \[message-digest\]/);
  });

  it('--ca / --crl take PEM or DER; --ca alone means no CRL (revocation not checked)', async () => {
    const caPem = tmpFile('ca.pem', pem(signCa(), 'CERTIFICATE'));
    const crlPem = tmpFile('crl.pem', pem(signCrl(), 'X509 CRL'));
    const both = await run(['verify', attachedFile, '--ca', caPem, '--crl', crlPem]);
    expect(both.code).toBe(0);
    expect(both.out).toMatch(/pass +revocation/);
    const caOnly = await run(['verify', attachedFile, '--ca', tmpFile('ca.der', signCa())]);
    expect(caOnly.code).toBe(0);
    expect(caOnly.out).toMatch(/not checked +revocation/);
    const wrongCa = await run([
      'verify',
      attachedFile,
      '--ca',
      tmpFile('other.der', resident('resident-01').authCaCert),
    ]);
    expect(wrongCa.code).toBe(VERIFY_EXIT.INVALID);
  });

  it('verify-application: valid → 0 with the attachments listed; damaged → 7', async () => {
    const ok = await run(['verify-application', packageFile]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/package VALID/);
    expect(ok.out).toMatch(/所得証明書\.pdf +application\/pdf/);
    expect(ok.out).toMatch(/procedure: jidou-teate-nintei/);
    const bad = await run(['verify-application', badPackageFile, '--json']);
    expect(bad.code).toBe(VERIFY_EXIT.INVALID);
    expect(JSON.parse(bad.out).valid).toBe(false);
  });

  it('usage errors → exit 2', async () => {
    expect((await run(['verify'])).code).toBe(VERIFY_EXIT.USAGE);
    expect((await run(['verify', '/nonexistent/x.p7s'])).code).toBe(VERIFY_EXIT.USAGE);
    expect((await run(['verify', attachedFile, '--bogus'])).code).toBe(VERIFY_EXIT.USAGE);
    expect((await run(['verify', attachedFile, '--ca', tmpFile('junk.pem', 'not a certificate')])).code).toBe(2);
    expect((await run(['verify', attachedFile, '--crl', tmpFile('junk.der', signCa())])).code).toBe(2);
    expect((await run(['verify-application', packageFile, '--content', attachedFile])).code).toBe(2);
    const j = await run(['verify', '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.out).error.code).toBe('USAGE');
  });

  it('garbage input is an invalid signature (7), not a crash', async () => {
    const junk = tmpFile('junk.p7s', new Uint8Array([1, 2, 3, 4]));
    const r = await run(['verify', junk]);
    expect(r.code).toBe(VERIFY_EXIT.INVALID);
    expect(r.out).toMatch(/FAIL +cms-structure/);
    expect((await run(['verify-application', junk])).code).toBe(VERIFY_EXIT.INVALID);
  });

  it('--help documents the exit codes', async () => {
    const r = await run(['verify', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/7 +the signature or the package is NOT valid/);
  });

  it('is wired into bin/myna.js', () => {
    const bin = fileURLToPath(new URL('../../bin/myna.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'verify', attachedFile, '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).valid).toBe(true);
  });
});
