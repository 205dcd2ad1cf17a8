/**
 * Main's connection to the configured portal: the one origin it may talk to and the session
 * cookies it holds for the page.
 *
 * The page never talks to the portal directly: its `fetch('/api/v1/…')` goes to its own app://
 * origin and main forwards it here (portal-proxy.ts), because a SameSite=Strict session cookie
 * set by the portal's origin is never sent from an app:// page. Keeping the jar in main also
 * lets the outbox deliver with the resident's session, and lets kiosk mode drop it with
 * everything else at the end of a session.
 */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export class PortalSession {
  readonly origin: string;
  private readonly doFetch: FetchLike;
  private readonly cookies = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  /** Bumped by clear(): a response to a request sent before the last clear() sets no cookie. */
  private generation = 0;

  constructor(origin: string, doFetch: FetchLike = (u, i) => fetch(u, i)) {
    const u = new URL(origin);
    if (u.origin !== origin) throw new Error('portal origin must be a bare origin (scheme://host[:port])');
    this.origin = origin;
    this.doFetch = doFetch;
  }

  /** `path` is an absolute path on the portal (`/api/v1/...`); anything else is refused. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    if (!path.startsWith('/') || path.startsWith('//')) throw new Error('portal path must be absolute');
    const url = new URL(path, this.origin);
    if (url.origin !== this.origin) throw new Error('portal path escapes the portal origin');
    const headers = new Headers(init.headers);
    headers.delete('cookie');
    const cookie = this.cookieHeader();
    if (cookie) headers.set('cookie', cookie);
    const generation = this.generation;
    const res = await this.doFetch(url.href, { ...init, headers, redirect: 'manual' });
    // A kiosk wipe may have happened while this request was in flight: a login that completes
    // after it must not hand the last resident's session to the next one.
    if (generation === this.generation) this.absorb(res.headers.getSetCookie());
    return res;
  }

  hasSessionCookie(): boolean {
    return this.cookies.size > 0;
  }

  /** Logout, kiosk wipe: forget every cookie. */
  clear(): void {
    this.generation++;
    this.cookies.clear();
    this.emit();
  }

  /** Called whenever the cookie jar changes (a login or a logout happened). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private absorb(setCookies: string[]): void {
    if (setCookies.length === 0) return;
    for (const line of setCookies) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k = '', v = ''] = a.split('=').map((s) => s.trim());
        if (k.toLowerCase() === 'max-age') return Number(v) <= 0;
        if (k.toLowerCase() === 'expires') return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
