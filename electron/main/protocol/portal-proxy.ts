/**
 * `app://…/api/*` → the configured portal, through main's PortalSession (portal-session.ts
 * says why: the session cookie lives in main, not in the page). The page sees a same-origin
 * API; the portal sees main's requests with main's cookie jar.
 *
 * Only the methods the API uses pass; the page's Cookie, Origin, Host, Referer and hop-by-hop
 * headers are dropped (the jar and the transport set their own); Set-Cookie never reaches the
 * page; bodies are capped both ways; a redirect can only stay on the portal's /api/ paths.
 */
import { PROBLEM_CODES } from './problem.ts';

export const PROXIED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const API_PREFIX = '/api/';
/** Signed packages are at most ~20 MB of attachments plus base64/JSON overhead. */
export const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;
export const DEFAULT_PROXY_TIMEOUT_MS = 60_000;

/** The part of PortalSession the proxy uses. */
export interface PortalFetcher {
  readonly origin: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export interface ProxyOptions {
  portal: PortalFetcher;
  maxBodyBytes?: number;
  timeoutMs?: number;
}

const DROPPED_REQUEST_HEADERS = new Set([
  'cookie',
  'cookie2',
  'origin',
  'host',
  'referer',
  'authorization',
  'proxy-authorization',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'content-length',
  'accept-encoding',
]);

const DROPPED_RESPONSE_HEADERS = new Set([
  'set-cookie',
  'set-cookie2',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'trailer',
  'upgrade',
  'proxy-authenticate',
  // fetch() has already decoded the body: the page must not decode it again.
  'content-encoding',
  'content-length',
  'location',
  'strict-transport-security',
  'alt-svc',
  'content-security-policy',
  'content-security-policy-report-only',
]);

export function isApiPath(pathname: string): boolean {
  return pathname.startsWith(API_PREFIX);
}

/** A problem document (RFC 9457, like the portal's own) from the proxy itself. */
export function proxyProblem(status: number, code: keyof typeof PROBLEM_CODES, detail: string): Response {
  const spec = PROBLEM_CODES[code];
  return new Response(
    JSON.stringify({ type: 'about:blank', title: spec.title, titleJa: spec.titleJa, status, detail, code }),
    { status, headers: { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store' } },
  );
}

class TooLarge extends Error {}

/** The whole stream, or TooLarge once more than `limit` bytes arrived. */
async function readLimited(
  stream: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (stream === null) return null;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The portal path for an app URL: the same path and query, refused if it normalises out of /api/. */
export function portalPathFor(appUrl: URL, portalOrigin: string): string | undefined {
  const path = `${appUrl.pathname}${appUrl.search}`;
  if (!isApiPath(appUrl.pathname) || appUrl.pathname.includes('\\') || /%2f|%5c/i.test(appUrl.pathname))
    return undefined;
  const target = new URL(path, portalOrigin);
  if (target.origin !== portalOrigin || !isApiPath(target.pathname)) return undefined;
  return `${target.pathname}${target.search}`;
}

/** A portal redirect as seen by the page: a same-origin /api/ path, or nothing. */
function rewriteLocation(location: string | null, portalOrigin: string, requestPath: string): string | undefined {
  if (location === null) return undefined;
  let target: URL;
  try {
    target = new URL(location, new URL(requestPath, portalOrigin));
  } catch {
    return undefined;
  }
  if (target.origin !== portalOrigin || !isApiPath(target.pathname)) return undefined;
  return `${target.pathname}${target.search}${target.hash}`;
}

/**
 * Media types a portal answer may keep. Anything else — above all JavaScript, HTML, CSS, SVG —
 * becomes application/octet-stream: the page's `script-src 'self'` covers `/api/` too, and
 * with nosniff a non-script type cannot run as a script.
 */
export const API_MEDIA_TYPES: readonly string[] = [
  'application/json',
  'application/problem+json',
  'application/pdf',
  'application/zip',
  'application/octet-stream',
  'text/plain',
  'text/csv',
  'image/png',
  'image/jpeg',
  'image/webp',
];

export function safeApiContentType(contentType: string | null): string | undefined {
  if (contentType === null) return undefined;
  const essence = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return API_MEDIA_TYPES.includes(essence) ? contentType : 'application/octet-stream';
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export async function proxyToPortal(request: Request, appUrl: URL, options: ProxyOptions): Promise<Response> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const method = request.method.toUpperCase();
  if (!(PROXIED_METHODS as readonly string[]).includes(method)) {
    const r = proxyProblem(405, 'METHOD_NOT_ALLOWED', `${method} is not proxied`);
    r.headers.set('allow', PROXIED_METHODS.join(', '));
    return r;
  }
  const path = portalPathFor(appUrl, options.portal.origin);
  if (path === undefined) return proxyProblem(404, 'NOT_FOUND', 'not a portal API path');

  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) return proxyProblem(413, 'BODY_TOO_LARGE', `at most ${limit} bytes`);
  let body: Uint8Array<ArrayBuffer> | null;
  try {
    body = method === 'GET' ? null : await readLimited(request.body, limit);
  } catch (e) {
    if (e instanceof TooLarge) return proxyProblem(413, 'BODY_TOO_LARGE', `at most ${limit} bytes`);
    return proxyProblem(400, 'BAD_REQUEST', 'the request body could not be read');
  }

  const headers = new Headers();
  for (const [name, value] of request.headers) {
    const n = name.toLowerCase();
    if (DROPPED_REQUEST_HEADERS.has(n) || n.startsWith('sec-') || n.startsWith('proxy-')) continue;
    headers.append(n, value);
  }

  let upstream: Response;
  try {
    upstream = await options.portal.fetch(path, {
      method,
      headers,
      ...(body === null ? {} : { body }),
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_PROXY_TIMEOUT_MS),
    });
  } catch {
    return proxyProblem(502, 'PORTAL_UNREACHABLE', 'the portal could not be reached');
  }

  let payload: Uint8Array<ArrayBuffer> | null;
  try {
    payload = await readLimited(upstream.body, limit);
  } catch (e) {
    if (e instanceof TooLarge)
      return proxyProblem(502, 'RESPONSE_TOO_LARGE', `the portal answered more than ${limit} bytes`);
    return proxyProblem(502, 'PORTAL_UNREACHABLE', 'the portal response was cut off');
  }

  const out = new Headers();
  for (const [name, value] of upstream.headers) {
    const n = name.toLowerCase();
    if (DROPPED_RESPONSE_HEADERS.has(n) || n.startsWith('access-control-')) continue;
    out.append(n, value);
  }
  const type = safeApiContentType(upstream.headers.get('content-type'));
  if (type !== undefined) out.set('content-type', type);
  else if (payload !== null && payload.byteLength > 0) out.set('content-type', 'application/octet-stream');
  const location = rewriteLocation(upstream.headers.get('location'), options.portal.origin, path);
  if (location !== undefined) out.set('location', location);
  const status = upstream.status >= 200 && upstream.status <= 599 ? upstream.status : 502;
  return new Response(NULL_BODY_STATUSES.has(status) ? null : payload, { status, headers: out });
}
