/**
 * Deterministic RSA key generation for the demo PKI — DEMO MATERIAL ONLY.
 *
 * Node's crypto cannot seed its key generator, and the demo PKI must come out byte-identical on
 * every run, so the keys are derived here from a fixed seed string: an HMAC-DRBG (SHA-256,
 * NIST SP 800-90A §10.1.2, no reseeding, no personalisation) feeds a probable-prime search
 * (small-prime sieve + Miller–Rabin with bases drawn from the same stream). Anyone who knows
 * the seed can rebuild the private key, which is exactly the point: these keys are public test
 * fixtures and must never protect anything real.
 */
import { createHmac, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

/** HMAC-DRBG with SHA-256 (SP 800-90A §10.1.2). Deterministic for a given seed. */
export class HmacDrbg {
  #k: Buffer = Buffer.alloc(32, 0x00);
  #v: Buffer = Buffer.alloc(32, 0x01);

  constructor(seed: string | Uint8Array) {
    this.#update(typeof seed === 'string' ? Buffer.from(seed, 'utf8') : Buffer.from(seed));
  }

  #hmac(key: Buffer, ...parts: Uint8Array[]): Buffer {
    const h = createHmac('sha256', key);
    for (const p of parts) h.update(p);
    return h.digest();
  }

  #update(data?: Uint8Array): void {
    this.#k = this.#hmac(this.#k, this.#v, Buffer.from([0x00]), data ?? Buffer.alloc(0));
    this.#v = this.#hmac(this.#k, this.#v);
    if (data && data.length > 0) {
      this.#k = this.#hmac(this.#k, this.#v, Buffer.from([0x01]), data);
      this.#v = this.#hmac(this.#k, this.#v);
    }
  }

  /** The next `n` bytes of the stream. */
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    let off = 0;
    while (off < n) {
      this.#v = this.#hmac(this.#k, this.#v);
      off += this.#v.copy(out, off);
    }
    this.#update();
    return out;
  }

  /** A uniform integer in [0, bound) for a small bound (rejection sampling, bound ≤ 2^32). */
  below(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32) throw new RangeError(`bad bound ${bound}`);
    const limit = 2 ** 32 - (2 ** 32 % bound);
    for (;;) {
      const x = this.bytes(4).readUInt32BE(0);
      if (x < limit) return x % bound;
    }
  }
}

export const PUBLIC_EXPONENT = 65537n;

/** Primes below 2^14, for the sieve. */
const SMALL_PRIMES: readonly number[] = (() => {
  const limit = 1 << 14;
  const composite = new Uint8Array(limit);
  const out: number[] = [];
  for (let i = 2; i < limit; i++) {
    if (composite[i]) continue;
    out.push(i);
    for (let j = i * i; j < limit; j += i) composite[j] = 1;
  }
  return out;
})();

export function bytesToBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`);
}

/** Unsigned big-endian, minimal length (at least one byte). */
export function bigIntToBytes(x: bigint): Buffer {
  if (x < 0n) throw new RangeError('negative');
  let hex = x.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  if (mod === 1n) return 0n;
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    e >>= 1n;
    if (e > 0n) b = (b * b) % mod;
  }
  return result;
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y) [x, y] = [y, x % y];
  return x;
}

export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return ((oldS % m) + m) % m;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Miller–Rabin with `rounds` bases drawn from the stream, uniform-ish in [2, n−2]. */
export function isProbablePrime(n: bigint, rounds: number, drbg: HmacDrbg): boolean {
  if (n < 2n) return false;
  for (const p of SMALL_PRIMES) {
    const bp = BigInt(p);
    if (n === bp) return true;
    if (n % bp === 0n) return false;
  }
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  const byteLen = Math.ceil(bitLength(n) / 8) + 8;
  for (let i = 0; i < rounds; i++) {
    const a = (bytesToBigInt(drbg.bytes(byteLen)) % (n - 3n)) + 2n;
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let witness = true;
    for (let r = 1; r < s; r++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        witness = false;
        break;
      }
    }
    if (witness) return false;
  }
  return true;
}

/**
 * Miller–Rabin rounds for a 1024-bit prime factor of an RSA-2048 modulus. FIPS 186-5 Table B.1
 * asks for 5 when candidates are random; a few more cost little here.
 */
const MR_ROUNDS = 8;
/** How far the incremental search walks from one random start before drawing a new one. */
const MAX_DELTA = 1 << 16;

/**
 * A probable prime of exactly `bits` bits with the top two bits set (so that the product of two
 * of them has exactly 2·bits bits) and p − 1 coprime to e. Incremental search from a random odd
 * start, sieving with the residues of the start modulo the small primes.
 */
export function generatePrime(drbg: HmacDrbg, bits: number, e: bigint = PUBLIC_EXPONENT): bigint {
  if (bits % 8 !== 0 || bits < 64) throw new RangeError('bits must be a multiple of 8, ≥ 64');
  for (;;) {
    const raw = drbg.bytes(bits / 8);
    raw[0] = (raw[0] ?? 0) | 0xc0;
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) | 0x01;
    const start = bytesToBigInt(raw);
    const residues = SMALL_PRIMES.map((p) => Number(start % BigInt(p)));
    for (let delta = 0; delta < MAX_DELTA; delta += 2) {
      let divisible = false;
      for (let i = 0; i < SMALL_PRIMES.length; i++) {
        if (((residues[i] ?? 0) + delta) % (SMALL_PRIMES[i] ?? 1) === 0) {
          divisible = true;
          break;
        }
      }
      if (divisible) continue;
      const candidate = start + BigInt(delta);
      if (bitLength(candidate) !== bits) break;
      if (gcd(candidate - 1n, e) !== 1n) continue;
      if (isProbablePrime(candidate, MR_ROUNDS, drbg)) return candidate;
    }
  }
}

export interface DeterministicRsaKey {
  /** Node key object (private). */
  privateKey: KeyObject;
  /** PKCS#8 DER of the private key. */
  pkcs8: Buffer;
  /** SubjectPublicKeyInfo DER. */
  spki: Buffer;
  jwk: JsonWebKey;
  n: bigint;
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
}

const b64u = (x: bigint): string => bigIntToBytes(x).toString('base64url');

/**
 * An RSA key (e = 65537) derived from `seed` alone, e.g. "myna-demo/auth-ca". Same seed, same key,
 * on every platform and Node version (pure BigInt; Node only imports the finished JWK).
 */
export function deterministicRsaKey(seed: string, modulusBits = 2048): DeterministicRsaKey {
  const drbg = new HmacDrbg(seed);
  const e = PUBLIC_EXPONENT;
  const half = modulusBits / 2;
  for (;;) {
    let p = generatePrime(drbg, half, e);
    let q = generatePrime(drbg, half, e);
    if (p === q) continue;
    if (p < q) [p, q] = [q, p];
    // FIPS 186-5 A.1.3: |p − q| > 2^(nlen/2 − 100).
    if (p - q <= 1n << BigInt(half - 100)) continue;
    const n = p * q;
    if (bitLength(n) !== modulusBits) continue;
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    if (gcd(e, lambda) !== 1n) continue;
    const d = modInverse(e, lambda);
    // FIPS 186-5: d > 2^(nlen/2).
    if (d <= 1n << BigInt(half)) continue;
    const jwk: JsonWebKey = {
      kty: 'RSA',
      n: b64u(n),
      e: b64u(e),
      d: b64u(d),
      p: b64u(p),
      q: b64u(q),
      dp: b64u(d % (p - 1n)),
      dq: b64u(d % (q - 1n)),
      qi: b64u(modInverse(q, p)),
    };
    const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    return { privateKey, pkcs8, spki, jwk, n, e, d, p, q };
  }
}
