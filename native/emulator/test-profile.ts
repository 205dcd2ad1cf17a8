/**
 * Test support: a throw-away card profile with real RSA-2048 keys and X.509 certificates
 * (two self-signed CAs and one end-entity certificate each, made with the openssl CLI), so that
 * tests don't depend on the generated demo residents. Never used by the emulator itself.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardProfile, CardProfileJson } from './profile.ts';

/** PINs chosen so that their hex (39383731, 3234353637) cannot be confused with headers. */
export const TEST_PINS = { authPin: '9871', signPassword: 'MYNA2024', kenhojoPin: '8642' } as const;

let cached: CardProfile | undefined;

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function pair(dir: string, name: string, subject: string, ca?: string): { cert: Uint8Array; key: Uint8Array } {
  if (!ca) {
    openssl(dir, [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '3650',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-subj',
      subject,
    ]);
  } else {
    openssl(dir, [
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    ]);
    openssl(dir, [
      'x509',
      '-req',
      '-sha256',
      '-days',
      '365',
      '-set_serial',
      '0x0705d990',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-out',
      `${name}.pem`,
    ]);
  }
  const cert = new Uint8Array(new X509Certificate(readFileSync(join(dir, `${name}.pem`))).raw);
  const key = new Uint8Array(
    createPrivateKey(readFileSync(join(dir, `${name}.key`))).export({ type: 'pkcs8', format: 'der' }),
  );
  return { cert, key };
}

/** A fresh-looking profile (generated once per process; callers must not mutate it). */
export function makeTestProfile(): CardProfile {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'myna-emu-profile-'));
  try {
    const authCa = pair(dir, 'authca', '/C=JP/O=JPKI/OU=TEST JPKI for user authentication');
    const signCa = pair(dir, 'signca', '/C=JP/O=JPKI/OU=TEST JPKI for digital signature');
    const auth = pair(dir, 'auth', '/C=JP/CN=TEST0000000000000001', 'authca');
    const sign = pair(dir, 'sign', '/C=JP/CN=TEST SIGNER', 'signca');
    cached = {
      id: 'test-card',
      token: 'JPKIAPICCTOKEN2',
      ...TEST_PINS,
      myNumber: '123456789018',
      basic4: { name: '試験　太郎', address: '東京都千代田区試験町一丁目１番１号', birthDate: '19800217', sex: '1' },
      authCert: auth.cert,
      authCaCert: authCa.cert,
      signCert: sign.cert,
      signCaCert: signCa.cert,
      authKey: auth.key,
      signKey: sign.key,
    };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function profileToJson(p: CardProfile): CardProfileJson {
  const b = (u: Uint8Array) => Buffer.from(u).toString('base64');
  return {
    ...p,
    authCert: b(p.authCert),
    authCaCert: b(p.authCaCert),
    signCert: b(p.signCert),
    signCaCert: b(p.signCaCert),
    authKey: b(p.authKey),
    signKey: b(p.signKey),
  };
}

/** Hex helpers for readable APDUs in tests. */
export function h(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

export function swOf(r: Uint8Array): string {
  return toHex(r.subarray(r.length - 2));
}

export function dataOf(r: Uint8Array): Uint8Array {
  return r.subarray(0, r.length - 2);
}
