/** 子育てワンストップ public routes: categories, search, service page, form (no session needed). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUNICIPALITIES } from '../demo/data.ts';
import { MUNICIPALITY_LIST, SERVICES } from '../kosodate/index.ts';
import { expectProblem, startTestPortal, type TestPortal } from './test-support.ts';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(() => portal.dispose());

const get = async (url: string) => {
  const r = await portal.app.inject({ url });
  return { r, body: r.json() };
};

describe('GET /api/v1/kosodate/categories', () => {
  it('lists the four 分野 with service counts', async () => {
    const { r, body } = await get('/api/v1/kosodate/categories');
    expect(r.statusCode).toBe(200);
    expect(body.items.map((c: { label: string }) => c.label)).toEqual(['児童手当', '保育', 'ひとり親支援', '母子保健']);
    const total = body.items.reduce((n: number, c: { serviceCount: number }) => n + c.serviceCount, 0);
    expect(total).toBe(SERVICES.length);
    const hoiku = body.items.find((c: { key: string }) => c.key === 'hoiku');
    expect(hoiku.onlineServiceCount).toBe(SERVICES.filter((s) => s.category === 'hoiku' && s.onlineApplication).length);
  });
});

describe('GET /api/v1/kosodate/services', () => {
  it('searches by municipality, category and keyword, online only, with paging', async () => {
    const all = await get('/api/v1/kosodate/services?pageSize=100');
    expect(all.body.total).toBe(SERVICES.length);
    expect(all.body.items).toHaveLength(Math.min(100, SERVICES.length));

    const chiyoda = await get('/api/v1/kosodate/services?municipalityCode=131016&category=hoiku');
    expect(chiyoda.body.total).toBeGreaterThan(0);
    for (const s of chiyoda.body.items) {
      expect(s.municipality).toEqual({ code: '131016', name: '千代田区', prefecture: '東京都' });
      expect(s.category).toEqual({ key: 'hoiku', label: '保育', labelEn: 'Childcare' });
    }

    const keyword = await get(
      `/api/v1/kosodate/services?municipalityCode=131016&keyword=${encodeURIComponent('じどうてあて にんてい')}`,
    );
    expect(keyword.body.items[0]).toMatchObject({
      id: '131016-jidou-teate-nintei',
      title: '児童手当 認定請求',
      onlineApplication: {
        procedureId: 'jidou-teate-nintei',
        formUrl: '/api/v1/kosodate/procedures/jidou-teate-nintei/form',
      },
    });

    const online = await get('/api/v1/kosodate/services?onlineOnly=true&pageSize=100');
    expect(online.body.total).toBe(SERVICES.filter((s) => s.onlineApplication).length);
    expect(online.body.items.every((s: { onlineApplication: unknown }) => s.onlineApplication !== null)).toBe(true);
    const nagoya = await get('/api/v1/kosodate/services?onlineOnly=true&municipalityCode=231002');
    expect(nagoya.body.total).toBe(0);

    const p1 = await get('/api/v1/kosodate/services?pageSize=5&page=1');
    const p2 = await get('/api/v1/kosodate/services?pageSize=5&page=2');
    expect(p1.body).toMatchObject({
      page: 1,
      pageSize: 5,
      total: SERVICES.length,
      totalPages: Math.ceil(SERVICES.length / 5),
    });
    expect(p2.body.items[0].id).not.toBe(p1.body.items[0].id);
    expect(p1.body.items[0]).not.toHaveProperty('readings');
  });

  it('refuses a malformed query (400)', async () => {
    for (const q of [
      'category=nursery',
      'municipalityCode=13101',
      'onlineOnly=yes',
      'pageSize=101',
      'page=0',
      'foo=1',
    ]) {
      expectProblem((await get(`/api/v1/kosodate/services?${q}`)).r, 400, 'VALIDATION_FAILED');
    }
    expectProblem((await get(`/api/v1/kosodate/services?keyword=${'あ'.repeat(101)}`)).r, 400, 'VALIDATION_FAILED');
  });
});

describe('GET /api/v1/kosodate/services/:id', () => {
  it('is the service page', async () => {
    const { r, body } = await get('/api/v1/kosodate/services/141003-hoikusho-nyusho');
    expect(r.statusCode).toBe(200);
    expect(body).toMatchObject({
      id: '141003-hoikusho-nyusho',
      municipality: { code: '141003', name: '横浜市' },
      category: { key: 'hoiku' },
      onlineApplication: { procedureId: 'hoikusho-nyusho' },
    });
    expect(body.description).toContain('\n\n');
    expect(body.requiredDocuments.length).toBeGreaterThan(0);
    expect(body.contact.phone).toMatch(/^0\d+-000?0-\d{4}$/);
    const offline = await get('/api/v1/kosodate/services/231002-jidou-teate-nintei');
    expect(offline.body.onlineApplication).toBeNull();
  });

  it('unknown → 404 KOSODATE_SERVICE_NOT_FOUND', async () => {
    expectProblem((await get('/api/v1/kosodate/services/999999-nothing')).r, 404, 'KOSODATE_SERVICE_NOT_FOUND');
  });
});

describe('GET /api/v1/kosodate/procedures/:procedureId/form', () => {
  it('serves the schema, the UI metadata with card-fill marks, the attachments and where to submit', async () => {
    const { r, body } = await get('/api/v1/kosodate/procedures/jidou-teate-nintei/form');
    expect(r.statusCode).toBe(200);
    expect(body.schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(body.schema.properties.applicant.properties.name).toBeTruthy();
    expect(body.title.ja).toContain('児童手当');
    expect(body.cardFill).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/applicant/name', cardFill: 'name', form: 'unchanged' }),
        expect.objectContaining({ pointer: '/applicant/birthDate', cardFill: 'birthDate', card: 'YYYYMMDD' }),
        expect.objectContaining({ pointer: '/applicant/myNumber', cardFill: 'myNumber' }),
      ]),
    );
    const nameField = body.fields.find((f: { pointer: string }) => f.pointer === '/applicant/name');
    expect(nameField).toMatchObject({ kind: 'field', cardFill: 'name', label: { ja: expect.any(String) } });
    const myNumber = body.fields.find((f: { pointer: string }) => f.pointer === '/applicant/myNumber');
    expect(myNumber.sensitive).toBe(true);
    expect(body.attachments.length).toBeGreaterThan(0);
    expect(body.attachments[0]).toMatchObject({ kind: expect.any(String), mediaTypes: expect.any(Array) });
    expect(body.municipalities.map((m: { code: string }) => m.code)).toContain('131016');
    expect(body.municipalities.map((m: { code: string }) => m.code)).not.toContain('231002');
    expect(body.submission).toEqual({
      method: 'POST',
      url: '/api/v1/me/applications',
      mediaType: 'application/vnd.myna-companion.application+zip',
    });
    const hoiku = await get('/api/v1/kosodate/procedures/hoikusho-nyusho/form');
    expect(hoiku.body.procedureId).toBe('hoikusho-nyusho');
    expect(JSON.stringify(hoiku.body.schema)).toContain('desiredFacilities');
  });

  it('unknown procedure → 404; malformed → 400', async () => {
    expectProblem((await get('/api/v1/kosodate/procedures/inkan-toroku/form')).r, 404, 'PROCEDURE_NOT_FOUND');
    expectProblem((await get('/api/v1/kosodate/procedures/Bad_Id/form')).r, 400, 'VALIDATION_FAILED');
  });
});

describe('municipalities: the portal seed and the kosodate catalog agree', () => {
  it('every catalog municipality is in the seed with the same name, prefecture and reading', async () => {
    for (const m of MUNICIPALITY_LIST) {
      const seeded = MUNICIPALITIES.find((x) => x.code === m.code);
      expect(seeded, m.code).toEqual({ code: m.code, prefecture: m.prefecture, name: m.name, nameKana: m.nameKana });
    }
    const served = (await get('/api/v1/municipalities')).body.items.map((m: { code: string }) => m.code);
    for (const m of MUNICIPALITY_LIST) expect(served).toContain(m.code);
  });
});
