/**
 * The only way a link leaves the app (Electron security checklist #15): https, a host on the
 * allowlist, no userinfo, default port — and what is handed to the OS is the parser's
 * normalised href, never the page's string. In kiosk mode nothing leaves (electron-anchors §6).
 */

/** Government sites the portal links to; the configured portal host is added at start-up. */
export const EXTERNAL_HOSTS = ['myna.go.jp', 'www.digital.go.jp', 'www.jpki.go.jp'] as const;

export const MAX_EXTERNAL_URL_LENGTH = 2048;

/** The hosts links may open: the fixed list plus the configured portal's host when it is https. */
export function externalHostsFor(portalOrigin: string | undefined): string[] {
  const hosts: string[] = [...EXTERNAL_HOSTS];
  if (portalOrigin) {
    try {
      const u = new URL(portalOrigin);
      if (u.protocol === 'https:' && !hosts.includes(u.host)) hosts.push(u.host);
    } catch {
      // not a URL: nothing to add
    }
  }
  return hosts;
}

/** The normalised https URL to open, or undefined when the URL may not be opened. */
export function externalUrl(url: unknown, allowedHosts: readonly string[]): string | undefined {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_EXTERNAL_URL_LENGTH) return undefined;
  // The WHATWG parser silently drops tabs/newlines and trims C0 controls; a URL that needs that
  // was written to fool someone.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u0020\u007f\\]/.test(url)) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:') return undefined;
  if (u.username !== '' || u.password !== '') return undefined;
  // u.host is lower-case, punycode, without the default port: 'MYNA.go.jp:443' → 'myna.go.jp'.
  if (!allowedHosts.includes(u.host)) return undefined;
  return u.href;
}

export interface SafeOpenExternalOptions {
  allowedHosts: readonly string[];
  kiosk: boolean;
  /** shell.openExternal in Electron. */
  open: (url: string) => Promise<void>;
}

/** Opens the URL in the user's browser when it is allowed; returns whether it did. */
export async function safeOpenExternal(url: unknown, options: SafeOpenExternalOptions): Promise<boolean> {
  if (options.kiosk) return false;
  const safe = externalUrl(url, options.allowedHosts);
  if (safe === undefined) return false;
  try {
    await options.open(safe);
    return true;
  } catch {
    return false;
  }
}
