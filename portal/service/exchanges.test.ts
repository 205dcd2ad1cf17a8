import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, login, startTestPortal, type TestPortal } from './test-support.ts';

let portal: TestPortal;
let cookie: string;
beforeAll(async () => {
  portal = await startTestPortal();
  cookie = await login(portal, 'resident-01');
});
afterAll(() => portal.dispose());

interface Item {
  id: string;
  managementNumber: string;
  status: string;
  statusLabel: string;
  requestedAt: string;
  requesterAgency: { id: string; name: string } | null;
  providerAgency: { id: string; name: string } | null;
  affairs: { id: string; name: string } | null;
  informationName: string | null;
  undisclosed: boolean;
}

const list = async (query = '') => {
  const r = await portal.app.inject({ url: `/api/v1/me/exchanges${query}`, headers: { cookie } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { items: Item[]; total: number; page: number; pageSize: number; totalPages: number };
};
const dbCount = (where: string, ...args: unknown[]) =>
  (
    portal.db
      .prepare(`SELECT count(*) AS n FROM exchanges WHERE resident_id = 'resident-01' AND ${where}`)
      .get(...args) as {
      n: number;
    }
  ).n;

describe('やりとり履歴 list', () => {
  it('pages through every record once, newest 照会日時 first', async () => {
    const total = dbCount('1');
    expect(total).toBeGreaterThan(25);
    const p1 = await list('?pageSize=20');
    const p2 = await list('?pageSize=20&page=2');
    const p3 = await list('?pageSize=20&page=3');
    expect(p1).toMatchObject({ total, page: 1, pageSize: 20, totalPages: Math.ceil(total / 20) });
    expect(p1.items).toHaveLength(20);
    expect(p2.items).toHaveLength(total - 20);
    expect(p3.items).toHaveLength(0);
    const all = [...p1.items, ...p2.items];
    expect(new Set(all.map((i) => i.id)).size).toBe(total);
    const times = all.map((i) => i.requestedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect((await list()).pageSize).toBe(20);
  });

  it('filters by period (Japan-time days, inclusive)', async () => {
    const r = await list('?from=2024-01-01&to=2024-12-31&pageSize=100');
    const n = dbCount("requested_at >= '2023-12-31T15:00:00.000Z' AND requested_at < '2024-12-31T15:00:00.000Z'");
    expect(r.total).toBe(n);
    expect(n).toBeGreaterThan(0);
    for (const i of r.items)
      expect(i.requestedAt >= '2023-12-31T15:00:00.000Z' && i.requestedAt < '2024-12-31T15:00:00.000Z').toBe(true);
    expect((await list('?from=2026-11-25&to=2026-11-25')).items.map((i) => i.status)).toEqual(['requesting']);
    expectProblem(
      await portal.app.inject({ url: '/api/v1/me/exchanges?from=2025-01-02&to=2025-01-01', headers: { cookie } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('filters by 照会機関 / 提供機関 with a role', async () => {
    const any = await list('?agency=mihon-kenpo&pageSize=100');
    expect(any.total).toBe(
      dbCount("undisclosed = 0 AND (requester_agency_id = 'mihon-kenpo' OR provider_agency_id = 'mihon-kenpo')"),
    );
    expect(any.total).toBeGreaterThan(0);
    for (const i of any.items) expect([i.requesterAgency?.id, i.providerAgency?.id]).toContain('mihon-kenpo');
    const asProvider = await list('?agency=muni-131016&agencyRole=provider&pageSize=100');
    for (const i of asProvider.items) expect(i.providerAgency?.id).toBe('muni-131016');
    const asRequester = await list('?agency=muni-131016&agencyRole=requester&pageSize=100');
    for (const i of asRequester.items) expect(i.requesterAgency?.id).toBe('muni-131016');
    expect(asProvider.total + asRequester.total).toBe((await list('?agency=muni-131016&pageSize=100')).total);
    expect((await list('?agency=no-such-agency')).total).toBe(0);
  });

  it('filters by 事務 and 状況, and combines filters', async () => {
    const r = await list('?affairs=child-allowance&pageSize=100');
    expect(r.total).toBe(dbCount("undisclosed = 0 AND affairs_id = 'child-allowance'"));
    for (const i of r.items) expect(i.affairs?.id).toBe('child-allowance');
    const np = await list('?status=not-provided');
    expect(np.items.map((i) => i.statusLabel)).toEqual(['提供不可']);
    const both = await list('?affairs=child-rearing-allowance&from=2025-01-01&pageSize=100');
    expect(both.total).toBe(2);
  });

  it('不開示 records: listed, fields withheld, never matched or offered by agency/事務 filters', async () => {
    const all = [...(await list('?pageSize=100')).items];
    const hidden = all.filter((i) => i.undisclosed);
    expect(hidden.length).toBe(2);
    for (const h of hidden) {
      expect(h).toMatchObject({ requesterAgency: null, providerAgency: null, affairs: null, informationName: null });
      const d = (await portal.app.inject({ url: `/api/v1/me/exchanges/${h.id}`, headers: { cookie } })).json();
      expect(d.undisclosed).toBe(true);
      expect(d.requesterDepartment).toBeNull();
      expect(d.procedure).toBeNull();
      expect(d.withheldFields).toEqual(
        expect.arrayContaining([
          'requesterAgency',
          'requesterDepartment',
          'providerAgency',
          'affairs',
          'procedure',
          'informationName',
        ]),
      );
      expect(d.article21Paragraph2).toMatch(/^該当/);
      expect(d.managementNumber).toMatch(/^\d{16}$/);
    }
    // Their 事務 (local-tax) occurs only in 不開示 records: not offered, never matched.
    const filters = (await portal.app.inject({ url: '/api/v1/me/exchanges/filters', headers: { cookie } })).json();
    expect(filters.affairs.map((a: { id: string }) => a.id)).not.toContain('local-tax');
    expect((await list('?affairs=local-tax')).total).toBe(0);
    expect((await list('?agency=jp-pension&pageSize=100')).items.every((i) => !i.undisclosed)).toBe(true);
    expect(filters.statuses).toContainEqual({ code: 'provided', label: '提供完了' });
    expect(filters.period.earliest < filters.period.latest).toBe(true);
  });

  it('bad paging and filter values are 400 problems', async () => {
    for (const q of [
      '?page=0',
      '?pageSize=101',
      '?page=abc',
      '?pageSize=1.5',
      '?status=done',
      '?from=2025-13-01',
      '?agency=%20x',
      '?extra=1',
      '?page=1&page=2',
    ]) {
      expectProblem(
        await portal.app.inject({ url: `/api/v1/me/exchanges${q}`, headers: { cookie } }),
        400,
        'VALIDATION_FAILED',
      );
    }
  });
});

describe('やりとり履歴 detail', () => {
  it('has every field, with the Japanese labels', async () => {
    const { items } = await list('?status=provided&pageSize=1');
    const d = (await portal.app.inject({ url: `/api/v1/me/exchanges/${items[0]?.id}`, headers: { cookie } })).json();
    for (const k of [
      'managementNumber',
      'status',
      'statusLabel',
      'receivedAt',
      'requestedAt',
      'requesterAgency',
      'requesterDepartment',
      'providedAt',
      'providerAgency',
      'affairs',
      'procedure',
      'informationName',
      'article21Paragraph2',
      'undisclosed',
    ]) {
      expect(d[k], k).not.toBeNull();
      expect(d[k], k).not.toBeUndefined();
    }
    expect(d.labels).toMatchObject({
      managementNumber: '管理番号',
      status: '状況',
      receivedAt: 'やりとり履歴受付日時',
      requestedAt: '照会日時',
      requesterAgency: '照会機関',
      requesterDepartment: '情報照会者部署',
      providedAt: '提供日時',
      providerAgency: '提供機関',
      affairs: '事務',
      procedure: '事務手続',
      informationName: 'やりとりされた情報の名称',
      article21Paragraph2: '法第21条第2項各号の該当',
    });
    expect(d.providedAt >= d.requestedAt).toBe(true);
    expect(d.receivedAt >= d.providedAt).toBe(true);
    expect(d.withheldFields).toEqual([]);
  });

  it('a record still being requested has no 提供日時', async () => {
    const { items } = await list('?status=requesting');
    const d = (await portal.app.inject({ url: `/api/v1/me/exchanges/${items[0]?.id}`, headers: { cookie } })).json();
    expect(d).toMatchObject({ status: 'requesting', statusLabel: '照会中', providedAt: null });
  });

  it('unknown and malformed ids are problems', async () => {
    expectProblem(
      await portal.app.inject({ url: '/api/v1/me/exchanges/ex_ffffffffffffffff', headers: { cookie } }),
      404,
      'EXCHANGE_NOT_FOUND',
    );
    expectProblem(
      await portal.app.inject({ url: '/api/v1/me/exchanges/a.b', headers: { cookie } }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
