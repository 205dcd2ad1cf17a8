/**
 * portal/motto — もっとつながる: linked external sites and the short-lived signed assertions
 * that log a resident in there (assertion.ts says how a site verifies one).
 */
import { DEFAULT_ASSERTION_TTL_SECONDS, MAX_ASSERTION_TTL_SECONDS } from './assertion.ts';
import { loadOrCreateMottoKeys, type MottoKeys } from './keys.ts';

export {
  ASSERTION_TYP,
  type AssertionClaims,
  AssertionError,
  DEFAULT_ASSERTION_TTL_SECONDS,
  issueAssertion,
  pairwiseSubject,
  verifyAssertion,
} from './assertion.ts';
export { JWS_ALG, type PublicJwk, verifyJws } from './jws.ts';
export { MOTTO_KEY_FILE, type MottoKeys } from './keys.ts';
export { DEMO_MOTTO_SITES, type MottoSite, seedMottoSites } from './sites.ts';

export interface MottoOptions {
  /** `iss` of the assertions. Default: the portal's public origin (expectedOrigin, else its URL). */
  issuer?: string;
  /** Assertion lifetime, seconds (1–300). Default 60. */
  assertionTtlSeconds?: number;
}

/** What the もっとつながる routes need at request time (PortalContext.motto). */
export interface MottoRuntime {
  keys: MottoKeys;
  /** Set by startPortal once the URL is known, unless configured. */
  issuer: string | undefined;
  ttlSeconds: number;
}

export function createMottoRuntime(dataDir: string, options: MottoOptions = {}, now?: () => Date): MottoRuntime {
  const ttl = options.assertionTtlSeconds ?? DEFAULT_ASSERTION_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_ASSERTION_TTL_SECONDS) {
    throw new Error(`motto.assertionTtlSeconds must be 1–${MAX_ASSERTION_TTL_SECONDS}`);
  }
  return { keys: loadOrCreateMottoKeys(dataDir, now), issuer: options.issuer, ttlSeconds: ttl };
}
