/**
 * The portal URL rule. The app binds every login assertion to this origin (DESIGN §4 "Login")
 * and sends signed applications to it, so it must be authenticated transport: https, or plain
 * http only on this machine's loopback interface (the embedded demo portal, a developer's
 * portal). It is an origin, nothing more: PortalSession talks to `scheme://host[:port]` and
 * refuses anything else, so a path, query, fragment or user:password@ is refused here already.
 */

export type PortalUrlRule =
  /** Not a URL at all. */
  | 'malformed'
  /** Neither https nor http. */
  | 'scheme'
  /** http, but the host is not loopback (127.0.0.0/8, ::1, localhost). */
  | 'not-loopback'
  /** user:password@ in the URL. */
  | 'credentials'
  /** A path other than "/", a query or a fragment. */
  | 'not-origin'
  /** A host name that is not plain DNS labels or an IP literal (underscores, a trailing dot…). */
  | 'host'
  /** Over 2048 characters. */
  | 'too-long'
  /** Stored files only: a valid URL that is not written as its normalised origin. */
  | 'not-normalised';

const MAX_LENGTH = 2048;
const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const DNS_HOST = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const IPV6_HOST = /^\[[0-9a-f:.]+\]$/;

export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  // The URL parser has already turned 127.1, 0x7f.1, 2130706433 … into dotted decimal.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

type Parsed = { ok: true; origin: string } | { ok: false; rule: PortalUrlRule };

function parse(input: string): Parsed {
  if (input.length > MAX_LENGTH) return { ok: false, rule: 'too-long' };
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    return { ok: false, rule: 'malformed' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false, rule: 'scheme' };
  if (u.username !== '' || u.password !== '') return { ok: false, rule: 'credentials' };
  if ((u.pathname !== '/' && u.pathname !== '') || u.search !== '' || u.hash !== '' || /[?#]/.test(input)) {
    return { ok: false, rule: 'not-origin' };
  }
  if (!DNS_HOST.test(u.hostname) && !IPV6_HOST.test(u.hostname)) return { ok: false, rule: 'host' };
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) return { ok: false, rule: 'not-loopback' };
  return { ok: true, origin: u.origin };
}

/** Why `input` cannot be the portal URL, or undefined when it can. */
export function portalUrlProblem(input: string): { rule: PortalUrlRule } | undefined {
  const p = parse(input);
  return p.ok ? undefined : { rule: p.rule };
}

/** The origin to store for an acceptable input (`https://Portal.example.jp/` → `https://portal.example.jp`). */
export function normalisePortalUrl(input: string): { ok: true; origin: string } | { ok: false; rule: PortalUrlRule } {
  return parse(input);
}

/** For a value read from the settings file: acceptable AND already normalised. */
export function storedPortalUrlProblem(stored: string): { rule: PortalUrlRule } | undefined {
  const p = parse(stored);
  if (!p.ok) return { rule: p.rule };
  if (p.origin !== stored) return { rule: 'not-normalised' };
  return undefined;
}
