/**
 * Login assertion (DESIGN §4 "Login"): the card's auth key signs DigestInfo(SHA-256(challenge ‖
 * UTF-8(origin))), where the origin is the portal origin main is configured for — never one a
 * page supplies. Returns the signature and the auth certificate; the portal verifies both.
 * The signature is checked against the certificate before it is returned.
 */
import { constants, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { sha256DigestInfo } from '../../../../native/jpki/digest-info.ts';
import type { MynaCard } from '../../../../native/myna-card.ts';
import { sha256 } from './hash.ts';
import { SigningError } from './signing-error.ts';

export type AuthCard = Pick<MynaCard, 'readCertificate' | 'sign'>;

export interface LoginAssertionRequest {
  /** The portal's random challenge, 16–256 bytes. */
  challenge: Uint8Array;
  /** A serialised origin: `https://host[:port]`, or `http://` on a loopback host. */
  origin: string;
}

export interface LoginAssertion {
  /** RSA PKCS#1 v1.5 signature (sha256) over challenge ‖ UTF-8(origin). */
  signature: Uint8Array;
  authCertificate: Uint8Array;
}

export const CHALLENGE_MIN = 16;
export const CHALLENGE_MAX = 256;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why `origin` is not acceptable, or undefined. */
export function originProblem(origin: unknown): string | undefined {
  if (typeof origin !== 'string' || origin.length === 0 || origin.length > 2048) return 'not a string';
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return 'not a URL';
  }
  if (url.origin !== origin) return 'not a serialised origin (scheme://host[:port], nothing else)';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return undefined;
  return 'https, or http on a loopback host only';
}

/** The signed message: challenge ‖ UTF-8(origin). */
export function loginAssertionMessage(challenge: Uint8Array, origin: string): Uint8Array {
  const o = Buffer.from(origin, 'utf8');
  const out = new Uint8Array(challenge.length + o.length);
  out.set(challenge);
  out.set(o, challenge.length);
  return out;
}

export async function signLoginAssertion(
  card: AuthCard,
  req: LoginAssertionRequest,
  pin: string,
): Promise<LoginAssertion> {
  const { challenge, origin } = req;
  if (!(challenge instanceof Uint8Array) || challenge.length < CHALLENGE_MIN || challenge.length > CHALLENGE_MAX) {
    throw new SigningError('INPUT_INVALID', { field: 'challenge', rule: `${CHALLENGE_MIN}–${CHALLENGE_MAX} bytes` });
  }
  const problem = originProblem(origin);
  if (problem) throw new SigningError('INPUT_INVALID', { field: 'origin', rule: problem });
  const message = loginAssertionMessage(challenge, origin);
  const authCertificate = await card.readCertificate('auth');
  const signature = await card.sign('auth', sha256DigestInfo(sha256(message)), pin);
  let ok = false;
  try {
    const key = new X509Certificate(authCertificate).publicKey;
    ok = cryptoVerify('sha256', message, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch (e) {
    throw new SigningError('SELF_CHECK_FAILED', { check: 'login-signature' }, { cause: e });
  }
  if (!ok) throw new SigningError('SELF_CHECK_FAILED', { check: 'login-signature' });
  return { signature, authCertificate };
}
