/**
 * The app:// protocol handler (Electron security checklist #7 and #18), transport-free: it
 * takes a fetch Request and returns a fetch Response, so Node tests drive it with real
 * Request objects and Electron's `protocol.handle` (protocol.ts) only passes it through.
 *
 * - only our host (`app://myna-companion/…`); any other host is a 404;
 * - `/api/*` → the portal through main's PortalSession (portal-proxy.ts);
 * - everything else: GET/HEAD of a file inside the built renderer (static-files.ts);
 * - every response, errors included, carries a CSP and nosniff (security/csp.ts): our pages
 *   the page CSP, the portal's answers a sandboxing one (they are data, never our documents).
 */
import { API_CSP, securityHeaders } from '../security/csp.ts';
import { parseAppUrl } from '../security/navigation.ts';
import { isApiPath, type PortalFetcher, proxyProblem, proxyToPortal } from './portal-proxy.ts';
import { readStaticFile } from './static-files.ts';

export interface AppProtocolOptions {
  /** `app://myna-companion`. */
  appOrigin: string;
  /** Absolute path of the built renderer (out/renderer). */
  rendererRoot: string;
  /** buildCsp({portalOrigin}). */
  csp: string;
  portal: PortalFetcher;
  maxBodyBytes?: number;
  timeoutMs?: number;
}

export type AppProtocolHandler = (request: Request) => Promise<Response>;

/** The same response with the security headers set (overriding any the portal sent). */
export function withSecurityHeaders(response: Response, csp: string): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(securityHeaders(csp))) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function notFound(): Response {
  return new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

export function createAppProtocolHandler(options: AppProtocolOptions): AppProtocolHandler {
  const proxyOptions = {
    portal: options.portal,
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  const handle = async (request: Request): Promise<Response> => {
    const url = parseAppUrl(request.url, options.appOrigin);
    if (!url) return notFound();
    if (isApiPath(url.pathname)) return withSecurityHeaders(await proxyToPortal(request, url, proxyOptions), API_CSP);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const r = proxyProblem(405, 'METHOD_NOT_ALLOWED', 'static pages are read-only');
      r.headers.set('allow', 'GET, HEAD');
      return r;
    }
    const file = await readStaticFile(options.rendererRoot, url.pathname);
    if (file.status !== 200) return notFound();
    return new Response(request.method === 'HEAD' ? null : file.body, {
      status: 200,
      headers: {
        'content-type': file.contentType,
        'content-length': String(file.body.byteLength),
        // The build is immutable for the life of the process, but a kiosk session must not
        // leave even a cached page behind: no HTTP cache at all.
        'cache-control': 'no-store',
      },
    });
  };
  return async (request) => {
    let response: Response;
    try {
      response = await handle(request);
    } catch {
      response = new Response('Internal Error', {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    // Proxied answers already carry the stricter API_CSP; everything else gets the page CSP.
    return response.headers.has('content-security-policy') ? response : withSecurityHeaders(response, options.csp);
  };
}
