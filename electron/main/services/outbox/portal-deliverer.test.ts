import { describe, expect, it } from 'vitest';
import { PortalSession } from '../../portal/portal-session.ts';
import { PACKAGE_MEDIA_TYPE } from '../signing/package-limits.ts';
import { parseRetryAfter, portalDeliverer } from './portal-deliverer.ts';

const ORIGIN = 'https://portal.example.jp';
const KEY = '0f8fad5b-d9cb-469f-a165-70867728950e';
const BYTES = new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]);

interface Seen {
  url: string;
  method: string | undefined;
  headers: Headers;
  body: Uint8Array;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const problem = (status: number, code: string, extra: Record<string, unknown> = {}, headers = {}) =>
  new Response(
    JSON.stringify({
      type: `/api/v1/problems/${code}`,
      title: `title of ${code}`,
      titleJa: `${code}のタイトル`,
      status,
      detail: 'the form says 見本　花子 was born on 2020-01-01',
      code,
      ...extra,
    }),
    { status, headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers } },
  );

/** A PortalSession holding a session cookie, whose POSTs are answered by `answer`. */
async function session(answer: (seen: Seen) => Response | Promise<Response>, loggedIn = true) {
  const seen: Seen[] = [];
  const s = new PortalSession(ORIGIN, async (url, init) => {
    if (url.endsWith('/login')) {
      return new Response('{}', {
        headers: { 'set-cookie': 'myna_session=s3cr3t; Path=/; HttpOnly; SameSite=Strict' },
      });
    }
    const body = init?.body instanceof Uint8Array ? init.body : new Uint8Array(0);
    const entry = { url, method: init?.method, headers: new Headers(init?.headers), body: new Uint8Array(body) };
    seen.push(entry);
    return answer(entry);
  });
  if (loggedIn) await s.fetch('/login');
  return { s, seen };
}

const RECEIPT = {
  applicationId: 'app_1',
  receiptNumber: 'R8-131016-000123',
  status: 'received',
  statusLabel: '受付済',
  receivedAt: '2026-11-27T09:00:00.000Z',
};

describe('portalDeliverer', () => {
  it('POSTs the package bytes with the idempotency key, the package media type and the session cookie', async () => {
    const { s, seen } = await session(() => json(201, RECEIPT));
    const out = await portalDeliverer(s)({ idempotencyKey: KEY, packageBytes: BYTES });
    expect(out).toEqual({
      kind: 'delivered',
      receipt: { receiptNumber: 'R8-131016-000123', status: 'received', receivedAt: '2026-11-27T09:00:00.000Z' },
    });
    expect(seen).toHaveLength(1);
    const r = seen[0] as Seen;
    expect(r.url).toBe(`${ORIGIN}/api/v1/me/applications`);
    expect(r.method).toBe('POST');
    expect(r.headers.get('content-type')).toBe(PACKAGE_MEDIA_TYPE);
    expect(r.headers.get('idempotency-key')).toBe(KEY);
    expect(r.headers.get('cookie')).toBe('myna_session=s3cr3t');
    expect(r.body).toEqual(BYTES);
  });

  it('a repeat of the same key (200) is delivered with the receipt', async () => {
    const { s } = await session(() => json(200, RECEIPT, { 'idempotent-replayed': 'true' }));
    expect(await portalDeliverer(s)({ idempotencyKey: KEY, packageBytes: BYTES })).toMatchObject({
      kind: 'delivered',
      receipt: { receiptNumber: 'R8-131016-000123' },
    });
  });

  it('without a session cookie: needs-login, and nothing is sent', async () => {
    const { s, seen } = await session(() => json(201, RECEIPT), false);
    expect(await portalDeliverer(s)({ idempotencyKey: KEY, packageBytes: BYTES })).toMatchObject({
      kind: 'needs-login',
      code: 'NEEDS_LOGIN',
    });
    expect(seen).toHaveLength(0);
  });

  it.each([['UNAUTHENTICATED'], ['SESSION_EXPIRED']])('401 %s → needs-login', async (code) => {
    const { s } = await session(() => problem(401, code));
    expect(await portalDeliverer(s)({ idempotencyKey: KEY, packageBytes: BYTES })).toMatchObject({
      kind: 'needs-login',
      code,
    });
  });

  it('403 SIGNER_NOT_RESIDENT → needs-login: it waits for the signer instead of being dropped', async () => {
    const { s } = await session(() => problem(403, 'SIGNER_NOT_RESIDENT'));
    expect(await portalDeliverer(s)({ idempotencyKey: KEY, packageBytes: BYTES })).toMatchObject({
      kind: 'needs-login',
      code: 'SIGNER_NOT_RESIDENT',
      message: { ja: expect.stringMatching(/署名したカード/) },
    });
  });

  it.each([
    [422, 'PACKAGE_INVALID'],
    [422, 'APPLICATION_FORM_INVALID'],
    [422, 'PROCEDURE_NOT_AVAILABLE'],
    [422, 'IDEMPOTENCY_KEY_CONFLICT'],
    [409, 'SOMETHING_NEW'],
    [413, 'BODY_TOO_LARGE'],
    [415, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('%i %s → rejected with that code, and no free text of the portal kept', async (status, code) => {
    const { s } = await session(() => problem(status, code));
    const out = await portalDeliverer(s)({ idempotencyKey: KEY, packageBytes: BYTES });
    expect(out).toMatchObject({ kind: 'rejected', code });
    expect(JSON.stringify(out)).not.toContain('見本');
    if (out.kind === 'rejected') {
      expect(out.message.ja.length).toBeGreaterThan(0);
      expect(out.message.en.length).toBeGreaterThan(0);
    }
  });

  it('an unknown refusal is described by the portal’s catalogue title and its code', async () => {
    const { s } = await session(() => problem(409, 'SOMETHING_NEW'));
    const out = await portalDeliverer(s)({ idempotencyKey: KEY, packageBytes: BYTES });
    expect(out).toMatchObject({
      kind: 'rejected',
      message: { ja: 'SOMETHING_NEWのタイトル（SOMETHING_NEW）', en: 'title of SOMETHING_NEW (SOMETHING_NEW).' },
    });
  });

  it('429 → retry after Retry-After (seconds, HTTP date, or the problem’s retryAfter)', async () => {
    const now = Date.parse('2026-11-27T09:00:00Z');
    const a = await session(() => problem(429, 'RATE_LIMITED', { retryAfter: 30 }, { 'retry-after': '30' }));
    expect(await portalDeliverer(a.s, { now: () => now })({ idempotencyKey: KEY, packageBytes: BYTES })).toMatchObject({
      kind: 'retry',
      code: 'PORTAL_BUSY',
      retryAfterMs: 30_000,
    });
    const b = await session(() => problem(429, 'RATE_LIMITED', {}, { 'retry-after': 'Fri, 27 Nov 2026 09:02:00 GMT' }));
    expect(await portalDeliverer(b.s, { now: () => now })({ idempotencyKey: KEY, packageBytes: BYTES })).toMatchObject({
      retryAfterMs: 120_000,
    });
    const c = await session(() => problem(429, 'RATE_LIMITED', { retryAfter: 7 }));
    expect(await portalDeliverer(c.s)({ idempotencyKey: KEY, packageBytes: BYTES })).toMatchObject({
      retryAfterMs: 7000,
    });
  });

  it.each([
    [500, 'PORTAL_ERROR'],
    [502, 'PORTAL_ERROR'],
    [503, 'PORTAL_ERROR'],
    [408, 'PORTAL_TIMEOUT'],
  ])('%i → retry (%s)', async (status, code) => {
    const { s } = await session(() => problem(status, 'INTERNAL_ERROR'));
    expect(await portalDeliverer(s)({ idempotencyKey: KEY, packageBytes: BYTES })).toMatchObject({
      kind: 'retry',
      code,
    });
  });

  it('what is not our portal speaking is retried, never taken for a refusal', async () => {
    const html = await session(() => new Response('<h1>Proxy says no</h1>', { status: 403 }));
    expect(await portalDeliverer(html.s)({ idempotencyKey: KEY, packageBytes: BYTES })).toMatchObject({
      kind: 'retry',
      code: 'PORTAL_UNEXPECTED',
    });
    const redirect = await session(() => new Response(null, { status: 302, headers: { location: '/captive' } }));
    expect(await portalDeliverer(redirect.s)({ idempotencyKey: KEY, packageBytes: BYTES })).toMatchObject({
      kind: 'retry',
      code: 'PORTAL_UNEXPECTED',
    });
    const garbage = await session(() => json(201, { hello: 'world' }));
    expect(await portalDeliverer(garbage.s)({ idempotencyKey: KEY, packageBytes: BYTES })).toMatchObject({
      kind: 'retry',
      code: 'RECEIPT_UNREADABLE',
    });
  });

  it('a network error → retry PORTAL_UNREACHABLE', async () => {
    const { s } = await session(() => {
      throw new TypeError('fetch failed');
    });
    expect(await portalDeliverer(s)({ idempotencyKey: KEY, packageBytes: BYTES })).toMatchObject({
      kind: 'retry',
      code: 'PORTAL_UNREACHABLE',
    });
  });

  it('no answer in time → retry PORTAL_TIMEOUT', async () => {
    const s = new PortalSession(ORIGIN, (url, init) => {
      if (url.endsWith('/login')) {
        return Promise.resolve(new Response('{}', { headers: { 'set-cookie': 'myna_session=x; Path=/' } }));
      }
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    });
    await s.fetch('/login');
    expect(await portalDeliverer(s, { timeoutMs: 30 })({ idempotencyKey: KEY, packageBytes: BYTES })).toMatchObject({
      kind: 'retry',
      code: 'PORTAL_TIMEOUT',
    });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-27T09:00:00Z');
  it.each([
    [null, undefined],
    ['', undefined],
    ['soon', undefined],
    ['0', 0],
    ['120', 120_000],
    [' 5 ', 5000],
    ['-5', undefined],
    ['Fri, 27 Nov 2026 09:00:30 GMT', 30_000],
    ['Fri, 27 Nov 2026 08:00:00 GMT', 0],
  ])('%j → %j', (v, ms) => {
    expect(parseRetryAfter(v, now)).toBe(ms);
  });
});
