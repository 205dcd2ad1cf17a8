import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authCa, mintCertificate, pkiFile, removeWorkDir } from '../verify/test-fixtures.ts';
import {
  count,
  dbDigest,
  demoCard,
  expectProblem,
  getChallenge,
  login,
  loginBody,
  postLogin,
  sessionCookie,
  startTestPortal,
  type TestPortal,
} from './test-support.ts';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(async () => {
  await portal.dispose();
  removeWorkDir();
});

const me = (cookie?: string) =>
  portal.app.inject({ method: 'GET', url: '/api/v1/me', headers: cookie ? { cookie } : {} });

describe('challenge', () => {
  it('is 32 random bytes, single use, 120 s, bound to the portal origin', async () => {
    const ch = await getChallenge(portal);
    expect(Buffer.from(ch.challenge, 'base64url')).toHaveLength(32);
    expect(Date.parse(ch.expiresAt) - portal.clock.now().getTime()).toBe(120_000);
    const row = portal.db.prepare('SELECT origin FROM auth_challenges WHERE id = ?').get(ch.challengeId) as {
      origin: string;
    };
    expect(row.origin).toBe(portal.url);
    expect(portal.expectedOrigin).toBe(portal.url);
    const other = await getChallenge(portal);
    expect(other.challenge).not.toBe(ch.challenge);
  });
});

describe('login', () => {
  it('resident-01: session cookie, 操作履歴, login-notification e-mail', async () => {
    const outbox = count(portal.db, 'email_outbox');
    const r = await postLogin(portal, loginBody(portal, await getChallenge(portal), 'resident-01'));
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.resident).toEqual({ id: 'resident-01', displayName: '見本　花子' });
    expect(body.registered).toBe(false);
    const set = String(r.headers['set-cookie']);
    expect(set).toMatch(/^myna_session=[A-Za-z0-9_-]{43};/);
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
    expect(set).toContain('Path=/api/v1');
    expect(set).not.toContain('Secure'); // plain http on loopback
    const cookie = sessionCookie(r);

    const m = await me(cookie);
    expect(m.statusCode).toBe(200);
    expect(m.json().id).toBe('resident-01');
    expect(m.json().municipality.code).toBe('131016');

    // Only the hash of the session id is stored.
    const token = cookie.split('=')[1] as string;
    const stored = portal.db.prepare('SELECT id_hash FROM sessions').all() as { id_hash: string }[];
    expect(stored.some((s) => s.id_hash.includes(token))).toBe(false);

    const activity = await portal.app.inject({ url: '/api/v1/me/activity', headers: { cookie } });
    const first = activity.json().items[0];
    expect(first.kind).toBe('login');
    expect(first.kindLabel).toBe('ログイン');

    expect(count(portal.db, 'email_outbox')).toBe(outbox + 1);
    const mail = portal.db.prepare('SELECT * FROM email_outbox ORDER BY id DESC LIMIT 1').get() as Record<
      string,
      string
    >;
    expect(mail.to_address).toBe('hanako.mihon@example.jp');
    expect(mail.subject).toContain('ログイン');
    expect(mail.resident_id).toBe('resident-01');
  });

  it('resident-02 (auth certificate valid, sign certificate revoked) logs in; no e-mail without the setting', async () => {
    const outbox = count(portal.db, 'email_outbox');
    const cookie = await login(portal, 'resident-02');
    expect((await me(cookie)).json().id).toBe('resident-02');
    expect(count(portal.db, 'email_outbox')).toBe(outbox);
  });

  it('resident-03 (expired auth certificate) is refused, nothing but the challenge changes', async () => {
    const ch = await getChallenge(portal);
    const before = dbDigest(portal.db, ['auth_challenges']);
    const r = await postLogin(portal, loginBody(portal, ch, 'resident-03'));
    const doc = expectProblem(r, 401, 'AUTH_CERTIFICATE_EXPIRED');
    expect((doc.failures as { check: string }[]).map((f) => f.check)).toContain('validity');
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(dbDigest(portal.db, ['auth_challenges'])).toEqual(before);
  });

  it('a replayed challenge is refused and changes nothing', async () => {
    const ch = await getChallenge(portal);
    const body = loginBody(portal, ch, 'resident-01');
    expect((await postLogin(portal, body)).statusCode).toBe(200);
    const before = dbDigest(portal.db);
    expectProblem(await postLogin(portal, body), 401, 'CHALLENGE_ALREADY_USED');
    expect(dbDigest(portal.db)).toEqual(before);
  });

  it('an expired challenge is refused and changes nothing', async () => {
    const ch = await getChallenge(portal);
    portal.clock.advance(120_001);
    try {
      const before = dbDigest(portal.db);
      expectProblem(await postLogin(portal, loginBody(portal, ch, 'resident-01')), 401, 'CHALLENGE_EXPIRED');
      expect(dbDigest(portal.db)).toEqual(before);
    } finally {
      portal.clock.advance(-120_001);
    }
  });

  it('an unknown challenge is refused and changes nothing', async () => {
    const ch = {
      challengeId: randomBytes(16).toString('base64url'),
      challenge: randomBytes(32).toString('base64url'),
      expiresAt: '',
    };
    const before = dbDigest(portal.db);
    expectProblem(await postLogin(portal, loginBody(portal, ch, 'resident-01')), 401, 'CHALLENGE_UNKNOWN');
    expect(dbDigest(portal.db)).toEqual(before);
  });

  it('a signature for a foreign origin is refused (the portal checks its own origin, never a supplied one)', async () => {
    const ch = await getChallenge(portal);
    const sessions = count(portal.db, 'sessions');
    const activity = count(portal.db, 'activity');
    const body = {
      ...loginBody(portal, ch, 'resident-01', { origin: 'https://evil.example' }),
      origin: 'https://evil.example',
    };
    // An `origin` member is not even accepted…
    expectProblem(await postLogin(portal, body), 400, 'VALIDATION_FAILED');
    // …and without it the signature does not verify for the portal's origin.
    const { origin: _o, ...plain } = body;
    const r = await postLogin(portal, plain);
    const doc = expectProblem(r, 401, 'LOGIN_SIGNATURE_INVALID');
    expect((doc.failures as { check: string }[]).map((f) => f.check)).toEqual(['signature']);
    expect(count(portal.db, 'sessions')).toBe(sessions);
    expect(count(portal.db, 'activity')).toBe(activity);
    // The challenge was spent on that attempt.
    expectProblem(await postLogin(portal, loginBody(portal, ch, 'resident-01')), 401, 'CHALLENGE_ALREADY_USED');
  });

  it('a challenge issued for another origin is refused', async () => {
    const id = randomBytes(16).toString('base64url');
    const challenge = randomBytes(32);
    const at = portal.clock.now();
    portal.db
      .prepare('INSERT INTO auth_challenges (id, challenge, origin, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(
        id,
        challenge,
        'https://other-portal.example',
        at.toISOString(),
        new Date(at.getTime() + 60_000).toISOString(),
      );
    const ch = { challengeId: id, challenge: challenge.toString('base64url'), expiresAt: '' };
    const before = dbDigest(portal.db);
    const r = await postLogin(portal, loginBody(portal, ch, 'resident-01', { origin: 'https://other-portal.example' }));
    expectProblem(r, 401, 'CHALLENGE_ORIGIN_MISMATCH');
    expect(dbDigest(portal.db)).toEqual(before);
  });

  it('a tampered signature, a sign-key signature and a certificate of the wrong CA are refused', async () => {
    const body = loginBody(portal, await getChallenge(portal), 'resident-01');
    const sig = Buffer.from(body.signature, 'base64');
    sig[10] = (sig[10] ?? 0) ^ 1;
    expectProblem(
      await postLogin(portal, { ...body, signature: sig.toString('base64') }),
      401,
      'LOGIN_SIGNATURE_INVALID',
    );

    const card = demoCard('resident-01');
    const r = await postLogin(
      portal,
      loginBody(portal, await getChallenge(portal), 'resident-01', { key: card.signKey }),
    );
    expectProblem(r, 401, 'LOGIN_SIGNATURE_INVALID');

    // The sign certificate chains to the sign CA, which is not trusted for login.
    const wrongCa = await postLogin(
      portal,
      loginBody(portal, await getChallenge(portal), 'resident-01', { key: card.signKey, certificate: card.signCert }),
    );
    expectProblem(wrongCa, 401, 'AUTH_CERTIFICATE_UNTRUSTED');
  });

  it('undecodable assertions are 400 and leave the challenge usable', async () => {
    const ch = await getChallenge(portal);
    const good = loginBody(portal, ch, 'resident-01');
    const before = dbDigest(portal.db);
    expectProblem(
      await postLogin(portal, {
        ...good,
        authCertificate: Buffer.from('not a certificate at all, really not').toString('base64').repeat(3),
      }),
      400,
      'LOGIN_ASSERTION_MALFORMED',
    );
    expectProblem(
      await postLogin(portal, { ...good, signature: `${good.signature.slice(0, -4)}A+_B` }),
      400,
      'LOGIN_ASSERTION_MALFORMED',
    );
    expectProblem(await postLogin(portal, { ...good, challengeId: 'short' }), 400, 'VALIDATION_FAILED');
    expectProblem(await postLogin(portal, { challengeId: good.challengeId }), 400, 'VALIDATION_FAILED');
    expect(dbDigest(portal.db)).toEqual(before);
    expect((await postLogin(portal, good)).statusCode).toBe(200);
  });

  it('an unregistered but valid certificate creates a resident (auto-registration)', async () => {
    const card = demoCard('resident-01');
    const cert = mintCertificate({
      subjectKey: card.authKey,
      issuerCert: authCa(),
      issuerKey: pkiFile('auth-ca.key.p8.der'),
      subject: '/C=JP/CN=AUTOREGTEST000000001',
      keyUsage: 'digitalSignature',
      policies: '1.2.392.200149.8.5.1.3',
      serial: '0x7e57a001',
    });
    portal.clock.set(new Date(Date.now() + 3600_000)); // the minted certificate starts "now"
    const residents = count(portal.db, 'residents');
    const r = await postLogin(
      portal,
      loginBody(portal, await getChallenge(portal), 'resident-01', { certificate: cert }),
    );
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().registered).toBe(true);
    expect(r.json().resident.displayName).toBeNull();
    expect(count(portal.db, 'residents')).toBe(residents + 1);
    const again = await postLogin(
      portal,
      loginBody(portal, await getChallenge(portal), 'resident-01', { certificate: cert }),
    );
    expect(again.json().registered).toBe(false);
    expect(again.json().resident.id).toBe(r.json().resident.id);
    const m = await me(sessionCookie(again));
    expect(m.json()).toMatchObject({ registeredVia: 'auto', municipality: null, displayName: null });
  });
});

describe('sessions', () => {
  it('expire after 30 idle minutes, and stay alive while used', async () => {
    const cookie = await login(portal, 'resident-01');
    const start = portal.clock.now();
    try {
      for (let i = 0; i < 4; i++) {
        portal.clock.advance(20 * 60_000);
        expect((await me(cookie)).statusCode).toBe(200);
      }
      portal.clock.advance(30 * 60_000);
      const before = dbDigest(portal.db);
      const r = await me(cookie);
      expectProblem(r, 401, 'SESSION_EXPIRED');
      expect(String(r.headers['set-cookie'])).toMatch(/myna_session=;.*Expires=Thu, 01 Jan 1970/);
      expect(dbDigest(portal.db)).toEqual(before);
    } finally {
      portal.clock.set(start);
    }
  });

  it('expire after 8 hours however busy', async () => {
    const cookie = await login(portal, 'resident-02');
    const start = portal.clock.now();
    try {
      for (let i = 0; i < 16; i++) {
        portal.clock.advance(29 * 60_000);
        expect((await me(cookie)).statusCode).toBe(200);
      }
      portal.clock.advance(17 * 60_000); // 8 h 1 min after login
      expectProblem(await me(cookie), 401, 'SESSION_EXPIRED');
    } finally {
      portal.clock.set(start);
    }
  });

  it('logout ends the session, clears the cookie, is recorded, and is idempotent', async () => {
    const cookie = await login(portal, 'resident-01');
    const r = await portal.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(r.statusCode).toBe(204);
    expect(r.body).toBe('');
    expect(String(r.headers['set-cookie'])).toMatch(/^myna_session=;/);
    expectProblem(await me(cookie), 401, 'UNAUTHENTICATED');
    const again = await portal.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(again.statusCode).toBe(204);
    const other = await login(portal, 'resident-01');
    const activity = (await portal.app.inject({ url: '/api/v1/me/activity', headers: { cookie: other } })).json();
    expect(activity.items.map((a: { kind: string }) => a.kind).slice(0, 2)).toEqual(['login', 'logout']);
  });

  it('a new login with a live cookie replaces that session', async () => {
    const first = await login(portal, 'resident-01');
    const r = await postLogin(portal, loginBody(portal, await getChallenge(portal), 'resident-02'), { cookie: first });
    expect(r.statusCode).toBe(200);
    expectProblem(await me(first), 401, 'UNAUTHENTICATED');
    expect((await me(sessionCookie(r))).json().id).toBe('resident-02');
  });

  it('no cookie or a forged one → 401 UNAUTHENTICATED', async () => {
    expectProblem(await me(), 401, 'UNAUTHENTICATED');
    expectProblem(await me(`myna_session=${randomBytes(32).toString('base64url')}`), 401, 'UNAUTHENTICATED');
    expectProblem(await me('myna_session=../../etc/passwd'), 401, 'UNAUTHENTICATED');
  });
});

describe('rate limits', () => {
  it('login and challenge are rate limited per client with a problem document', async () => {
    const limited = await startTestPortal({
      rateLimits: { challenge: { max: 2, timeWindow: 60_000 }, login: { max: 2, timeWindow: 60_000 } },
    });
    try {
      for (let i = 0; i < 2; i++) await login(limited, 'resident-01');
      const r = await postLogin(limited, { challengeId: 'x' });
      const doc = expectProblem(r, 429, 'RATE_LIMITED');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(doc.retryAfter).toBeGreaterThan(0);
      expectProblem(await limited.app.inject({ method: 'POST', url: '/api/v1/auth/challenge' }), 429, 'RATE_LIMITED');
    } finally {
      await limited.dispose();
    }
  });
});

describe('trust', () => {
  it('reloadCrls() picks up a CRL that now revokes resident-01’s auth certificate', async () => {
    const { mintCrl, tmpFile } = await import('../verify/test-fixtures.ts');
    const { X509Certificate } = await import('node:crypto');
    const crlFile = tmpFile(
      'auth.crl',
      mintCrl({ revokedSerials: [], issuerCert: authCa(), issuerKey: pkiFile('auth-ca.key.p8.der') }),
    );
    const p = await startTestPortal({ crls: { auth: [crlFile] } });
    try {
      await login(p, 'resident-01');
      const serial = new X509Certificate(demoCard('resident-01').authCert).serialNumber;
      const { writeFileSync } = await import('node:fs');
      writeFileSync(
        crlFile,
        mintCrl({ revokedSerials: [serial], issuerCert: authCa(), issuerKey: pkiFile('auth-ca.key.p8.der') }),
      );
      expect(p.reloadCrls()).toMatchObject({ auth: 2, sign: 1 });
      p.clock.set(new Date(Date.now() + 60_000)); // after the new CRL's thisUpdate
      const r = await postLogin(p, loginBody(p, await getChallenge(p), 'resident-01'));
      expectProblem(r, 401, 'AUTH_CERTIFICATE_REVOKED');
      expect((await login(p, 'resident-02')).length).toBeGreaterThan(0);
    } finally {
      await p.dispose();
    }
  });
});
