/**
 * Bad input of every kind gets its problem document — and leaves the database byte for byte as
 * it was (a digest of every table is compared before and after).
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from './problem.ts';
import { dbDigest, expectProblem, getChallenge, login, startTestPortal, type TestPortal } from './test-support.ts';

let portal: TestPortal;
let cookie: string;
let noticeId: string;
beforeAll(async () => {
  portal = await startTestPortal();
  cookie = await login(portal, 'resident-01');
  noticeId = (
    portal.db
      .prepare("SELECT id FROM notices WHERE resident_id = 'resident-01' AND payment_amount IS NOT NULL LIMIT 1")
      .get() as {
      id: string;
    }
  ).id;
});
afterAll(() => portal.dispose());

const json = { 'content-type': 'application/json' };

describe('bad input → problem document, database unchanged', () => {
  const cases: [name: string, req: () => InjectOptions, status: number, code: string][] = [
    [
      'malformed JSON (login)',
      () => ({ method: 'POST', url: '/api/v1/auth/login', headers: json, payload: '{"challengeId":' }),
      400,
      'MALFORMED_JSON',
    ],
    [
      'malformed JSON (payment)',
      () => ({
        method: 'POST',
        url: `/api/v1/me/notices/${noticeId}/payment`,
        headers: { ...json, cookie, 'idempotency-key': 'bad-input-0001' },
        payload: '{method:pay-easy}',
      }),
      400,
      'MALFORMED_JSON',
    ],
    [
      'empty JSON body where one is needed',
      () => ({ method: 'PUT', url: '/api/v1/me/settings', headers: { ...json, cookie }, payload: '' }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'JSON null body',
      () => ({ method: 'PUT', url: '/api/v1/me/settings', headers: { ...json, cookie }, payload: 'null' }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'trailing garbage after JSON',
      () => ({ method: 'PUT', url: '/api/v1/me/settings', headers: { ...json, cookie }, payload: '{"email":null} x' }),
      400,
      'MALFORMED_JSON',
    ],
    [
      '__proto__ key',
      () => ({
        method: 'PUT',
        url: '/api/v1/me/settings',
        headers: { ...json, cookie },
        payload: '{"__proto__":{"x":1},"email":null,"loginNotification":false}',
      }),
      400,
      'MALFORMED_JSON',
    ],
    [
      'wrong types (settings)',
      () => ({
        method: 'PUT',
        url: '/api/v1/me/settings',
        headers: { cookie },
        payload: { email: 5, loginNotification: 'yes' },
      }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'string for boolean is not coerced',
      () => ({
        method: 'PUT',
        url: '/api/v1/me/settings',
        headers: { cookie },
        payload: { email: null, loginNotification: 'false' },
      }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'wrong types (login)',
      () => ({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { challengeId: 12, signature: [], authCertificate: {} },
      }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'array body',
      () => ({ method: 'POST', url: '/api/v1/auth/login', payload: [] as unknown as object }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'unknown member',
      () => ({
        method: 'PUT',
        url: '/api/v1/me/settings',
        headers: { cookie },
        payload: { email: null, loginNotification: false, admin: true },
      }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'invalid e-mail',
      () => ({
        method: 'PUT',
        url: '/api/v1/me/settings',
        headers: { cookie },
        payload: { email: 'not an address', loginNotification: true },
      }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'login notification without e-mail',
      () => ({
        method: 'PUT',
        url: '/api/v1/me/settings',
        headers: { cookie },
        payload: { email: null, loginNotification: true },
      }),
      422,
      'EMAIL_REQUIRED',
    ],
    [
      'unknown exchange id',
      () => ({ url: '/api/v1/me/exchanges/ex_1234567890abcdef', headers: { cookie } }),
      404,
      'EXCHANGE_NOT_FOUND',
    ],
    [
      'unknown notice id',
      () => ({ url: '/api/v1/me/notices/ntc_1234567890abcdef', headers: { cookie } }),
      404,
      'NOTICE_NOT_FOUND',
    ],
    [
      'unknown payment id',
      () => ({ url: '/api/v1/me/payments/pay_1234567890abcdef', headers: { cookie } }),
      404,
      'PAYMENT_NOT_FOUND',
    ],
    [
      'unknown self-info category',
      () => ({ url: '/api/v1/me/self-info/zzz', headers: { cookie } }),
      404,
      'SELF_INFO_CATEGORY_NOT_FOUND',
    ],
    [
      'id with bad characters',
      () => ({ url: '/api/v1/me/notices/%27%20OR%201=1', headers: { cookie } }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'oversized body (login, 64 KiB limit)',
      () => ({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: json,
        payload: JSON.stringify({ pad: 'x'.repeat(70 * 1024) }),
      }),
      413,
      'BODY_TOO_LARGE',
    ],
    [
      'oversized body (payment)',
      () => ({
        method: 'POST',
        url: `/api/v1/me/notices/${noticeId}/payment`,
        headers: { ...json, cookie, 'idempotency-key': 'bad-input-0002' },
        payload: JSON.stringify({ method: 'pay-easy', pad: 'x'.repeat(200 * 1024) }),
      }),
      413,
      'BODY_TOO_LARGE',
    ],
    [
      'text/plain body (no simple-request CSRF)',
      () => ({
        method: 'PUT',
        url: '/api/v1/me/settings',
        headers: { cookie, 'content-type': 'text/plain' },
        payload: '{"email":null,"loginNotification":false}',
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'form body',
      () => ({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'challengeId=x',
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['unknown route', () => ({ url: '/api/v1/nothing-here' }), 404, 'NOT_FOUND'],
    [
      'unknown route under /me',
      () => ({ method: 'POST', url: '/api/v1/me/zzz', headers: { cookie } }),
      404,
      'NOT_FOUND',
    ],
    ['wrong method', () => ({ method: 'DELETE', url: '/api/v1/me', headers: { cookie } }), 404, 'NOT_FOUND'],
    ['outside /api/v1', () => ({ url: '/' }), 404, 'NOT_FOUND'],
    [
      'state change from a foreign origin',
      () => ({
        method: 'PUT',
        url: '/api/v1/me/settings',
        headers: { cookie, origin: 'https://evil.example' },
        payload: { email: null, loginNotification: false },
      }),
      403,
      'ORIGIN_FORBIDDEN',
    ],
    [
      'login from a foreign origin',
      () => ({ method: 'POST', url: '/api/v1/auth/challenge', headers: { origin: 'null' } }),
      403,
      'ORIGIN_FORBIDDEN',
    ],
  ];

  for (const [name, req, status, code] of cases) {
    it(name, async () => {
      const before = dbDigest(portal.db);
      const r = await portal.app.inject(req());
      expectProblem(r, status, code);
      expect(dbDigest(portal.db)).toEqual(before);
    });
  }

  it('body-less POSTs accept an empty body labelled JSON', async () => {
    const r = await portal.app.inject({ method: 'POST', url: '/api/v1/auth/challenge', headers: json, payload: '' });
    expect(r.statusCode).toBe(201);
  });

  it('validation problems say where and what', async () => {
    const r = await portal.app.inject({
      method: 'PUT',
      url: '/api/v1/me/settings',
      headers: { cookie },
      payload: { email: null },
    });
    const doc = expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(doc.errors).toEqual([
      { in: 'body', path: '/loginNotification', message: expect.stringContaining('loginNotification') },
    ]);
    const q = await portal.app.inject({ url: '/api/v1/me/notices?pageSize=0', headers: { cookie } });
    expect(expectProblem(q, 400, 'VALIDATION_FAILED').errors).toEqual([
      { in: 'querystring', path: '/pageSize', message: expect.any(String) },
    ]);
  });

  it('a login challenge is not spent by a request that fails validation', async () => {
    const ch = await getChallenge(portal);
    const before = dbDigest(portal.db);
    expectProblem(
      await portal.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { challengeId: ch.challengeId } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(dbDigest(portal.db)).toEqual(before);
  });

  it('every problem type is documented at its type URI', async () => {
    for (const code of PROBLEM_CODES) {
      const r = await portal.app.inject({ url: `/api/v1/problems/${code}` });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ code, type: `/api/v1/problems/${code}` });
    }
    expectProblem(await portal.app.inject({ url: '/api/v1/problems/NOPE' }), 404, 'NOT_FOUND');
  });
});

describe('internal errors', () => {
  it('are 500 INTERNAL_ERROR without the message or a stack', async () => {
    const boom = async (app: FastifyInstance) => {
      app.get('/boom', async () => {
        throw new Error('secret detail /srv/portal/x.ts:12:34');
      });
    };
    const p = await startTestPortal({ modules: { public: [boom] } });
    try {
      const r = await p.app.inject({ url: '/api/v1/boom' });
      expectProblem(r, 500, 'INTERNAL_ERROR');
      expect(r.body).not.toContain('secret');
      expect(r.body).not.toContain('x.ts');
    } finally {
      await p.dispose();
    }
  });
});
