/**
 * What a window's session may load at all (Electron security checklist #1): our app:// origin
 * and inline `data:`/`blob:` resources, nothing else. The page reaches the portal through
 * `/api/` on its own origin (main proxies it), so no window needs the network; the configured
 * portal origin is let through only because the CSP's connect-src names it. DevTools' own
 * scheme passes in development.
 */
import { parseAppUrl } from './navigation.ts';

export interface RequestPolicy {
  appOrigin: string;
  portalOrigin: string;
  devTools: boolean;
}

export function isAllowedRequest(url: string, policy: RequestPolicy): boolean {
  if (parseAppUrl(url, policy.appOrigin) !== undefined) return true;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
  if (policy.devTools && (u.protocol === 'devtools:' || u.protocol === 'chrome-extension:')) return true;
  return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === policy.portalOrigin;
}
