/**
 * A minimal compact JWS (RFC 7515) for ES256 only — ECDSA P-256 with SHA-256, the signature as
 * the 64-byte r‖s (RFC 7518 §3.4) — with node:crypto and nothing else. Deliberately narrow:
 * the verifier accepts exactly alg "ES256" with a kid it knows (no "none", no HMAC, no
 * embedded jwk/jku/x5u, no "crit"), so the classic algorithm-confusion attacks have nowhere
 * to go.
 */
import { createHash, createPublicKey, type JsonWebKey, type KeyObject, sign, verify } from 'node:crypto';

export const JWS_ALG = 'ES256';

export interface JwsHeader {
  alg: typeof JWS_ALG;
  typ?: string;
  kid: string;
}

export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: typeof JWS_ALG;
  use: 'sig';
}

const b64u = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');

/** Strict base64url: the canonical, unpadded encoding of what it decodes to. */
function fromB64u(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return undefined;
  const b = Buffer.from(s, 'base64url');
  return b.toString('base64url') === s ? b : undefined;
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of an EC public key. */
export function jwkThumbprint(jwk: { crv: string; kty: string; x: string; y: string }): string {
  const canonical = `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}","y":"${jwk.y}"}`;
  return b64u(createHash('sha256').update(canonical).digest());
}

export function publicJwk(publicKey: KeyObject): PublicJwk {
  const j = publicKey.export({ format: 'jwk' }) as JsonWebKey;
  if (j.kty !== 'EC' || j.crv !== 'P-256' || typeof j.x !== 'string' || typeof j.y !== 'string') {
    throw new Error('the motto signing key is not an EC P-256 key');
  }
  const base = { kty: 'EC' as const, crv: 'P-256' as const, x: j.x, y: j.y };
  return { ...base, kid: jwkThumbprint(base), alg: JWS_ALG, use: 'sig' };
}

export function signJws(payload: object, privateKey: KeyObject, header: Omit<JwsHeader, 'alg'>): string {
  const input = `${b64u(JSON.stringify({ alg: JWS_ALG, ...header }))}.${b64u(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input, 'ascii'), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64u(signature)}`;
}

export class JwsError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.name = 'JwsError';
    this.reason = reason;
  }
}

/** Verifies a compact ES256 JWS against a JWK set; returns the header and the parsed payload. */
export function verifyJws(
  token: string,
  jwks: { keys: { kid?: string; kty?: string; crv?: string; x?: string; y?: string }[] },
): { header: JwsHeader; payload: Record<string, unknown> } {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwsError('malformed', 'a compact JWS has three parts');
  const [h, p, s] = parts as [string, string, string];
  const headerBytes = fromB64u(h);
  const payloadBytes = fromB64u(p);
  const sig = fromB64u(s);
  if (!headerBytes || !payloadBytes || !sig) throw new JwsError('malformed', 'not canonical base64url');
  let header: Record<string, unknown>;
  let payload: unknown;
  try {
    header = JSON.parse(headerBytes.toString('utf8'));
    payload = JSON.parse(payloadBytes.toString('utf8'));
  } catch {
    throw new JwsError('malformed', 'header or payload is not JSON');
  }
  if (typeof header !== 'object' || header === null || header.alg !== JWS_ALG) {
    throw new JwsError('algorithm', `only alg ${JWS_ALG} is accepted`);
  }
  for (const k of ['crit', 'jwk', 'jku', 'x5u', 'x5c']) {
    if (k in header) throw new JwsError('header', `header member ${k} is not accepted`);
  }
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (jwk?.kty !== 'EC' || jwk.crv !== 'P-256') throw new JwsError('key', `no P-256 key ${String(header.kid)}`);
  if (sig.length !== 64) throw new JwsError('signature', 'an ES256 signature is 64 bytes');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
  const ok = verify('sha256', Buffer.from(`${h}.${p}`, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, sig);
  if (!ok) throw new JwsError('signature', 'the signature does not verify');
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new JwsError('malformed', 'the payload is not a JSON object');
  }
  return { header: header as unknown as JwsHeader, payload: payload as Record<string, unknown> };
}
