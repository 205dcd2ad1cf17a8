/**
 * Authorisation on every resident route, with two residents logged in at once: resident-01 (A)
 * can never read or act on resident-02's (B) records, and an unauthenticated client gets 401
 * everywhere under /api/v1/me.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbDigest, expectProblem, login, startTestPortal, type TestPortal } from './test-support.ts';

let portal: TestPortal;
let A: string;
let B: string;
const ids = { exchange: '', notice: '', payableNotice: '', payment: '', selfInfo: '' };

const get = (url: string, cookie?: string) => portal.app.inject({ url, headers: cookie ? { cookie } : {} });
const owner = (table: string, id: string | number) =>
  (portal.db.prepare(`SELECT resident_id FROM ${table} WHERE id = ?`).get(id) as { resident_id: string } | undefined)
    ?.resident_id;

beforeAll(async () => {
  portal = await startTestPortal();
  A = await login(portal, 'resident-01');
  B = await login(portal, 'resident-02');
  const one = (sql: string) => (portal.db.prepare(sql).get() as { id: string }).id;
  ids.exchange = one("SELECT id FROM exchanges WHERE resident_id = 'resident-02' LIMIT 1");
  ids.notice = one("SELECT id FROM notices WHERE resident_id = 'resident-02' AND payment_amount IS NULL LIMIT 1");
  ids.payableNotice = one(
    "SELECT id FROM notices WHERE resident_id = 'resident-02' AND payment_amount IS NOT NULL ORDER BY id LIMIT 1",
  );
  ids.selfInfo = one("SELECT id FROM self_info_records WHERE resident_id = 'resident-02' LIMIT 1");
  // B pays one notice, so that B has a payment A must not see.
  const paid = await portal.app.inject({
    method: 'POST',
    url: `/api/v1/me/notices/${ids.payableNotice}/payment`,
    headers: { cookie: B, 'idempotency-key': 'authz-test-b-0001' },
    payload: { method: 'pay-easy' },
  });
  expect(paid.statusCode).toBe(201);
  ids.payment = paid.json().id;
});
afterAll(() => portal.dispose());

describe('two residents logged in at once', () => {
  it('GET /me answers for the session’s resident only', async () => {
    expect((await get('/api/v1/me', A)).json().id).toBe('resident-01');
    expect((await get('/api/v1/me', B)).json().id).toBe('resident-02');
  });

  it('B’s records by id are 404 for A (indistinguishable from ids that do not exist), 200 for B', async () => {
    const cases: [string, string][] = [
      [`/api/v1/me/exchanges/${ids.exchange}`, 'EXCHANGE_NOT_FOUND'],
      [`/api/v1/me/notices/${ids.notice}`, 'NOTICE_NOT_FOUND'],
      [`/api/v1/me/payments/${ids.payment}`, 'PAYMENT_NOT_FOUND'],
    ];
    for (const [url, code] of cases) {
      const forA = await get(url, A);
      const missing = await get(url.replace(/[^/]+$/, 'ex_0000000000000000'), A);
      expectProblem(forA, 404, code);
      expectProblem(missing, 404, code);
      expect(forA.json().detail.replace(/\S+ for/, 'X for')).toBe(missing.json().detail.replace(/\S+ for/, 'X for'));
      expect((await get(url, B)).statusCode).toBe(200);
    }
  });

  it('lists hold only the caller’s own records', async () => {
    const lists: [string, string, (item: Record<string, unknown>) => string | number][] = [
      ['/api/v1/me/exchanges?pageSize=100', 'exchanges', (i) => i.id as string],
      ['/api/v1/me/notices?pageSize=100', 'notices', (i) => i.id as string],
      ['/api/v1/me/payments?pageSize=100', 'payments', (i) => i.id as string],
      ['/api/v1/me/activity?pageSize=100', 'activity', (i) => i.id as number],
    ];
    for (const [who, cookie, resident] of [
      ['A', A, 'resident-01'],
      ['B', B, 'resident-02'],
    ] as const) {
      for (const [url, table, idOf] of lists) {
        const body = (await get(url, cookie)).json();
        expect(body.items.length, `${who} ${url}`).toBeGreaterThan(0);
        for (const item of body.items) expect(owner(table, idOf(item)), `${who} ${url}`).toBe(resident);
        const n = (
          portal.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE resident_id = ?`).get(resident) as { n: number }
        ).n;
        expect(body.total).toBe(n);
      }
    }
  });

  it('自己情報 shows only the caller’s records, category by category', async () => {
    const cats = (await get('/api/v1/me/self-info', A)).json().categories as { id: string; count: number }[];
    for (const c of cats) {
      const body = (await get(`/api/v1/me/self-info/${c.id}`, A)).json();
      expect(body.records).toHaveLength(c.count);
      for (const r of body.records) expect(owner('self_info_records', r.id)).toBe('resident-01');
      expect(body.records.map((r: { id: string }) => r.id)).not.toContain(ids.selfInfo);
    }
  });

  it('the exchange filter options come from the caller’s own records only', async () => {
    const a = (await get('/api/v1/me/exchanges/filters', A)).json();
    const b = (await get('/api/v1/me/exchanges/filters', B)).json();
    expect(a.agencies.map((x: { id: string }) => x.id)).not.toContain('jasso');
    expect(b.agencies.map((x: { id: string }) => x.id)).toContain('jasso');
  });

  it('A cannot mark B’s notice read or pay it; nothing changes', async () => {
    const before = dbDigest(portal.db);
    expectProblem(
      await portal.app.inject({ method: 'POST', url: `/api/v1/me/notices/${ids.notice}/read`, headers: { cookie: A } }),
      404,
      'NOTICE_NOT_FOUND',
    );
    const other = portal.db
      .prepare("SELECT id FROM notices WHERE resident_id = 'resident-02' AND payment_amount IS NOT NULL AND id <> ?")
      .get(ids.payableNotice) as { id: string };
    expectProblem(
      await portal.app.inject({
        method: 'POST',
        url: `/api/v1/me/notices/${other.id}/payment`,
        headers: { cookie: A, 'idempotency-key': 'authz-test-a-0001' },
        payload: { method: 'pay-easy' },
      }),
      404,
      'NOTICE_NOT_FOUND',
    );
    // …nor replay B's idempotency key to obtain B's receipt.
    expectProblem(
      await portal.app.inject({
        method: 'POST',
        url: `/api/v1/me/notices/${ids.payableNotice}/payment`,
        headers: { cookie: A, 'idempotency-key': 'authz-test-b-0001' },
        payload: { method: 'pay-easy' },
      }),
      404,
      'NOTICE_NOT_FOUND',
    );
    expect(dbDigest(portal.db)).toEqual(before);
  });

  it('settings change only the caller’s record', async () => {
    const bBefore = portal.db.prepare("SELECT * FROM residents WHERE id = 'resident-02'").get();
    const r = await portal.app.inject({
      method: 'PUT',
      url: '/api/v1/me/settings',
      headers: { cookie: A },
      payload: { email: 'new-address@example.jp', loginNotification: false },
    });
    expect(r.statusCode).toBe(200);
    expect(portal.db.prepare("SELECT * FROM residents WHERE id = 'resident-02'").get()).toEqual(bBefore);
    expect((await get('/api/v1/me', A)).json().settings).toEqual({
      email: 'new-address@example.jp',
      loginNotification: false,
    });
  });

  it('every /api/v1/me route refuses a client without a session (401) and changes nothing', async () => {
    const doc = (await get('/api/v1/openapi.json')).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/api/v1/me'))
      .flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => [m.toUpperCase(), p.replace(/\{[^}]+\}/g, ids.exchange)] as const),
      );
    expect(routes.length).toBeGreaterThanOrEqual(14);
    const before = dbDigest(portal.db);
    for (const [method, url] of routes) {
      const r = await portal.app.inject({
        method,
        url,
        headers: { 'idempotency-key': 'no-session-0001' },
        ...(method === 'GET' ? {} : { payload: {} }),
      });
      expectProblem(r, 401, 'UNAUTHENTICATED');
    }
    expect(dbDigest(portal.db)).toEqual(before);
  });
});
