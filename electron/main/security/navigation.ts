/**
 * Where a window may go (Electron security checklist #13, electron-anchors §1 and §6): only our
 * own app:// pages, decided with a real URL parser — never with string prefixes, which
 * `app://myna-companion.attacker.example/` or `app://myna-companion@attacker.example/` pass.
 */

/** Our app:// origin, e.g. `app://myna-companion`. */
export interface AppOriginParts {
  protocol: string;
  host: string;
}

/**
 * `scheme://host[:port]` of an app origin, checked to be one: WHATWG URL gives custom schemes
 * an opaque `null` origin, so the parts are compared by hand.
 */
export function parseAppOrigin(appOrigin: string): AppOriginParts {
  const u = new URL(appOrigin);
  if (!u.host || u.username || u.password || `${u.protocol}//${u.host}` !== appOrigin) {
    throw new Error(`not a bare app origin: ${appOrigin}`);
  }
  return { protocol: u.protocol, host: u.host };
}

/** The URL parsed, when it is on our app origin without userinfo; undefined otherwise. */
export function parseAppUrl(url: string, appOrigin: string): URL | undefined {
  const app = parseAppOrigin(appOrigin);
  if (typeof url !== 'string' || url.length > 8192) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== app.protocol || u.host !== app.host) return undefined;
  if (u.username !== '' || u.password !== '') return undefined;
  return u;
}

/**
 * May a frame of a window navigate to `url`? Only to our app origin and, when `pages` is
 * given, only to those paths (each window kind has its own entry page: a portal window never
 * turns into a consent page). Query and fragment are free.
 */
export function isAllowedNavigation(url: string, appOrigin: string, pages?: readonly string[]): boolean {
  const u = parseAppUrl(url, appOrigin);
  if (!u) return false;
  return pages === undefined || pages.includes(u.pathname);
}
