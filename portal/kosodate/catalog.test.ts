import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  CATEGORY_KEYS,
  getMunicipality,
  getService,
  MUNICIPALITY_LIST,
  onlineService,
  PROCEDURE_IDS,
  SERVICES,
} from './catalog.ts';
import { getForm } from './forms/index.ts';

describe('demo catalog', () => {
  it('has the four fields of 子育てワンストップ with ASCII keys and labels', () => {
    expect(CATEGORIES.map((c) => [c.key, c.ja])).toEqual([
      ['jidou-teate', '児童手当'],
      ['hoiku', '保育'],
      ['hitorioya', 'ひとり親支援'],
      ['boshi-hoken', '母子保健'],
    ]);
    for (const c of CATEGORIES) expect(c.en.length).toBeGreaterThan(0);
  });

  it('gives every service its fields, a unique stable id and a contact', () => {
    const ids = new Set<string>();
    for (const s of SERVICES) {
      expect(s.id).toMatch(/^[0-9]{6}-[a-z-]+$/);
      expect(s.id.startsWith(`${s.municipalityCode}-`)).toBe(true);
      expect(ids.has(s.id)).toBe(false);
      ids.add(s.id);
      expect(CATEGORY_KEYS).toContain(s.category);
      for (const v of [s.title, s.titleEn, s.summary, s.description, s.contact.counter, s.contact.hours]) {
        expect(v.length).toBeGreaterThan(0);
      }
      expect(s.municipalityName).toBe(getMunicipality(s.municipalityCode)?.name);
      expect(getService(s.id)).toBe(s);
      // fictitious numbers: the local exchange is all zeros
      expect(s.contact.phone).toMatch(/^0[0-9]{1,2}-0{3,4}-[0-9]{4}$/);
      expect(s.readings.every((r) => /^[\u3041-\u3096ー]+$/u.test(r))).toBe(true);
    }
    expect(getService('999999-nothing')).toBeUndefined();
  });

  it('is ordered by municipality code, then category, and is frozen', () => {
    const keys = SERVICES.map((s) => [s.municipalityCode, CATEGORY_KEYS.indexOf(s.category)] as const);
    const sorted = [...keys].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
    expect(keys).toEqual(sorted);
    expect(Object.isFrozen(SERVICES)).toBe(true);
    expect(Object.isFrozen(SERVICES[0])).toBe(true);
    expect(Object.isFrozen(SERVICES[0]!.contact)).toBe(true);
  });

  it('offers both target procedures online in several municipalities, and each has a form', () => {
    for (const p of PROCEDURE_IDS) {
      const online = SERVICES.filter((s) => s.onlineApplication?.procedureId === p);
      expect(new Set(online.map((s) => s.municipalityCode)).size, p).toBeGreaterThanOrEqual(3);
      expect(getForm(p)?.procedureId).toBe(p);
    }
    // information-only services exist in every category, and a municipality that takes neither online
    for (const c of CATEGORY_KEYS) {
      expect(SERVICES.some((s) => s.category === c && !s.onlineApplication)).toBe(true);
    }
    expect(onlineService('231002', 'jidou-teate-nintei')).toBeUndefined();
    expect(onlineService('011002', 'hoikusho-nyusho')).toBeUndefined();
    expect(onlineService('131016', 'hoikusho-nyusho')?.id).toBe('131016-hoikusho-nyusho');
    // the same template in a municipality without online application says so
    expect(getService('231002-jidou-teate-nintei')?.description).toContain('オンライン申請に対応していません');
    expect(getService('131016-jidou-teate-nintei')?.description).toContain('オンラインで申請できます');
  });

  it('covers several municipalities', () => {
    expect(MUNICIPALITY_LIST.map((m) => m.code)).toEqual(
      expect.arrayContaining(['131016', '131130', '271004', '011002']),
    );
    for (const m of MUNICIPALITY_LIST)
      expect(SERVICES.filter((s) => s.municipalityCode === m.code).length).toBeGreaterThan(10);
  });
});
