import { describe, expect, it } from 'vitest';
import { cardFillTargets, cardValueForForm, fillFromCard } from './card-fill.ts';
import { PROCEDURE_IDS } from './catalog.ts';
import { FORMS } from './forms/index.ts';
import { SAMPLE_CARD, sampleForm } from './samples.ts';
import { validateForm } from './validate-form.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests poke at arbitrary form shapes
type AnyForm = Record<string, any>;

describe('card values → form values', () => {
  it('converts birth date and sex, passes text through', () => {
    expect(cardValueForForm('birthDate', { birthDate: '19890107' })).toBe('1989-01-07');
    expect(cardValueForForm('sex', { sex: '1' })).toBe('male');
    expect(cardValueForForm('sex', { sex: '2' })).toBe('female');
    expect(cardValueForForm('sex', { sex: '9' })).toBe('other');
    expect(cardValueForForm('name', { name: '髙﨑　𠮷野' })).toBe('髙﨑　𠮷野');
    expect(cardValueForForm('myNumber', { myNumber: '333916718720' })).toBe('333916718720');
  });

  it('gives nothing for values the card format does not allow', () => {
    expect(cardValueForForm('birthDate', { birthDate: '1989-01-07' })).toBeUndefined();
    expect(cardValueForForm('sex', { sex: '3' })).toBeUndefined();
    expect(cardValueForForm('sex', { sex: 'toString' })).toBeUndefined();
    expect(cardValueForForm('myNumber', { myNumber: '12345' })).toBeUndefined();
    expect(cardValueForForm('name', {})).toBeUndefined();
    expect(cardValueForForm('address', { address: '' })).toBeUndefined();
  });
});

describe('fillFromCard', () => {
  it.each(PROCEDURE_IDS)('%s: the card fills the applicant, and the sample is what it reads', (p) => {
    const def = FORMS[p];
    const form: AnyForm = sampleForm(p);
    const targets = cardFillTargets(def).map((t) => t.pointer);
    expect(targets.sort()).toEqual(
      ['/applicant/address', '/applicant/birthDate', '/applicant/myNumber', '/applicant/name', '/applicant/sex'].sort(),
    );
    for (const k of ['name', 'address', 'birthDate', 'sex', 'myNumber']) delete form.applicant[k];
    const before = structuredClone(form);
    const { form: filled, filled: pointers } = fillFromCard(def, form, SAMPLE_CARD);
    expect(form).toEqual(before); // input untouched
    expect(pointers.sort()).toEqual(targets);
    expect(filled).toEqual(sampleForm(p));
    expect(validateForm(p, filled).ok).toBe(true);
  });

  it('creates the applicant group on an empty form and skips unusable values', () => {
    const { form, filled } = fillFromCard(FORMS['jidou-teate-nintei'], {}, { name: '見本　花子', sex: '7' });
    expect(form).toEqual({ applicant: { name: '見本　花子' } });
    expect(filled).toEqual(['/applicant/name']);
  });

  it('a card with rare kanji and sex 9 fills a form that is valid with warnings', () => {
    const card = {
      name: '髙﨑　𠮷野',
      address:
        '京都府京都市東山区大和大路通四条下る見本町二丁目５６７番地の８　メゾン・ド・髙﨑ヴィラ𠮷野第二号棟１２３４号室',
      birthDate: '19890107',
      sex: '9',
      myNumber: '561782920075',
    };
    const { form } = fillFromCard(FORMS['jidou-teate-nintei'], sampleForm('jidou-teate-nintei'), card);
    expect((form as AnyForm).applicant.sex).toBe('other');
    expect((form as AnyForm).applicant.birthDate).toBe('1989-01-07');
    const r = validateForm('jidou-teate-nintei', form);
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => [w.path, w.code])).toEqual([
      ['/applicant/name', 'jis-x-0208'],
      ['/applicant/address', 'jis-x-0208'],
    ]);
  });
});
