/**
 * A real listening portal on 127.0.0.1, driven with fetch: cookies, CORS for the app origin
 * only, the origin guard, logout, https with a Secure cookie, and a clean close.
 */
import { execFileSync } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APP_ORIGIN } from '../start.ts';
import { loginBody, startTestPortal, type TestPortal } from './test-support.ts';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(() => portal.dispose());

const APP = DEFAULT_APP_ORIGIN;

async function fetchLogin(p: TestPortal, residentId: string, origin = APP) {
  const ch = await (await fetch(`${p.url}/api/v1/auth/challenge`, { method: 'POST', headers: { origin } })).json();
  return fetch(`${p.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(loginBody(p, ch, residentId)),
  });
}

describe('over HTTP', () => {
  it('the app origin gets CORS with credentials; login sets a strict HttpOnly cookie that opens /me', async () => {
    const pre = await fetch(`${portal.url}/api/v1/auth/login`, {
      method: 'OPTIONS',
      headers: {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(APP);
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');

    const r = await fetchLogin(portal, 'resident-01');
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe(APP);
    const [set] = r.headers.getSetCookie();
    expect(set).toMatch(/^myna_session=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/api\/v1; HttpOnly; SameSite=Strict$/);
    const cookie = (set as string).split(';')[0] as string;

    const me = await fetch(`${portal.url}/api/v1/me`, { headers: { cookie, origin: APP } });
    expect(me.status).toBe(200);
    expect((await me.json()).id).toBe('resident-01');
    expect(me.headers.get('access-control-allow-origin')).toBe(APP);

    const out = await fetch(`${portal.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, origin: APP } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toMatch(
      /^myna_session=; Max-Age=0; Path=\/api\/v1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/,
    );
    const after = await fetch(`${portal.url}/api/v1/me`, { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(after.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await after.json()).code).toBe('UNAUTHENTICATED');
  });

  it('other origins get no CORS headers and cannot change anything', async () => {
    const evil = 'https://evil.example';
    const pre = await fetch(`${portal.url}/api/v1/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: evil, 'access-control-request-method': 'POST' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${portal.url}/api/v1/health`, { headers: { origin: evil } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(`${portal.url}/api/v1/auth/challenge`, { method: 'POST', headers: { origin: evil } });
    expect(post.status).toBe(403);
    expect((await post.json()).code).toBe('ORIGIN_FORBIDDEN');
    // The portal's own origin is fine (e.g. a same-origin web front end).
    const own = await fetch(`${portal.url}/api/v1/auth/challenge`, { method: 'POST', headers: { origin: portal.url } });
    expect(own.status).toBe(201);
  });

  it('serves the OpenAPI document', async () => {
    const r = await fetch(`${portal.url}/api/v1/openapi.json`);
    expect(r.status).toBe(200);
    expect((await r.json()).openapi).toBe('3.1.0');
  });

  it('close() stops listening and is idempotent', async () => {
    const p = await startTestPortal();
    const url = p.url;
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
    await Promise.all([p.close(), p.close()]);
    await expect(fetch(`${url}/api/v1/health`)).rejects.toThrow();
    expect(p.db.open).toBe(false);
    await p.dispose();
  });
});

describe('over HTTPS', () => {
  it('marks the session cookie Secure', async () => {
    const dir = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'myna-tls-'));
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const { readFileSync, rmSync } = await import('node:fs');
    const cert = readFileSync(certFile);
    const p = await startTestPortal({ https: { key: readFileSync(keyFile), cert } });
    try {
      expect(p.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const post = (path: string, body?: unknown) =>
        new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
          (resolve, reject) => {
            const req = httpsRequest(
              `${p.url}${path}`,
              { method: 'POST', ca: cert, headers: body ? { 'content-type': 'application/json' } : {} },
              (res) => {
                let text = '';
                res.on('data', (c) => {
                  text += c;
                });
                res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
              },
            );
            req.on('error', reject);
            req.end(body ? JSON.stringify(body) : undefined);
          },
        );
      const ch = JSON.parse((await post('/api/v1/auth/challenge')).body);
      const r = await post('/api/v1/auth/login', loginBody(p, ch, 'resident-01'));
      expect(r.status).toBe(200);
      expect(String(r.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await p.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
