import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortalSession } from '../portal/portal-session.ts';
import { API_CSP, buildCsp } from '../security/csp.ts';
import { createAppProtocolHandler } from './app-handler.ts';
import { type PortalFetcher, portalPathFor, safeApiContentType } from './portal-proxy.ts';

const APP = 'app://myna-companion';
let base: string;
let rendererRoot: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'myna-app-'));
  rendererRoot = join(base, 'renderer');
  mkdirSync(join(rendererRoot, 'assets'), { recursive: true });
  writeFileSync(join(rendererRoot, 'index.html'), '<!doctype html><title>portal</title>');
  writeFileSync(join(rendererRoot, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(rendererRoot, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), 'outside');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A PortalFetcher that records what it was asked and answers with `respond`. */
function fakePortal(
  respond: (path: string, init: RequestInit) => Response | Promise<Response> = () => Response.json({}),
) {
  const calls: { path: string; init: RequestInit; body: string | undefined }[] = [];
  const portal: PortalFetcher = {
    origin: 'https://portal.example.lg.jp',
    async fetch(path, init = {}) {
      const body =
        init.body === undefined || init.body === null ? undefined : new TextDecoder().decode(init.body as Uint8Array);
      calls.push({ path, init, body });
      return respond(path, init);
    },
  };
  return { portal, calls };
}

function handlerWith(portal: PortalFetcher, extra: { maxBodyBytes?: number } = {}) {
  return createAppProtocolHandler({
    appOrigin: APP,
    rendererRoot,
    csp: buildCsp({ portalOrigin: portal.origin }),
    portal,
    ...extra,
  });
}

describe('app:// static files (checklist #7, #18)', () => {
  const { portal } = fakePortal();
  // Built per call: rendererRoot exists only once beforeAll has run.
  const handle = (request: Request) => handlerWith(portal)(request);

  it('#7 every page carries the CSP header, nosniff and its MIME type', async () => {
    const r = await handle(new Request(`${APP}/index.html`));
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('portal');
    expect(r.headers.get('content-security-policy')).toBe(buildCsp({ portalOrigin: 'https://portal.example.lg.jp' }));
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await handle(new Request(`${APP}/assets/app.js`))).headers.get('content-type')).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await handle(new Request(`${APP}/assets/app.css`))).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
    expect((await handle(new Request(`${APP}/`))).status).toBe(200);
  });

  it('#7 errors carry the CSP too', async () => {
    const r = await handle(new Request(`${APP}/missing.html`));
    expect(r.status).toBe(404);
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('#18 traversal attempts are 404s', async () => {
    for (const url of [`${APP}/%2e%2e/secret.txt`, `${APP}/..%2fsecret.txt`, `${APP}/..%5csecret.txt`]) {
      const r = await handle(new Request(url));
      expect(r.status, url).toBe(404);
      expect(await r.text()).not.toContain('outside');
    }
  });

  it('answers only our own host', async () => {
    expect((await handle(new Request('app://other-host/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://myna-companion.attacker.example/index.html'))).status).toBe(404);
  });

  it('static pages are read-only', async () => {
    const r = await handle(new Request(`${APP}/index.html`, { method: 'POST', body: 'x' }));
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, HEAD');
    const head = await handle(new Request(`${APP}/index.html`, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('app:// /api/ proxy to the portal', () => {
  it('forwards path, query, method and body through the PortalSession', async () => {
    const { portal, calls } = fakePortal(() => Response.json({ ok: true }, { status: 201 }));
    const handle = handlerWith(portal);
    const r = await handle(
      new Request(`${APP}/api/v1/kosodate/applications?draft=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1', accept: 'application/json' },
        body: JSON.stringify({ a: 1 }),
      }),
    );
    expect(r.status).toBe(201);
    expect(await r.json()).toEqual({ ok: true });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.path).toBe('/api/v1/kosodate/applications?draft=1');
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.body).toBe('{"a":1}');
    const sent = calls[0]?.init.headers as Headers;
    expect(sent.get('content-type')).toBe('application/json');
    expect(sent.get('idempotency-key')).toBe('k-1');
  });

  it('strips the page-side Cookie, Origin, Host, Referer and hop-by-hop headers', async () => {
    const { portal, calls } = fakePortal();
    const handle = handlerWith(portal);
    await handle(
      new Request(`${APP}/api/v1/me`, {
        headers: {
          cookie: 'myna_session=stolen',
          origin: 'https://attacker.example',
          referer: `${APP}/index.html`,
          'sec-fetch-site': 'same-origin',
          authorization: 'Bearer x',
          'accept-encoding': 'gzip',
          'accept-language': 'ja',
        },
      }),
    );
    const sent = calls[0]?.init.headers as Headers;
    for (const h of ['cookie', 'origin', 'host', 'referer', 'sec-fetch-site', 'authorization', 'accept-encoding']) {
      expect(sent.has(h), h).toBe(false);
    }
    expect(sent.get('accept-language')).toBe('ja');
  });

  it('allows only GET/POST/PUT/PATCH/DELETE', async () => {
    const { portal, calls } = fakePortal();
    const handle = handlerWith(portal);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await handle(new Request(`${APP}/api/v1/x`, { method, ...(method === 'GET' ? {} : { body: '{}' }) }));
      expect(r.status, method).toBe(200);
    }
    for (const method of ['HEAD', 'OPTIONS', 'TRACE', 'CONNECT']) {
      const init = method === 'CONNECT' || method === 'TRACE' ? undefined : { method };
      if (!init) continue; // the Fetch API refuses to build these requests at all
      const r = await handle(new Request(`${APP}/api/v1/x`, init));
      expect(r.status, method).toBe(405);
    }
    expect(calls).toHaveLength(5);
  });

  it('never passes Set-Cookie (or the portal CSP) to the page; answers get the sandboxing API CSP', async () => {
    const { portal } = fakePortal(
      () =>
        new Response('{}', {
          headers: {
            'content-type': 'application/json',
            'set-cookie': 'myna_session=abc; HttpOnly; SameSite=Strict',
            'content-security-policy': 'script-src *',
            'access-control-allow-origin': APP,
            'x-request-id': 'r1',
          },
        }),
    );
    const r = await handlerWith(portal)(new Request(`${APP}/api/v1/auth/login`, { method: 'POST', body: '{}' }));
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(r.headers.getSetCookie()).toEqual([]);
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect(r.headers.get('content-security-policy')).toBe(API_CSP);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-request-id')).toBe('r1');
  });

  it('a portal answer can never be a script or a document of our origin', async () => {
    for (const [type, expected] of [
      ['text/javascript', 'application/octet-stream'],
      ['application/javascript; charset=utf-8', 'application/octet-stream'],
      ['text/html', 'application/octet-stream'],
      ['image/svg+xml', 'application/octet-stream'],
      ['text/css', 'application/octet-stream'],
      ['application/json; charset=utf-8', 'application/json; charset=utf-8'],
      ['application/problem+json', 'application/problem+json'],
      ['application/pdf', 'application/pdf'],
    ] as const) {
      expect(safeApiContentType(type), type).toBe(expected);
      const { portal } = fakePortal(() => new Response('x', { headers: { 'content-type': type } }));
      const r = await handlerWith(portal)(new Request(`${APP}/api/v1/file`));
      expect(r.headers.get('content-type'), type).toBe(expected);
    }
  });

  it('caps request and response bodies', async () => {
    const { portal, calls } = fakePortal(() => new Response(new Uint8Array(2048)));
    const handle = handlerWith(portal, { maxBodyBytes: 1024 });
    const big = await handle(new Request(`${APP}/api/v1/x`, { method: 'POST', body: new Uint8Array(1025) }));
    expect(big.status).toBe(413);
    expect((await big.json()).code).toBe('BODY_TOO_LARGE');
    expect(calls).toHaveLength(0);
    const bigAnswer = await handle(new Request(`${APP}/api/v1/x`));
    expect(bigAnswer.status).toBe(502);
    expect((await bigAnswer.json()).code).toBe('RESPONSE_TOO_LARGE');
  });

  it('the default limit is about 25 MB', async () => {
    const { portal, calls } = fakePortal();
    const handle = handlerWith(portal);
    const ok = await handle(new Request(`${APP}/api/v1/x`, { method: 'POST', body: new Uint8Array(25 * 1024 * 1024) }));
    expect(ok.status).toBe(200);
    const tooBig = await handle(
      new Request(`${APP}/api/v1/x`, { method: 'POST', body: new Uint8Array(25 * 1024 * 1024 + 1) }),
    );
    expect(tooBig.status).toBe(413);
    expect(calls).toHaveLength(1);
  });

  it('an unreachable portal is a 502 problem document', async () => {
    const { portal } = fakePortal(() => {
      throw new TypeError('fetch failed');
    });
    const r = await handlerWith(portal)(new Request(`${APP}/api/v1/me`));
    expect(r.status).toBe(502);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(await r.json()).toMatchObject({ code: 'PORTAL_UNREACHABLE', status: 502 });
  });

  it('paths cannot leave /api/ on the portal, and redirects stay on it', async () => {
    const portalOrigin = 'https://portal.example.lg.jp';
    expect(portalPathFor(new URL(`${APP}/api/v1/me?x=1`), portalOrigin)).toBe('/api/v1/me?x=1');
    expect(portalPathFor(new URL(`${APP}/api/%2e%2e/admin`), portalOrigin)).toBeUndefined();
    expect(portalPathFor(new URL(`${APP}/api/v1%2f..%2f..%2fadmin`), portalOrigin)).toBeUndefined();
    expect(portalPathFor(new URL(`${APP}/api`), portalOrigin)).toBeUndefined();

    const { portal } = fakePortal((path) =>
      path === '/api/v1/a'
        ? new Response(null, { status: 302, headers: { location: 'https://portal.example.lg.jp/api/v1/b?c=1' } })
        : new Response(null, { status: 302, headers: { location: 'https://attacker.example/phish' } }),
    );
    const handle = handlerWith(portal);
    const same = await handle(new Request(`${APP}/api/v1/a`));
    expect(same.status).toBe(302);
    expect(same.headers.get('location')).toBe('/api/v1/b?c=1');
    const away = await handle(new Request(`${APP}/api/v1/elsewhere`));
    expect(away.headers.get('location')).toBeNull();
  });
});

describe('the proxy against a real portal over HTTP, with main’s cookie jar', () => {
  let server: Server;
  let origin: string;
  const seen: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
        if (req.url === '/api/v1/auth/login') {
          res.setHeader('set-cookie', 'myna_session=s3cret; Path=/; HttpOnly; SameSite=Strict');
          res.setHeader('content-type', 'application/json');
          res.end('{"loggedIn":true}');
        } else if (req.url === '/api/v1/me') {
          res.setHeader('content-type', 'application/json');
          res.setHeader('content-encoding', 'gzip');
          res.end(gzipSync(JSON.stringify({ cookie: req.headers.cookie ?? null })));
        } else {
          res.statusCode = 404;
          res.end();
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('the page reaches the portal through its own origin; the session cookie stays in main', async () => {
    const session = new PortalSession(origin);
    const handle = handlerWith(session);
    const login = await handle(
      new Request(`${APP}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: APP },
        body: '{"assertion":"x"}',
      }),
    );
    expect(login.status).toBe(200);
    expect(login.headers.getSetCookie()).toEqual([]);
    expect(session.hasSessionCookie()).toBe(true);
    expect(seen.at(-1)?.body).toBe('{"assertion":"x"}');
    expect(seen.at(-1)?.headers.origin).toBeUndefined();

    // The next call carries main's cookie, not the page's; the gzip body arrives decoded once.
    const me = await handle(new Request(`${APP}/api/v1/me`, { headers: { cookie: 'myna_session=forged' } }));
    expect(me.headers.get('content-encoding')).toBeNull();
    expect(await me.json()).toEqual({ cookie: 'myna_session=s3cret' });
  });

  it('a login answered after a kiosk wipe does not survive into the next session', async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const session = new PortalSession(origin, async (url, init) => {
      await gate;
      return fetch(url, init);
    });
    const pending = session.fetch('/api/v1/auth/login', { method: 'POST', body: '{}' });
    session.clear(); // the wipe happens while the login is in flight
    release?.();
    await pending;
    expect(session.hasSessionCookie()).toBe(false);
  });
});
