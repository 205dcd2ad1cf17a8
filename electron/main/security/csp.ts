/**
 * The Content-Security-Policy of every app:// response (Electron security checklist #7,
 * electron-anchors §1): sent as a response header by the protocol handler, never as a <meta>
 * tag, so that it also covers the proxied API responses and cannot be removed by the page.
 * The test host (tests/host) serves the same string, so both runtimes enforce one policy.
 */

/** `http(s)://host[:port]` exactly as WHATWG URL serialises it; anything else is refused. */
export function assertBareHttpOrigin(origin: string): string {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(origin)}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`portal origin must be http(s): ${origin}`);
  // u.origin never carries a path, a query, userinfo or a separator a policy could be split on.
  if (u.origin !== origin) throw new Error(`portal origin must be a bare origin (scheme://host[:port]): ${origin}`);
  return origin;
}

export interface CspOptions {
  /** The configured portal's origin (`connect-src`); validated, so nothing can be injected. */
  portalOrigin: string;
}

export function buildCsp({ portalOrigin }: CspOptions): string {
  const portal = assertBareHttpOrigin(portalOrigin);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${portal}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The CSP of `/api/` responses (the portal's answers, proxied): they are data, never a
 * document or a script of ours, so a navigation to one gets a sandboxed, script-less page.
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/**
 * The headers every app:// response carries besides its own (CSP, no MIME sniffing, no
 * referrer to the portal, no embedding). Lower-case names: Headers are case-insensitive anyway.
 */
export function securityHeaders(csp: string): Record<string, string> {
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };
  // Electronegativity's CSP evaluator reads only string literals; this value is buildCsp()'s,
  // evaluated by the same evaluator in csp.test.ts.
  // (The directive leads the statement so that the bundler keeps it on this line in out/.)
  /* eng-disable CSP_GLOBAL_CHECK @preserve runtime value, see csp.test.ts */ headers['content-security-policy'] = csp;
  return headers;
}
