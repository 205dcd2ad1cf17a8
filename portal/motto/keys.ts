/**
 * The もっとつながる key material, generated once per data directory and kept in
 * `<dataDir>/motto-keys.json` with file mode 0600 (owner read/write only):
 *  - an EC P-256 key pair: signs the login assertions; its public half is served as a JWK set;
 *  - a 32-byte pairwise secret: derives each resident's per-site pseudonym (assertion.ts).
 * Outside the database on purpose: a copy of portal.sqlite (a backup, a support dump) cannot
 * mint assertions or link pseudonyms. Losing the file changes every pseudonym — back it up with
 * the same care as a TLS key.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { type PublicJwk, publicJwk } from './jws.ts';

export const MOTTO_KEY_FILE = 'motto-keys.json';

interface KeyFile {
  version: 1;
  createdAt: string;
  /** PKCS#8 PEM. */
  signingKey: string;
  /** base64url, 32 bytes. */
  pairwiseSecret: string;
}

export interface MottoKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: PublicJwk;
  pairwiseSecret: Buffer;
  path: string;
  createdAt: string;
}

function parse(path: string, text: string): MottoKeys {
  const j = JSON.parse(text) as Partial<KeyFile>;
  if (j.version !== 1 || typeof j.signingKey !== 'string' || typeof j.pairwiseSecret !== 'string') {
    throw new Error(`${path} is not a version-1 motto key file`);
  }
  const privateKey = createPrivateKey(j.signingKey);
  const publicKey = createPublicKey(privateKey);
  const pairwiseSecret = Buffer.from(j.pairwiseSecret, 'base64url');
  if (pairwiseSecret.length !== 32) throw new Error(`${path}: the pairwise secret must be 32 bytes`);
  return { privateKey, publicKey, jwk: publicJwk(publicKey), pairwiseSecret, path, createdAt: j.createdAt ?? '' };
}

/** Reads the key file, creating it (atomically, mode 0600) when missing. */
export function loadOrCreateMottoKeys(dataDir: string, now: () => Date = () => new Date()): MottoKeys {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, MOTTO_KEY_FILE);
  try {
    const mode = statSync(path).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) chmodSync(path, 0o600);
    return parse(path, readFileSync(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const file: KeyFile = {
    version: 1,
    createdAt: now().toISOString(),
    signingKey: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    pairwiseSecret: randomBytes(32).toString('base64url'),
  };
  // Write a private temp file, then hard-link it into place: link() fails if another process
  // created the file first, and then its keys win.
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(file, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  return parse(path, readFileSync(path, 'utf8'));
}
