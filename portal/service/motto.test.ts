/**
 * もっとつながる: the public catalogue and key set, assertions verified the way a linked site
 * would (node:crypto against jwks.json, nothing of ours), pairwise subjects, expiry, 操作履歴,
 * the list of used sites, key persistence (0600) across restarts, and the OpenAPI entries of
 * the delivery and もっとつながる routes.
 */
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTTO_KEY_FILE, verifyAssertion } from '../motto/index.ts';
import { startPortal } from '../start.ts';
import { dbDigest, expectProblem, login, removeDir, startTestPortal, type TestPortal } from './test-support.ts';

let portal: TestPortal;
let cookie: string;

beforeAll(async () => {
  portal = await startTestPortal({ adminToken: 'test-admin-token-0123456789abcdef' });
  cookie = await login(portal, 'resident-01');
});
afterAll(() => portal.dispose());

interface Jwks {
  keys: { kty: string; crv: string; x: string; y: string; kid: string; alg: string; use: string }[];
}

const jwks = async (p = portal) => (await p.app.inject({ url: '/api/v1/motto/jwks.json' })).json() as Jwks;

async function assertion(siteId: string, who = cookie, payload?: object, p = portal) {
  const r = await p.app.inject({
    method: 'POST',
    url: `/api/v1/me/motto/sites/${siteId}/assertion`,
    headers: { cookie: who },
    ...(payload ? { payload } : {}),
  });
  if (r.statusCode !== 201) throw new Error(`assertion: ${r.statusCode} ${r.body}`);
  return r.json() as { assertion: string; tokenType: string; expiresAt: string; jti: string; site: { id: string } };
}

const part = (token: string, i: number) =>
  JSON.parse(Buffer.from(token.split('.')[i] as string, 'base64url').toString());

/** What a linked site does, with node:crypto only. */
function siteVerifies(token: string, set: Jwks): boolean {
  const [h, p, s] = token.split('.') as [string, string, string];
  const header = part(token, 0);
  const jwk = set.keys.find((k) => k.kid === header.kid);
  if (!jwk || header.alg !== 'ES256') return false;
  const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
  return verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
}

describe('もっとつながる', () => {
  it('lists the linked sites and publishes one P-256 key, without a session', async () => {
    const sites = (await portal.app.inject({ url: '/api/v1/motto/sites' })).json();
    expect(sites.items.map((s: { id: string }) => s.id)).toEqual([
      'demo-etax',
      'demo-nenkin-net',
      'demo-hellowork',
      'demo-chiyoda-shinsei',
    ]);
    expect(sites.items.every((s: { loginUrl: string }) => s.loginUrl.startsWith('https://'))).toBe(true);
    const r = await portal.app.inject({ url: '/api/v1/motto/jwks.json' });
    expect(r.headers['cache-control']).toBe('public, max-age=300');
    const set = r.json() as Jwks;
    expect(set.keys).toHaveLength(1);
    expect(set.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(Object.keys(set.keys[0] ?? {})).not.toContain('d');
  });

  it('issues an assertion that verifies against jwks.json with node:crypto, with the documented claims', async () => {
    const r = await assertion('demo-etax', cookie, { nonce: 'n-0123456789abcdef' });
    expect(r.tokenType).toBe('myna-assertion+jwt');
    const set = await jwks();
    expect(siteVerifies(r.assertion, set)).toBe(true);
    const header = part(r.assertion, 0);
    expect(header).toEqual({ alg: 'ES256', typ: 'myna-assertion+jwt', kid: set.keys[0]?.kid });
    const c = part(r.assertion, 1);
    expect(Object.keys(c).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'nonce', 'sub']);
    expect(c).toMatchObject({ iss: portal.url, aud: 'demo-etax', nonce: 'n-0123456789abcdef', jti: r.jti });
    expect(c.exp - c.iat).toBe(60);
    expect(Math.abs(c.iat - Math.floor(portal.clock.now().getTime() / 1000))).toBeLessThanOrEqual(1);
    expect(new Date(c.exp * 1000).toISOString()).toBe(r.expiresAt);
    expect(c.sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.assertion).not.toContain('resident-01');
    expect(JSON.stringify(c)).not.toContain('resident');

    // Tampering with any part breaks it.
    const [h, p, s] = r.assertion.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...c, aud: 'demo-nenkin-net' })).toString('base64url');
    expect(siteVerifies(`${h}.${forged}.${s}`, set)).toBe(false);
    expect(
      siteVerifies(`${h}.${p}.${Buffer.from(Buffer.from(s, 'base64url').reverse()).toString('base64url')}`, set),
    ).toBe(false);
  });

  it('sub is pairwise: stable per resident and site, different per site and per resident', async () => {
    const sub = async (site: string, who = cookie) => part((await assertion(site, who)).assertion, 1).sub as string;
    const etax1 = await sub('demo-etax');
    const etax2 = await sub('demo-etax');
    const nenkin = await sub('demo-nenkin-net');
    const other = await login(portal, 'resident-06');
    const etaxOther = await sub('demo-etax', other);
    expect(etax2).toBe(etax1);
    expect(nenkin).not.toBe(etax1);
    expect(etaxOther).not.toBe(etax1);
    const jtis = new Set([(await assertion('demo-etax')).jti, (await assertion('demo-etax')).jti]);
    expect(jtis.size).toBe(2);
  });

  it('an expired assertion is detectable (and the reference verifier says so)', async () => {
    const r = await assertion('demo-hellowork');
    const set = await jwks();
    const c = part(r.assertion, 1);
    const ok = verifyAssertion(r.assertion, {
      jwks: set,
      issuer: portal.url,
      audience: 'demo-hellowork',
      now: portal.clock.now(),
    });
    expect(ok.sub).toBe(c.sub);
    const later = new Date((c.exp + 31) * 1000);
    expect(() =>
      verifyAssertion(r.assertion, { jwks: set, issuer: portal.url, audience: 'demo-hellowork', now: later }),
    ).toThrow(expect.objectContaining({ reason: 'expired' }));
    expect(c.exp * 1000).toBeLessThan(later.getTime()); // the plain check a site makes
    expect(() =>
      verifyAssertion(r.assertion, { jwks: set, issuer: portal.url, audience: 'demo-etax', now: portal.clock.now() }),
    ).toThrow(expect.objectContaining({ reason: 'audience' }));
    expect(() =>
      verifyAssertion(r.assertion, { jwks: set, issuer: 'https://evil.example', audience: 'demo-hellowork' }),
    ).toThrow(expect.objectContaining({ reason: 'issuer' }));
    expect(() =>
      verifyAssertion(r.assertion, {
        jwks: set,
        issuer: portal.url,
        audience: 'demo-hellowork',
        nonce: 'expected-nonce',
        now: portal.clock.now(),
      }),
    ).toThrow(expect.objectContaining({ reason: 'nonce' }));
    // alg confusion: an HS256 or "none" token is refused before any key is used.
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: set.keys[0]?.kid })).toString('base64url')}.${r.assertion.split('.')[1]}.`;
    expect(() => verifyAssertion(none, { jwks: set, issuer: portal.url, audience: 'demo-hellowork' })).toThrow(
      expect.objectContaining({ reason: expect.stringMatching(/algorithm|malformed/) }),
    );
  });

  it('records 操作履歴 and lists the sites used', async () => {
    const fresh = await login(portal, 'resident-05');
    await assertion('demo-chiyoda-shinsei', fresh);
    portal.clock.advance(5000);
    await assertion('demo-chiyoda-shinsei', fresh, { nonce: 'abcdefgh' });
    portal.clock.advance(5000);
    await assertion('demo-nenkin-net', fresh);
    const links = (await portal.app.inject({ url: '/api/v1/me/motto/links', headers: { cookie: fresh } })).json() as {
      items: { site: { id: string }; assertionCount: number; firstUsedAt: string; lastUsedAt: string }[];
    };
    expect(links.items.map((l) => [l.site.id, l.assertionCount])).toEqual([
      ['demo-nenkin-net', 1],
      ['demo-chiyoda-shinsei', 2],
    ]);
    expect((links.items[1]?.firstUsedAt ?? '') < (links.items[1]?.lastUsedAt ?? '')).toBe(true);
    const activity = (
      await portal.app.inject({ url: '/api/v1/me/activity?pageSize=100', headers: { cookie: fresh } })
    ).json();
    const motto = activity.items.filter((a: { kind: string }) => a.kind === 'motto-login');
    expect(motto).toHaveLength(3);
    expect(motto[0]).toMatchObject({
      kindLabel: 'もっとつながる（外部サイトへのログイン）',
      detail: { siteId: 'demo-nenkin-net', jti: expect.any(String) },
    });
    // resident-01 does not see resident-05's links.
    const mine = (await portal.app.inject({ url: '/api/v1/me/motto/links', headers: { cookie } })).json();
    expect(mine.items.some((l: { site: { id: string } }) => l.site.id === 'demo-chiyoda-shinsei')).toBe(false);
  });

  it('401 without a session, 404 for an unknown site, 400 for a bad nonce — nothing written', async () => {
    const before = dbDigest(portal.db, ['sessions']);
    expectProblem(
      await portal.app.inject({ method: 'POST', url: '/api/v1/me/motto/sites/demo-etax/assertion' }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(await portal.app.inject({ url: '/api/v1/me/motto/links' }), 401, 'UNAUTHENTICATED');
    expectProblem(
      await portal.app.inject({
        method: 'POST',
        url: '/api/v1/me/motto/sites/no-such-site/assertion',
        headers: { cookie },
      }),
      404,
      'MOTTO_SITE_NOT_FOUND',
    );
    for (const payload of [{ nonce: 'short' }, { nonce: 'has spaces in it' }, { other: 1 }]) {
      expectProblem(
        await portal.app.inject({
          method: 'POST',
          url: '/api/v1/me/motto/sites/demo-etax/assertion',
          headers: { cookie },
          payload,
        }),
        400,
        'VALIDATION_FAILED',
      );
    }
    expect(dbDigest(portal.db, ['sessions'])).toEqual(before);
  });

  it('keeps its keys in the data directory (mode 0600): same key and same pseudonyms after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'myna-portal-motto-'));
    try {
      const first = await startPortal({ dataDir, seed: 'demo' });
      const c1 = await login(first, 'resident-01');
      const a1 = await assertion('demo-etax', c1, undefined, first as TestPortal);
      const k1 = await jwks(first as TestPortal);
      await first.close();
      if (process.platform !== 'win32') expect(statSync(join(dataDir, MOTTO_KEY_FILE)).mode & 0o777).toBe(0o600);

      const second = await startPortal({ dataDir, seed: 'demo' });
      try {
        const c2 = await login(second, 'resident-01');
        const a2 = await assertion('demo-etax', c2, undefined, second as TestPortal);
        const k2 = await jwks(second as TestPortal);
        expect(k2).toEqual(k1);
        expect(part(a2.assertion, 1).sub).toBe(part(a1.assertion, 1).sub);
        expect(siteVerifies(a1.assertion, k2)).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      removeDir(dataDir);
    }
  });
});

describe('OpenAPI', () => {
  it('lists the delivery, もっとつながる and admin notice routes', async () => {
    const doc = (await portal.app.inject({ url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { tags?: string[]; security?: unknown }>>;
    };
    const ops = Object.entries(doc.paths).flatMap(([path, o]) =>
      Object.keys(o).map((m) => `${m.toUpperCase()} ${path}`),
    );
    for (const op of [
      'POST /api/v1/me/delivery-links',
      'GET /api/v1/me/delivery-links',
      'GET /api/v1/me/delivery-links/{id}',
      'DELETE /api/v1/me/delivery-links/{id}',
      'GET /api/v1/me/delivery-links/{id}/deliveries',
      'POST /api/v1/admin/notices',
      'GET /api/v1/motto/sites',
      'GET /api/v1/motto/jwks.json',
      'POST /api/v1/me/motto/sites/{siteId}/assertion',
      'GET /api/v1/me/motto/links',
    ]) {
      expect(ops, op).toContain(op);
    }
    expect(doc.paths['/api/v1/me/delivery-links']?.post?.security).toEqual([{ sessionCookie: [] }]);
    expect(doc.paths['/api/v1/motto/jwks.json']?.get?.security).toBeUndefined();
    expect(JSON.stringify(doc.paths['/api/v1/me/delivery-links'])).toContain('X-Myna-Signature');
  });
});
