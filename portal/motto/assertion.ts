/**
 * もっとつながる login assertions: a short-lived compact JWS (ES256) that a linked external site
 * verifies to log the resident in without a login of its own.
 *
 *   header  { "alg": "ES256", "typ": "myna-assertion+jwt", "kid": <RFC 7638 thumbprint> }
 *   payload { "iss": <portal URL>, "aud": <site id>, "sub": <pairwise pseudonym>,
 *             "iat": <s>, "exp": <iat + 60>, "jti": <random>, "nonce"?: <from the site> }
 *
 * `sub` is pairwise: base64url(HMAC-SHA256(portal secret, "myna-motto-sub/v1" ‖ site id ‖
 * resident id)) — stable for one resident at one site, unrelated across sites, so two sites
 * cannot correlate their users; it reveals nothing about the resident id.
 *
 * How a linked site verifies (verifyAssertion below is a reference implementation):
 *  1. Fetch GET /api/v1/motto/jwks.json (cache it; re-fetch on an unknown kid).
 *  2. Check the JWS: alg exactly ES256, the kid in the set, the signature (r‖s, 64 bytes).
 *  3. iss = the portal URL it trusts; aud = its own site id; now < exp (allow ≤ 30 s skew);
 *     iat not in the future beyond the skew; exp − iat ≤ 300.
 *  4. nonce = the one it generated for this login attempt (binds the assertion to the
 *     browser session that started it; without one, a leaked assertion logs in whoever has it).
 *  5. Remember jti until exp and refuse a second use (single use).
 *  6. Key its account on sub (not on anything else).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { JwsError, signJws, verifyJws } from './jws.ts';
import type { MottoKeys } from './keys.ts';

export const ASSERTION_TYP = 'myna-assertion+jwt';
export const DEFAULT_ASSERTION_TTL_SECONDS = 60;
export const MAX_ASSERTION_TTL_SECONDS = 300;

export interface AssertionClaims {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  exp: number;
  jti: string;
  nonce?: string;
}

/** The resident's pseudonym at one site. */
export function pairwiseSubject(secret: Uint8Array, residentId: string, siteId: string): string {
  return createHmac('sha256', secret)
    .update(`myna-motto-sub/v1\u0000${siteId}\u0000${residentId}`, 'utf8')
    .digest('base64url');
}

export function issueAssertion(
  keys: MottoKeys,
  o: { issuer: string; siteId: string; residentId: string; now: Date; ttlSeconds: number; nonce?: string },
): { token: string; claims: AssertionClaims } {
  const iat = Math.floor(o.now.getTime() / 1000);
  const claims: AssertionClaims = {
    iss: o.issuer,
    aud: o.siteId,
    sub: pairwiseSubject(keys.pairwiseSecret, o.residentId, o.siteId),
    iat,
    exp: iat + o.ttlSeconds,
    jti: randomBytes(16).toString('base64url'),
    ...(o.nonce !== undefined ? { nonce: o.nonce } : {}),
  };
  return { token: signJws(claims, keys.privateKey, { typ: ASSERTION_TYP, kid: keys.jwk.kid }), claims };
}

export class AssertionError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.name = 'AssertionError';
    this.reason = reason;
  }
}

/**
 * The linked site's check. Throws AssertionError with `reason` one of malformed, algorithm,
 * header, key, signature, type, issuer, audience, expired, not-yet-valid, lifetime, nonce.
 */
export function verifyAssertion(
  token: string,
  o: {
    jwks: { keys: { kid?: string; kty?: string; crv?: string; x?: string; y?: string }[] };
    issuer: string;
    audience: string;
    now?: Date;
    nonce?: string;
    clockSkewSeconds?: number;
  },
): AssertionClaims {
  let verified: ReturnType<typeof verifyJws>;
  try {
    verified = verifyJws(token, o.jwks);
  } catch (e) {
    if (e instanceof JwsError) throw new AssertionError(e.reason, e.message);
    throw e;
  }
  const { header, payload: c } = verified;
  if (header.typ !== ASSERTION_TYP) throw new AssertionError('type', `typ must be ${ASSERTION_TYP}`);
  const now = Math.floor((o.now ?? new Date()).getTime() / 1000);
  const skew = o.clockSkewSeconds ?? 30;
  const int = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);
  if (typeof c.sub !== 'string' || typeof c.jti !== 'string' || !int(c.iat) || !int(c.exp)) {
    throw new AssertionError('malformed', 'sub, jti, iat and exp are required');
  }
  const iat = c.iat as number;
  const exp = c.exp as number;
  if (c.iss !== o.issuer) throw new AssertionError('issuer', `iss ${String(c.iss)} ≠ ${o.issuer}`);
  if (c.aud !== o.audience) throw new AssertionError('audience', `aud ${String(c.aud)} ≠ ${o.audience}`);
  if (now >= exp + skew) throw new AssertionError('expired', `expired at ${exp} (now ${now})`);
  if (iat > now + skew) throw new AssertionError('not-yet-valid', `issued in the future (${iat}, now ${now})`);
  if (exp <= iat || exp - iat > MAX_ASSERTION_TTL_SECONDS)
    throw new AssertionError('lifetime', 'exp − iat out of range');
  if (o.nonce !== undefined && c.nonce !== o.nonce) throw new AssertionError('nonce', 'nonce does not match');
  return c as unknown as AssertionClaims;
}
