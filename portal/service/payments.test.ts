import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, dbDigest, expectProblem, login, startTestPortal, type TestPortal } from './test-support.ts';

let portal: TestPortal;
let cookie: string;
const notice = (key: string) =>
  portal.db
    .prepare('SELECT id, payment_amount FROM notices WHERE title LIKE ? AND resident_id = ?')
    .get(`%${key}%`, 'resident-01') as {
    id: string;
    payment_amount: number | null;
  };

beforeAll(async () => {
  portal = await startTestPortal();
  cookie = await login(portal, 'resident-01');
});
afterAll(() => portal.dispose());

const pay = (noticeId: string, key: string | undefined, payload: unknown, who = cookie) =>
  portal.app.inject({
    method: 'POST',
    url: `/api/v1/me/notices/${noticeId}/payment`,
    headers: { cookie: who, ...(key ? { 'idempotency-key': key } : {}) },
    payload: payload as object,
  });

describe('お知らせ', () => {
  it('lists newest first with unread count, filters by status and kind; GET does not mark read', async () => {
    const all = (await portal.app.inject({ url: '/api/v1/me/notices?pageSize=100', headers: { cookie } })).json();
    expect(all.total).toBe(count(portal.db, 'notices', "resident_id = 'resident-01'"));
    expect(all.unreadCount).toBe(count(portal.db, 'notices', "resident_id = 'resident-01' AND read_at IS NULL"));
    const unread = (
      await portal.app.inject({ url: '/api/v1/me/notices?status=unread&pageSize=100', headers: { cookie } })
    ).json();
    expect(unread.items.every((n: { read: boolean }) => !n.read)).toBe(true);
    expect(unread.total).toBe(all.unreadCount);
    const tax = (await portal.app.inject({ url: '/api/v1/me/notices?kind=tax', headers: { cookie } })).json();
    expect(tax.items.every((n: { kindLabel: string }) => n.kindLabel === '税')).toBe(true);
    expect(tax.items.some((n: { payment: unknown }) => n.payment !== null)).toBe(true);

    const id = unread.items[0].id;
    const before = dbDigest(portal.db);
    const d = (await portal.app.inject({ url: `/api/v1/me/notices/${id}`, headers: { cookie } })).json();
    expect(d.read).toBe(false);
    expect(d.body.length).toBeGreaterThan(0);
    expect(dbDigest(portal.db)).toEqual(before);
  });

  it('marking read is idempotent and keeps the first read time', async () => {
    const { id } = notice('インフルエンザ');
    const r1 = await portal.app.inject({ method: 'POST', url: `/api/v1/me/notices/${id}/read`, headers: { cookie } });
    expect(r1.statusCode).toBe(200);
    expect(r1.json().read).toBe(true);
    portal.clock.advance(5000);
    const r2 = await portal.app.inject({ method: 'POST', url: `/api/v1/me/notices/${id}/read`, headers: { cookie } });
    expect(r2.json().readAt).toBe(r1.json().readAt);
    expectProblem(
      await portal.app.inject({
        method: 'POST',
        url: '/api/v1/me/notices/ntc_0000000000000000/read',
        headers: { cookie },
      }),
      404,
      'NOTICE_NOT_FOUND',
    );
  });
});

describe('自己情報', () => {
  it('lists every category with counts; resident-01 has records in most of them', async () => {
    const { categories } = (await portal.app.inject({ url: '/api/v1/me/self-info', headers: { cookie } })).json();
    expect(categories.map((c: { label: string }) => c.label)).toEqual(
      expect.arrayContaining(['税・所得', '児童手当', '予防接種', '健診', '年金', '世帯']),
    );
    const withData = categories.filter((c: { count: number }) => c.count > 0);
    expect(withData.length).toBeGreaterThanOrEqual(15);
    const v = (await portal.app.inject({ url: '/api/v1/me/self-info/vaccination', headers: { cookie } })).json();
    expect(v.category.label).toBe('予防接種');
    expect(v.records).toHaveLength(3);
    expect(v.records[0].asOf >= v.records[1].asOf).toBe(true);
    expect(v.records[0].items[0]).toEqual({ label: expect.any(String), value: expect.any(String) });
    const empty = (
      await portal.app.inject({ url: '/api/v1/me/self-info/public-assistance', headers: { cookie } })
    ).json();
    expect(empty.records).toEqual([]);
    expectProblem(
      await portal.app.inject({ url: '/api/v1/me/self-info/no-such', headers: { cookie } }),
      404,
      'SELF_INFO_CATEGORY_NOT_FOUND',
    );
  });
});

describe('公金決済', () => {
  it('Pay-easy: receipt with 収納機関番号/納付番号/確認番号, amount from the notice; replay returns the same receipt', async () => {
    const n = notice('第4期分');
    const key = 'pay-test-payeasy-0001';
    const r = await pay(n.id, key, { method: 'pay-easy' });
    expect(r.statusCode, r.body).toBe(201);
    const receipt = r.json();
    expect(r.headers.location).toBe(`/api/v1/me/payments/${receipt.id}`);
    expect(receipt).toMatchObject({
      status: 'completed',
      amount: n.payment_amount,
      currency: 'JPY',
      method: 'pay-easy',
      notice: { id: n.id },
      card: null,
    });
    expect(receipt.payEasy.collectorNumber).toBe('13101');
    expect(receipt.payEasy.paymentNumber).toMatch(/^\d{16}$/);
    expect(receipt.payEasy.confirmationNumber).toMatch(/^\d{6}$/);
    expect(receipt.receiptNumber).toMatch(/^R\d{8}-\d{10}$/);

    const before = dbDigest(portal.db);
    const again = await pay(n.id, key, { method: 'pay-easy' });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(receipt);
    expect(dbDigest(portal.db)).toEqual(before);
    expect(count(portal.db, 'payments', 'notice_id = ?', n.id)).toBe(1);

    // The notice now shows as paid; the payment is in the list and in 操作履歴.
    const d = (await portal.app.inject({ url: `/api/v1/me/notices/${n.id}`, headers: { cookie } })).json();
    expect(d.payment).toMatchObject({ state: 'paid', stateLabel: '納付済み', paymentId: receipt.id });
    const list = (await portal.app.inject({ url: '/api/v1/me/payments', headers: { cookie } })).json();
    expect(list.items[0]).toEqual(receipt);
    const activity = (await portal.app.inject({ url: '/api/v1/me/activity', headers: { cookie } })).json();
    expect(activity.items[0]).toMatchObject({ kind: 'payment', kindLabel: '公金決済' });
    expect(activity.items[0].summary).toContain('44,150円');

    // Same key, different request → 422; new key for the paid notice → 409.
    expectProblem(
      await pay(n.id, key, { method: 'card', card: { number: '4111111111111111', expiry: '12/30' } }),
      422,
      'IDEMPOTENCY_KEY_CONFLICT',
    );
    expectProblem(await pay(n.id, 'pay-test-payeasy-0002', { method: 'pay-easy' }), 409, 'NOTICE_ALREADY_PAID');
    expect(dbDigest(portal.db)).toEqual(before);
  });

  it('card: Luhn, expiry and the declined test card are checked before anything is stored', async () => {
    const n = notice('学童クラブ');
    const before = dbDigest(portal.db);
    expectProblem(
      await pay(n.id, 'card-test-0001', { method: 'card', card: { number: '4111111111111112', expiry: '12/30' } }),
      422,
      'CARD_NUMBER_INVALID',
    );
    expectProblem(
      await pay(n.id, 'card-test-0002', { method: 'card', card: { number: '4111111111111111', expiry: '01/20' } }),
      422,
      'CARD_EXPIRED',
    );
    expectProblem(
      await pay(n.id, 'card-test-0003', { method: 'card', card: { number: '4000000000000002', expiry: '12/30' } }),
      402,
      'PAYMENT_DECLINED',
    );
    expectProblem(await pay(n.id, 'card-test-0004', { method: 'card' }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await pay(n.id, 'card-test-0005', { method: 'pay-easy', card: { number: '4111111111111111', expiry: '12/30' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await pay(n.id, 'card-test-0006', { method: 'pay-easy', amount: 1 }), 400, 'VALIDATION_FAILED');
    expectProblem(await pay(n.id, 'card-test-0007', { method: 'bitcoin' }), 400, 'VALIDATION_FAILED');
    expectProblem(await pay(n.id, undefined, { method: 'pay-easy' }), 400, 'IDEMPOTENCY_KEY_REQUIRED');
    expectProblem(await pay(n.id, 'short', { method: 'pay-easy' }), 400, 'IDEMPOTENCY_KEY_REQUIRED');
    expect(dbDigest(portal.db)).toEqual(before);

    const r = await pay(n.id, 'card-test-0008', {
      method: 'card',
      card: { number: '3530111333300000', expiry: '12/30', holder: 'HANAKO MIHON' },
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().card).toMatchObject({ brand: 'JCB', last4: '0000', token: expect.stringMatching(/^tok_sandbox_/) });
    expect(r.json().amount).toBe(6000);
    const stored = JSON.stringify(portal.db.prepare('SELECT * FROM payments').all());
    expect(stored).not.toContain('3530111333300000');
  });

  it('a notice without an amount is not payable; unknown notices are 404', async () => {
    const n = notice('予防接種費用助成');
    expect(n.payment_amount).toBeNull();
    const before = dbDigest(portal.db);
    expectProblem(await pay(n.id, 'np-test-0001', { method: 'pay-easy' }), 409, 'NOTICE_NOT_PAYABLE');
    expectProblem(await pay('ntc_0000000000000000', 'np-test-0002', { method: 'pay-easy' }), 404, 'NOTICE_NOT_FOUND');
    expect(dbDigest(portal.db)).toEqual(before);
  });

  it('concurrent requests with one key make one payment', async () => {
    const cookie2 = await login(portal, 'resident-02');
    const n = portal.db
      .prepare(
        "SELECT id FROM notices WHERE resident_id = 'resident-02' AND payment_amount IS NOT NULL ORDER BY id LIMIT 1",
      )
      .get() as { id: string };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => pay(n.id, 'parallel-key-0001', { method: 'pay-easy' }, cookie2)),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(results.every((r) => r.statusCode === 201 || r.statusCode === 200)).toBe(true);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    expect(count(portal.db, 'payments', 'notice_id = ?', n.id)).toBe(1);
    // Different keys in parallel: one wins, the others are told the notice is paid.
    const m = portal.db
      .prepare("SELECT id FROM notices WHERE resident_id = 'resident-02' AND payment_amount IS NOT NULL AND id <> ?")
      .get(n.id) as { id: string };
    const racing = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        pay(m.id, `racing-key-${String(i).padStart(4, '0')}`, { method: 'pay-easy' }, cookie2),
      ),
    );
    expect(racing.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of racing.filter((x) => x.statusCode !== 201)) expectProblem(r, 409, 'NOTICE_ALREADY_PAID');
  });
});
