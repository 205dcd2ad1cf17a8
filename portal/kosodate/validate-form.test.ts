import { describe, expect, it } from 'vitest';
import { PROCEDURE_IDS } from './catalog.ts';
import { ifThen } from './json-schema.ts';
import { sampleApplication, sampleForm } from './samples.ts';
import {
  checkAttachments,
  type FormIssue,
  type FormValidationResult,
  isCalendarDate,
  MAX_REPORTED_ERRORS,
  requiredAttachments,
  validateAgainstSchema,
  validateApplication,
  validateForm,
} from './validate-form.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests poke at arbitrary form shapes
type AnyForm = Record<string, any>;

const errorsOf = (r: FormValidationResult): FormIssue[] => (r.ok ? [] : r.errors);
const pick = (issues: FormIssue[]) => issues.map((e) => ({ path: e.path, code: e.code }));

function jt(mutate: (f: AnyForm) => void): FormValidationResult {
  const f: AnyForm = sampleForm('jidou-teate-nintei');
  mutate(f);
  return validateForm('jidou-teate-nintei', f);
}
function hn(mutate: (f: AnyForm) => void): FormValidationResult {
  const f: AnyForm = sampleForm('hoikusho-nyusho');
  mutate(f);
  return validateForm('hoikusho-nyusho', f);
}
const only = (r: FormValidationResult) => pick(errorsOf(r));

describe('the sample forms', () => {
  it.each(PROCEDURE_IDS)('%s passes, without warnings, as form and as application', (p) => {
    expect(validateForm(p, sampleForm(p))).toEqual({ ok: true, warnings: [] });
    expect(validateApplication(sampleApplication(p))).toEqual({ ok: true, warnings: [] });
  });

  it('are fresh copies', () => {
    const a = sampleForm('jidou-teate-nintei') as AnyForm;
    a.applicant.name = 'x';
    expect((sampleForm('jidou-teate-nintei') as AnyForm).applicant.name).toBe('見本　花子');
  });
});

describe('schema errors, each with its path', () => {
  it('missing required members: the pointer of the missing member', () => {
    expect(only(jt((f) => delete f.applicant.phone))).toEqual([{ path: '/applicant/phone', code: 'required' }]);
    expect(only(jt((f) => delete f.children))).toEqual([{ path: '/children', code: 'required' }]);
    const r = jt((f) => delete f.children[1].birthDate);
    expect(pick(errorsOf(r))).toEqual([{ path: '/children/1/birthDate', code: 'required' }]);
    expect(errorsOf(r)[0]!.messageJa).toBe('「支給要件児童 2 › 生年月日」を入力してください');
    expect(errorsOf(r)[0]!.message).toBe('Eligible children 2 › Date of birth is required');
  });

  it('wrong types', () => {
    expect(only(jt((f) => (f.children[0].birthDate = 20200505)))).toEqual([
      { path: '/children/0/birthDate', code: 'type' },
    ]);
    // a wrong type on the switch does not cascade into the conditional rules
    expect(only(jt((f) => (f.hasSpouse = 'yes')))).toEqual([{ path: '/hasSpouse', code: 'type' }]);
    expect(only(hn((f) => (f.applicant.work.daysPerWeek = 4.5)))).toEqual([
      { path: '/applicant/work/daysPerWeek', code: 'type' },
    ]);
    expect(only(hn((f) => (f.children = { 0: f.children[0] })))).toEqual([{ path: '/children', code: 'type' }]);
    for (const bad of [null, [], 'form', 42]) {
      expect(pick(errorsOf(validateForm('jidou-teate-nintei', bad)))).toEqual([{ path: '', code: 'type' }]);
    }
  });

  it('values outside an enum, with the options in the message', () => {
    const r = jt((f) => (f.payee.bankAccount.accountType = 'checking'));
    expect(pick(errorsOf(r))).toEqual([{ path: '/payee/bankAccount/accountType', code: 'enum' }]);
    expect(errorsOf(r)[0]!.messageJa).toContain('普通、当座、貯蓄');
    expect(errorsOf(r)[0]!.message).toContain('"ordinary" (Ordinary)');
    expect(only(hn((f) => f.usage.days.push('sun')))).toEqual([{ path: '/usage/days/5', code: 'enum' }]);
  });

  it('dates that are malformed or do not exist', () => {
    for (const bad of ['2023-02-29', '2020-13-01', '2020/05/05', '20200505', '2020-5-5', '']) {
      expect(only(jt((f) => (f.children[0].birthDate = bad))), bad).toEqual([
        { path: '/children/0/birthDate', code: 'format' },
      ]);
    }
    expect(jt((f) => (f.children[0].birthDate = '2024-02-29')).ok).toBe(true);
  });

  it('unknown members, anywhere (including __proto__ and keys that need escaping)', () => {
    expect(only(jt((f) => (f.extra = 1)))).toEqual([{ path: '/extra', code: 'additional-property' }]);
    expect(only(jt((f) => (f.applicant.nickname = 'はな')))).toEqual([
      { path: '/applicant/nickname', code: 'additional-property' },
    ]);
    expect(only(jt((f) => (f.children[0]['a/b~c'] = 1)))).toEqual([
      { path: '/children/0/a~1b~0c', code: 'additional-property' },
    ]);
    const f = { ...sampleForm('jidou-teate-nintei'), ...JSON.parse('{"__proto__": {"polluted": true}}') };
    expect(pick(errorsOf(validateForm('jidou-teate-nintei', f)))).toEqual([
      { path: '/__proto__', code: 'additional-property' },
    ]);
    expect(({} as AnyForm).polluted).toBeUndefined();
  });

  it('too many and too few entries', () => {
    expect(only(jt((f) => (f.children = Array.from({ length: 11 }, () => ({ ...f.children[0] })))))).toEqual([
      { path: '/children', code: 'max-items' },
    ]);
    expect(only(jt((f) => (f.children = [])))).toEqual([{ path: '/children', code: 'min-items' }]);
    expect(
      only(hn((f) => (f.children[0].desiredFacilities = Array.from({ length: 6 }, (_, i) => ({ name: `施設${i}` }))))),
    ).toEqual([{ path: '/children/0/desiredFacilities', code: 'max-items' }]);
    expect(only(hn((f) => f.usage.days.push('mon')))).toEqual([{ path: '/usage/days/5', code: 'unique-items' }]);
  });

  it('patterns, lengths and ranges', () => {
    const kana = jt((f) => (f.applicant.nameKana = 'みほん　はなこ'));
    expect(pick(errorsOf(kana))).toEqual([{ path: '/applicant/nameKana', code: 'pattern' }]);
    expect(errorsOf(kana)[0]!.messageJa).toContain('全角カタカナ'); // the help text is quoted
    expect(only(jt((f) => (f.applicant.phone = '03-1234-abcd')))).toEqual([
      { path: '/applicant/phone', code: 'pattern' },
    ]);
    expect(only(jt((f) => (f.payee.bankAccount.accountNumber = '123')))).toEqual([
      { path: '/payee/bankAccount/accountNumber', code: 'min-length' },
      { path: '/payee/bankAccount/accountNumber', code: 'pattern' },
    ]);
    expect(only(jt((f) => (f.applicant.name = '見'.repeat(51))))).toEqual([
      { path: '/applicant/name', code: 'max-length' },
    ]);
    // too long: reported once, and the pattern is not run on it
    expect(only(hn((f) => (f.applicant.email = `a@${'.'.repeat(100_000)}@`)))).toEqual([
      { path: '/applicant/email', code: 'max-length' },
    ]);
    expect(only(hn((f) => (f.applicant.email = 'hanako@example')))).toEqual([
      { path: '/applicant/email', code: 'pattern' },
    ]);
    expect(only(jt((f) => (f.applicant.occupation = ''))).map((e) => e.code)).toEqual(['min-length']);
    // lengths count code points: 50 × 𠮷 (100 UTF-16 units) fits
    expect(jt((f) => (f.applicant.name = '𠮷'.repeat(50))).ok).toBe(true);
    expect(only(hn((f) => (f.applicant.work.daysPerWeek = 8)))).toEqual([
      { path: '/applicant/work/daysPerWeek', code: 'maximum' },
    ]);
    expect(only(hn((f) => (f.applicant.work.hoursPerWeek = 0.5)))).toEqual([
      { path: '/applicant/work/hoursPerWeek', code: 'minimum' },
    ]);
  });

  it('the declaration must be ticked', () => {
    const r = jt((f) => (f.declaration = false));
    expect(pick(errorsOf(r))).toEqual([{ path: '/declaration', code: 'const' }]);
    expect(errorsOf(r)[0]!.messageJa).toContain('チェックしてください');
  });

  it('conditional members', () => {
    expect(only(jt((f) => delete f.payee.bankAccount))).toEqual([{ path: '/payee/bankAccount', code: 'required' }]);
    expect(only(jt((f) => (f.payee.method = 'public-fund-account')))).toEqual([
      { path: '/payee/bankAccount', code: 'not-allowed' },
    ]);
    expect(
      jt((f) => {
        f.payee = { method: 'public-fund-account' };
        f.documents = [];
      }).ok,
    ).toBe(true);
    expect(only(jt((f) => (f.children[1].residence = 'apart')))).toEqual([
      { path: '/children/1/address', code: 'required' },
    ]);
    expect(only(jt((f) => delete f.spouse))).toEqual([{ path: '/spouse', code: 'required' }]);
    expect(only(jt((f) => (f.hasSpouse = false)))).toEqual([{ path: '/spouse', code: 'not-allowed' }]);
    expect(only(jt((f) => delete f.applicant.employerName))).toEqual([
      { path: '/applicant/employerName', code: 'required' },
    ]);
    expect(only(hn((f) => delete f.applicant.work))).toEqual([{ path: '/applicant/work', code: 'required' }]);
    expect(only(hn((f) => delete f.otherGuardian.needDetail))).toEqual([
      { path: '/otherGuardian/needDetail', code: 'required' },
    ]);
    expect(only(hn((f) => (f.hasOtherGuardian = false)))).toEqual([{ path: '/otherGuardian', code: 'not-allowed' }]);
  });

  it('reports several problems at once, in document order', () => {
    const r = jt((f) => {
      delete f.applicant.phone;
      f.extra = true;
      f.children[0].relationship = 'cousin';
    });
    expect(only(r)).toEqual([
      { path: '/applicant/phone', code: 'required' },
      { path: '/children/0/relationship', code: 'enum' },
      { path: '/extra', code: 'additional-property' },
    ]);
    for (const e of errorsOf(r)) expect(e.message.length && e.messageJa.length).toBeTruthy();
  });

  it('caps the number of errors, also for a huge list', () => {
    const r = jt((f) => {
      f.children = Array.from({ length: 10 }, () => ({}));
      f.documents = Array.from({ length: 20 }, () => ({}));
      f.olderChildren = Array.from({ length: 5 }, () => ({}));
    }); // 10 × 5 + 20 × 2 + 5 × 3 = 105 missing members
    const errors = errorsOf(r);
    expect(errors).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(errors.at(-1)!.code).toBe('too-many-errors');
    const huge = jt((f) => (f.children = Array.from({ length: 20_000 }, () => ({}))));
    expect(errorsOf(huge)[0]).toMatchObject({ path: '/children', code: 'max-items' });
    expect(errorsOf(huge)).toHaveLength(MAX_REPORTED_ERRORS + 1);
  });

  it('refuses an unknown procedure', () => {
    expect(only(validateForm('juminhyo', {}))).toEqual([{ path: '', code: 'unknown-procedure' }]);
    expect(only(validateForm('__proto__', {}))).toEqual([{ path: '', code: 'unknown-procedure' }]);
  });
});

describe('checks beyond the schema', () => {
  it('the My Number check digit of every 個人番号 field', () => {
    expect(only(jt((f) => (f.spouse.myNumber = '481516234201')))).toEqual([
      { path: '/spouse/myNumber', code: 'my-number' },
    ]);
    expect(only(hn((f) => (f.children[0].myNumber = '271828182841')))).toEqual([
      { path: '/children/0/myNumber', code: 'my-number' },
    ]);
    expect(only(jt((f) => (f.applicant.myNumber = '33391671872X')))).toEqual([
      { path: '/applicant/myNumber', code: 'pattern' },
    ]);
  });

  it('保育所: pick-up after drop-off, each facility once', () => {
    expect(only(hn((f) => (f.usage.pickUpTime = '08:30')))).toEqual([
      { path: '/usage/pickUpTime', code: 'time-order' },
    ]);
    expect(only(hn((f) => f.children[0].desiredFacilities.push({ name: '見本町　保育園' })))).toEqual([
      { path: '/children/0/desiredFacilities/2/name', code: 'duplicate-facility' },
    ]);
  });
});

describe('warnings for characters outside JIS X 0208', () => {
  it('a 𠮷 name is a warning, not an error', () => {
    const r = jt((f) => {
      f.applicant.name = '𠮷野　花子';
      f.children[0].name = '髙﨑　太郎';
    });
    expect(r.ok).toBe(true);
    expect(pick(r.warnings)).toEqual([
      { path: '/applicant/name', code: 'jis-x-0208' },
      { path: '/children/0/name', code: 'jis-x-0208' },
    ]);
    expect(r.warnings[0]!.messageJa).toContain('𠮷→吉');
    expect(r.warnings[1]!.message).toContain('髙→高, 﨑→崎');
  });

  it('warnings survive alongside errors, and NFD text is flagged', () => {
    const r = jt((f) => {
      f.applicant.address = '京都府京都市東山区見本町　メゾン・ド・髙﨑ヴィラ𠮷野';
      delete f.applicant.phone;
      f.spouse.name = '見本　か\u3099く'; // decomposed が
    });
    expect(r.ok).toBe(false);
    expect(pick(r.warnings)).toEqual([
      { path: '/applicant/address', code: 'jis-x-0208' },
      { path: '/spouse/name', code: 'not-nfc' },
    ]);
  });

  it('no warnings for ordinary Japanese, ASCII, half-width kana or 〜/～', () => {
    expect(jt((f) => (f.applicant.occupation = 'ITｴﾝｼﾞﾆｱ 〜 ～ ー 々 ヶ')).warnings).toEqual([]);
  });
});

describe('attachments', () => {
  const att = (name: string, mediaType = 'application/pdf') => ({ name, mediaType });

  it('the samples declare exactly their files', () => {
    for (const p of PROCEDURE_IDS) {
      const a = sampleApplication(p);
      expect(checkAttachments(p, a.form, a.attachments)).toEqual([]);
    }
    expect(requiredAttachments('hoikusho-nyusho', sampleForm('hoikusho-nyusho')).map((a) => a.kind)).toEqual([
      'shuro-shomeisho',
      'jiyu-moushitate',
    ]);
    expect(requiredAttachments('jidou-teate-nintei', sampleForm('jidou-teate-nintei')).map((a) => a.kind)).toEqual([
      'koza-kakunin',
    ]);
  });

  it('reports missing, undeclared, duplicate, wrongly typed and too many files', () => {
    const f: AnyForm = sampleForm('jidou-teate-nintei');
    expect(pick(checkAttachments('jidou-teate-nintei', f, []))).toEqual([
      { path: '/form/documents/0/fileName', code: 'attachment-missing' },
    ]);
    expect(
      pick(checkAttachments('jidou-teate-nintei', f, [att('通帳の写し.pdf'), att('extra.png', 'image/png')])),
    ).toEqual([{ path: '/attachments/1', code: 'attachment-undeclared' }]);
    expect(pick(checkAttachments('jidou-teate-nintei', f, [att('通帳の写し.pdf', 'image/gif')]))).toEqual([
      { path: '/form/documents/0/fileName', code: 'attachment-media-type' },
    ]);
    f.documents.push({ kind: 'sonota', fileName: '通帳の写し.pdf' });
    expect(pick(checkAttachments('jidou-teate-nintei', f, [att('通帳の写し.pdf')]))).toEqual([
      { path: '/form/documents/1/fileName', code: 'attachment-duplicate' },
    ]);
    f.documents = ['a.pdf', 'b.pdf', 'c.pdf'].map((fileName) => ({ kind: 'koza-kakunin', fileName }));
    expect(
      pick(
        checkAttachments(
          'jidou-teate-nintei',
          f,
          ['a.pdf', 'b.pdf', 'c.pdf'].map((n) => att(n)),
        ),
      ),
    ).toEqual([{ path: '/form/documents', code: 'attachment-too-many' }]);
  });

  it('asks for the documents the answers make necessary', () => {
    const f: AnyForm = sampleForm('jidou-teate-nintei');
    f.documents = [];
    expect(pick(checkAttachments('jidou-teate-nintei', f, []))).toEqual([
      { path: '/form/documents', code: 'attachment-required' },
    ]);
    f.payee = { method: 'public-fund-account' };
    expect(checkAttachments('jidou-teate-nintei', f, [])).toEqual([]);
    f.children[0].residence = 'apart';
    const issues = checkAttachments('jidou-teate-nintei', f, []);
    expect(issues.map((i) => i.messageJa)).toEqual(['別居監護申立書を添付してください（別居している児童がいる場合）']);
    const h: AnyForm = sampleForm('hoikusho-nyusho');
    h.otherGuardian.needReason = 'pregnancy';
    h.children[0].hasDisabilityCertificate = true;
    expect(requiredAttachments('hoikusho-nyusho', h).map((a) => a.kind)).toEqual([
      'shuro-shomeisho',
      'boshi-techo',
      'shinshou-techo',
    ]);
  });
});

describe('validateApplication', () => {
  it('checks the municipality and whether it takes the procedure online', () => {
    const a = sampleApplication('hoikusho-nyusho');
    expect(pick(errorsOf(validateApplication({ ...a, municipalityCode: '131017' })))).toEqual([
      { path: '/municipality/code', code: 'municipality-code' },
    ]);
    expect(pick(errorsOf(validateApplication({ ...a, municipalityCode: '130001' })))).toEqual([
      { path: '/municipality/code', code: 'unknown-municipality' },
    ]);
    expect(pick(errorsOf(validateApplication({ ...a, municipalityCode: '011002' })))).toEqual([
      { path: '/procedure/id', code: 'not-offered-online' },
    ]);
    expect(validateApplication({ ...a, municipalityCode: '401307' }).ok).toBe(true);
    expect(pick(errorsOf(validateApplication({ ...a, procedureId: 'nope' })))).toEqual([
      { path: '/procedure/id', code: 'unknown-procedure' },
    ]);
  });

  it('roots form errors and warnings at /form', () => {
    const a = sampleApplication('jidou-teate-nintei');
    (a.form as AnyForm).applicant.name = '𠮷野　花子';
    delete (a.form as AnyForm).applicant.phone;
    const r = validateApplication(a);
    expect(pick(errorsOf(r))).toEqual([{ path: '/form/applicant/phone', code: 'required' }]);
    expect(pick(r.warnings)).toEqual([{ path: '/form/applicant/name', code: 'jis-x-0208' }]);
  });
});

describe('the validator itself', () => {
  it('implements the subset', () => {
    const v = (schema: object, value: unknown) => pick(validateAgainstSchema(schema, value).errors);
    expect(v({ type: 'number' }, 3)).toEqual([]);
    expect(v({ type: 'integer' }, 3.5)).toEqual([{ path: '', code: 'type' }]);
    expect(v({ type: ['string', 'null'] }, null)).toEqual([]);
    expect(v({ anyOf: [{ type: 'string' }, { type: 'integer' }] }, true)).toEqual([{ path: '', code: 'any-of' }]);
    expect(v({ type: 'array', contains: { const: 2 } }, [1, 3])).toEqual([{ path: '', code: 'contains' }]);
    expect(v({ type: 'array', contains: { const: 2 } }, [1, 2])).toEqual([]);
    expect(v({ not: { type: 'string' } }, 'x')).toEqual([{ path: '', code: 'not' }]);
    expect(
      v({ type: 'array', uniqueItems: true }, [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ]),
    ).toEqual([{ path: '/1', code: 'unique-items' }]);
    expect(v({ type: 'string', format: 'date' }, '2000-02-29')).toEqual([]);
    expect(v({ type: 'string', format: 'email' }, 'x')).toEqual([]); // annotation only
    expect(v({ type: 'string', pattern: 'b' }, 'abc')).toEqual([]); // not anchored
    expect(v(ifThen({ const: 1 }, { const: 2 }, { type: 'string' }), 1)).toEqual([{ path: '', code: 'const' }]);
    expect(v(ifThen({ const: 1 }, { const: 2 }, { type: 'string' }), 'x')).toEqual([]);
    expect(() => validateAgainstSchema({ $ref: '#/x' } as object, 1)).toThrow(/unsupported/);
    expect(() => validateAgainstSchema({ properties: { a: { minProperties: 1 } } } as object, {})).toThrow(
      /minProperties/,
    );
  });

  it('knows the calendar', () => {
    expect(['2024-02-29', '2000-02-29', '1989-01-07', '2025-12-31'].every(isCalendarDate)).toBe(true);
    expect(
      ['2023-02-29', '1900-02-29', '2024-04-31', '2024-00-10', '2024-01-00', '２０２４-01-01'].some(isCalendarDate),
    ).toBe(false);
  });
});
