import { describe, expect, it } from 'vitest';
import { SERVICES } from './catalog.ts';
import { foldForSearch, queryTerms } from './normalize.ts';
import { SEARCH_QUERY_SCHEMA, searchServices } from './search.ts';

const all = (q: Omit<Parameters<typeof searchServices>[0], 'page' | 'pageSize'>) =>
  searchServices({ ...q, page: 1, pageSize: 100 });

describe('folding', () => {
  it('applies NFKC, lower case and katakana → hiragana', () => {
    expect(foldForSearch('ホイク')).toBe('ほいく');
    expect(foldForSearch('ﾎｲｸ')).toBe('ほいく'); // half-width katakana
    expect(foldForSearch('ｼﾞﾄﾞｳ')).toBe('じどう'); // half-width voiced marks compose
    expect(foldForSearch('ＣＨＩＬＤ　Care１')).toBe('child care1');
    expect(foldForSearch('ヴ')).toBe('ゔ');
    expect(queryTerms('  児童　手当 ')).toEqual(['児童', '手当']);
    expect(queryTerms('\u0000')).toEqual([]);
  });
});

describe('searchServices', () => {
  it('filters by municipality and category', () => {
    const r = all({ municipalityCode: '131130', category: 'hoiku' });
    expect(r.total).toBeGreaterThan(0);
    expect(r.items.every((s) => s.municipalityCode === '131130' && s.category === 'hoiku')).toBe(true);
    expect(r.total).toBe(SERVICES.filter((s) => s.municipalityCode === '131130' && s.category === 'hoiku').length);
    expect(all({ municipalityCode: '999999' }).total).toBe(0);
  });

  it('without filters returns the whole catalog in catalog order', () => {
    const r = searchServices({ page: 1, pageSize: 100 });
    expect(r.total).toBe(SERVICES.length);
    expect(r.items).toEqual(SERVICES.slice(0, 100));
  });

  it('matches keywords in title, summary and description', () => {
    expect(all({ keyword: '児童手当', municipalityCode: '131016' }).items.map((s) => s.id)).toContain(
      '131016-jidou-teate-nintei',
    );
    // only in the description
    const desc = all({ keyword: '15,000円' });
    expect(desc.total).toBeGreaterThan(0);
    expect(desc.items.every((s) => s.description.includes('15,000円'))).toBe(true);
    // in the summary
    expect(all({ keyword: '妊娠届出後に5万円' }).items.every((s) => s.category === 'boshi-hoken')).toBe(true);
  });

  it('folds kana and width: ほいく, ホイク and ﾎｲｸ find 保育 services', () => {
    const kanji = all({ keyword: '保育', municipalityCode: '131016' });
    for (const kw of ['ほいく', 'ホイク', 'ﾎｲｸ']) {
      const r = all({ keyword: kw, municipalityCode: '131016' });
      expect(r.total, kw).toBeGreaterThan(0);
      expect(
        r.items.map((s) => s.id),
        kw,
      ).toEqual(expect.arrayContaining(kanji.items.filter((s) => s.category === 'hoiku').map((s) => s.id)));
    }
    expect(all({ keyword: 'じどうてあて' }).items.every((s) => s.category === 'jidou-teate')).toBe(true);
    expect(all({ keyword: 'ＣＨＩＬＤＣＡＲＥ' }).total).toBe(all({ keyword: 'childcare' }).total);
    expect(all({ keyword: 'childcare' }).total).toBeGreaterThan(0);
  });

  it('requires every term (AND), split on full-width spaces too', () => {
    const r = all({ keyword: '渋谷区　保育所' });
    expect(r.total).toBeGreaterThan(0);
    expect(r.items.every((s) => s.municipalityCode === '131130')).toBe(true);
    expect(all({ keyword: '保育所 存在しない語' }).total).toBe(0);
  });

  it('ranks title matches first, then catalog order', () => {
    const r = all({ keyword: '保育所', municipalityCode: '131016' });
    const firstNonTitle = r.items.findIndex((s) => !s.title.includes('保育所'));
    const lastTitle = r.items.map((s) => s.title.includes('保育所')).lastIndexOf(true);
    expect(firstNonTitle === -1 || lastTitle < firstNonTitle).toBe(true);
    expect(r.items[0]!.id).toBe('131016-hoikusho-nyusho');
  });

  it('pages stably: pages concatenate to the full result without overlap', () => {
    const full = all({ keyword: 'ほいく' });
    expect(full.total).toBeGreaterThan(7);
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(full.total / 3); page++) {
      const r = searchServices({ keyword: 'ほいく', page, pageSize: 3 });
      expect(r.total).toBe(full.total);
      expect(r.page).toBe(page);
      expect(r.items.length).toBeLessThanOrEqual(3);
      seen.push(...r.items.map((s) => s.id));
    }
    expect(seen).toEqual(full.items.map((s) => s.id));
    expect(searchServices({ keyword: 'ほいく', page: 999, pageSize: 3 }).items).toEqual([]);
    expect(searchServices({ keyword: 'ほいく', page: 2, pageSize: 3 })).toEqual(
      searchServices({ keyword: 'ほいく', page: 2, pageSize: 3 }),
    );
  });

  it('can list only online procedures', () => {
    const r = all({ onlineOnly: true });
    expect(r.total).toBeGreaterThan(0);
    expect(r.items.every((s) => s.onlineApplication)).toBe(true);
    expect(all({ onlineOnly: true, municipalityCode: '231002' }).total).toBe(0);
  });

  it('refuses queries the route schema refuses', () => {
    expect(() => searchServices({ page: 0, pageSize: 10 })).toThrow(RangeError);
    expect(() => searchServices({ page: 1, pageSize: 101 })).toThrow(RangeError);
    expect(() => searchServices({ page: 1.5, pageSize: 10 })).toThrow(RangeError);
    expect(() => searchServices({ page: 1, pageSize: 10, category: 'x' as never })).toThrow(RangeError);
    expect(() => searchServices({ page: 1, pageSize: 10, keyword: 'あ'.repeat(101) })).toThrow(RangeError);
    expect(SEARCH_QUERY_SCHEMA.properties.pageSize.maximum).toBe(100);
  });
});
