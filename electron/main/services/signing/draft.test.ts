/** Every rule of the package contract's Limits, each refused with its own code before signing. */
import { describe, expect, it } from 'vitest';
import { fileNameProblem } from './attachment-rules.ts';
import { type ApplicationDraft, validateDraft } from './draft.ts';
import { prepareApplication } from './manifest.ts';
import { municipalityCheckDigit, municipalityCodeProblem } from './municipality-code.ts';
import { PACKAGE_LIMITS } from './package-limits.ts';
import { SigningError, type SigningErrorCode } from './signing-error.ts';
import { sampleDraft, sampleJpeg, samplePdf, samplePng } from './test-support.ts';

const MiB = 1024 * 1024;

function refused(draft: unknown, code: SigningErrorCode): SigningError {
  try {
    prepareApplication(draft);
  } catch (e) {
    expect(e).toBeInstanceOf(SigningError);
    expect((e as SigningError).code).toBe(code);
    const j = (e as SigningError).toJSON();
    expect(j.messageJa.length).toBeGreaterThan(10);
    expect(j.message.length).toBeGreaterThan(10);
    expect(JSON.stringify(j)).not.toContain('stack');
    return e as SigningError;
  }
  throw new Error(`expected ${code}`);
}

/** [1, <hole>, 3] */
function sparse(): unknown[] {
  const a: unknown[] = [1];
  a[2] = 3;
  return a;
}

const pdf = (name: string, size = 100) => ({ name, mediaType: 'application/pdf', bytes: samplePdf(size) });

describe('municipality code (全国地方公共団体コード)', () => {
  it('computes the check digit as 総務省 defines it', () => {
    expect(municipalityCheckDigit('13101')).toBe(6); // 千代田区 131016
    expect(municipalityCheckDigit('13104')).toBe(1); // 新宿区 131041 (remainder 0)
    expect(municipalityCheckDigit('13113')).toBe(0); // 渋谷区 131130 (remainder 1)
    expect(municipalityCheckDigit('01100')).toBe(2); // 札幌市 011002
    expect(municipalityCheckDigit('27100')).toBe(4); // 大阪市 271004
  });

  it('accepts real codes and refuses wrong ones', () => {
    for (const ok of ['131016', '131041', '131130', '011002', '472018'])
      expect(municipalityCodeProblem(ok)).toBeUndefined();
    for (const bad of ['131017', '13101', '1310160', '１３１０１６', '001112', '481001', 'abcdef', ''])
      expect(municipalityCodeProblem(bad)).toBeDefined();
  });
});

describe('validateDraft', () => {
  it('accepts the sample draft and returns it typed', () => {
    const d = validateDraft(sampleDraft());
    expect(d.attachments.map((a) => a.mediaType)).toEqual(['application/pdf', 'image/png']);
  });

  it('DRAFT_INVALID: not an object, missing or mistyped fields, unknown fields', () => {
    refused(null, 'DRAFT_INVALID');
    refused([], 'DRAFT_INVALID');
    const { procedureId: _p, ...noProcedure } = sampleDraft();
    expect(refused(noProcedure, 'DRAFT_INVALID').details.field).toBe('procedureId');
    expect(refused({ ...sampleDraft(), municipalityCode: 131016 }, 'DRAFT_INVALID').details.field).toBe(
      'municipalityCode',
    );
    expect(refused({ ...sampleDraft(), form: [] }, 'DRAFT_INVALID').details.field).toBe('form');
    expect(refused({ ...sampleDraft(), attachments: {} }, 'DRAFT_INVALID').details.field).toBe('attachments');
    expect(refused({ ...sampleDraft(), title: 'x' }, 'DRAFT_INVALID').details.rule).toBe('unknown field');
    const e = refused({ ...sampleDraft(), attachments: [{ ...pdf('a.pdf'), path: '/etc/passwd' }] }, 'DRAFT_INVALID');
    expect(e.details.field).toBe('attachments[0].path');
    expect(
      refused({ ...sampleDraft(), attachments: [{ ...pdf('a.pdf'), bytes: 'JVBERi0=' }] }, 'DRAFT_INVALID').details
        .field,
    ).toBe('attachments[0].bytes');
  });

  it('PROCEDURE_ID_INVALID: not a short slug', () => {
    for (const id of ['', 'Jidou', 'jidou_teate', '-a', 'a-', 'a--b', 'a b', '児童手当', 'a'.repeat(65)]) {
      refused(sampleDraft({ procedureId: id }), 'PROCEDURE_ID_INVALID');
    }
  });

  it('MUNICIPALITY_CODE_INVALID: wrong length, non-digits, wrong check digit', () => {
    for (const c of ['131017', '13101', 'abcdef', '１３１０１６']) {
      expect(refused(sampleDraft({ municipalityCode: c }), 'MUNICIPALITY_CODE_INVALID').details.field).toBe(
        'municipalityCode',
      );
    }
  });

  it('FORM_INVALID: undefined, functions, NaN, Infinity, bigint, cycles, Dates, sparse arrays, lone surrogates', () => {
    const cyc: Record<string, unknown> = { a: 1 };
    cyc.back = cyc;
    const cases: [Record<string, unknown>, string][] = [
      [{ a: undefined }, 'form.a'],
      [{ a: () => 1 }, 'form.a'],
      [{ n: Number.NaN }, 'form.n'],
      [{ list: [1, Number.POSITIVE_INFINITY] }, 'form.list[1]'],
      [{ big: 1n }, 'form.big'],
      [cyc, 'form.back'],
      [{ when: new Date() }, 'form.when'],
      [{ list: sparse() }, 'form.list'],
      [{ 'name 氏名': '\ud800' }, 'form["name 氏名"]'],
      [{ m: new Map() }, 'form.m'],
    ];
    for (const [form, field] of cases) {
      const e = refused(sampleDraft({ form }), 'FORM_INVALID');
      expect(e.details.field?.startsWith(field), `${field} vs ${e.details.field}`).toBe(true);
    }
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) deep = { d: deep };
    refused(sampleDraft({ form: deep }), 'FORM_INVALID');
  });

  it('FORM_INVALID never puts the form value into the error', () => {
    const e = refused(sampleDraft({ form: { secret: 'マイナンバー123456789012', bad: Number.NaN } }), 'FORM_INVALID');
    expect(JSON.stringify(e.toJSON())).not.toContain('123456789012');
  });

  it('TOO_MANY_ATTACHMENTS: more than 20', () => {
    const attachments = Array.from({ length: 21 }, (_, i) => pdf(`f${i}.pdf`));
    const e = refused(sampleDraft({ attachments }), 'TOO_MANY_ATTACHMENTS');
    expect(e.details).toMatchObject({ limit: 20, actual: 21 });
    expect(() => prepareApplication(sampleDraft({ attachments: attachments.slice(0, 20) }))).not.toThrow();
  });

  it('ATTACHMENT_EMPTY and ATTACHMENT_TOO_LARGE (10 MiB each), naming the attachment', () => {
    const empty = refused(
      sampleDraft({
        attachments: [pdf('a.pdf'), { name: 'b.pdf', mediaType: 'application/pdf', bytes: new Uint8Array(0) }],
      }),
      'ATTACHMENT_EMPTY',
    );
    expect(empty.details).toMatchObject({ index: 1, attachment: 'b.pdf', field: 'attachments[1].bytes' });
    const big = refused(sampleDraft({ attachments: [pdf('big.pdf', 10 * MiB + 1)] }), 'ATTACHMENT_TOO_LARGE');
    expect(big.details).toMatchObject({ attachment: 'big.pdf', limit: 10 * MiB, actual: 10 * MiB + 1 });
    expect(big.messageEn).toContain('10.0 MiB');
    expect(() => prepareApplication(sampleDraft({ attachments: [pdf('max.pdf', 10 * MiB)] }))).not.toThrow();
  });

  it('PACKAGE_TOO_LARGE: more than 20 MiB in total', () => {
    const attachments = [pdf('a.pdf', 10 * MiB), pdf('b.pdf', 10 * MiB), pdf('c.pdf', 10)];
    expect(refused(sampleDraft({ attachments }), 'PACKAGE_TOO_LARGE').details).toMatchObject({
      limit: 20 * MiB,
      actual: 20 * MiB + 10,
    });
    expect(() => prepareApplication(sampleDraft({ attachments: attachments.slice(0, 2) }))).not.toThrow();
  });

  it('MANIFEST_TOO_LARGE: the canonical manifest over 256 KiB', () => {
    const e = refused(sampleDraft({ form: { essay: 'あ'.repeat(90_000) } }), 'MANIFEST_TOO_LARGE');
    expect(e.details.limit).toBe(PACKAGE_LIMITS.maxManifestBytes);
    expect(e.details.actual).toBeGreaterThan(256 * 1024);
  });

  it('MEDIA_TYPE_NOT_ALLOWED and MEDIA_TYPE_MISMATCH', () => {
    for (const t of ['text/html', 'application/PDF', 'image/gif', 'application/pdf; charset=x', '', 42]) {
      refused(
        sampleDraft({ attachments: [{ name: 'a.pdf', mediaType: t as string, bytes: samplePdf() }] }),
        'MEDIA_TYPE_NOT_ALLOWED',
      );
    }
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
    const e = refused(
      sampleDraft({ attachments: [{ name: 'a.pdf', mediaType: 'application/pdf', bytes: html }] }),
      'MEDIA_TYPE_MISMATCH',
    );
    expect(e.details.mediaType).toBe('application/pdf');
    refused(
      sampleDraft({ attachments: [{ name: 'a.png', mediaType: 'image/png', bytes: sampleJpeg() }] }),
      'MEDIA_TYPE_MISMATCH',
    );
    refused(
      sampleDraft({ attachments: [{ name: 'a.jpg', mediaType: 'image/jpeg', bytes: samplePng() }] }),
      'MEDIA_TYPE_MISMATCH',
    );
    // %PDF- may follow a little leading junk (within the first 1024 bytes), as readers allow.
    const junkPdf = new Uint8Array([...new Uint8Array(100), ...samplePdf(200)]);
    expect(() =>
      validateDraft(sampleDraft({ attachments: [{ name: 'j.pdf', mediaType: 'application/pdf', bytes: junkPdf }] })),
    ).not.toThrow();
  });

  it('FILE_NAME_INVALID: every rule of the contract', () => {
    const bad = [
      '',
      'a'.repeat(121),
      'a/b.pdf',
      'a\\b.pdf',
      'c:.pdf',
      'a*.pdf',
      'a?.pdf',
      'a".pdf',
      'a<.pdf',
      'a>.pdf',
      'a|.pdf',
      'a\u0000.pdf',
      'a\n.pdf',
      'a\u007f.pdf',
      'a\u0085.pdf',
      '.',
      '..',
      '.hidden.pdf',
      'name.pdf.',
      ' name.pdf',
      'name.pdf ',
      '\u3000name.pdf',
      'Cafe\u0301.pdf', // NFD
      'evil\u202Efdp.exe', // RIGHT-TO-LEFT OVERRIDE
      'a\ud800.pdf',
    ];
    for (const name of bad) {
      expect(fileNameProblem(name), JSON.stringify(name)).toBeDefined();
      const e = refused(
        sampleDraft({ attachments: [{ name, mediaType: 'application/pdf', bytes: samplePdf() }] }),
        'FILE_NAME_INVALID',
      );
      expect(e.details.field).toBe('attachments[0].name');
      expect(e.messageEn.includes('\u0000') || e.messageEn.includes('\u202e')).toBe(false);
    }
    expect(() => refused(sampleDraft({ attachments: [pdf(42 as unknown as string)] }), 'DRAFT_INVALID')).not.toThrow();
    expect(fileNameProblem('𠮷'.repeat(61))).toBeDefined(); // 122 UTF-16 units: the stricter count
    for (const ok of ['a'.repeat(120), '𠮷'.repeat(60), 'Café.pdf', '住民票 の 写し.pdf', 'a.b.c.pdf', 'x']) {
      expect(fileNameProblem(ok), ok).toBeUndefined();
    }
  });

  it('FILE_NAME_DUPLICATE: unique ignoring case', () => {
    const e = refused(
      sampleDraft({ attachments: [pdf('Report.PDF'), pdf('other.pdf'), pdf('report.pdf')] }),
      'FILE_NAME_DUPLICATE',
    );
    expect(e.details).toMatchObject({ index: 2, attachment: 'report.pdf' });
    refused(sampleDraft({ attachments: [pdf('STRASSE.pdf'), pdf('straße.pdf')] }), 'FILE_NAME_DUPLICATE');
    refused(sampleDraft({ attachments: [pdf('ＡＢＣ.pdf'), pdf('ａｂｃ.pdf')] }), 'FILE_NAME_DUPLICATE');
    refused(sampleDraft({ attachments: [pdf('İ.pdf'), pdf('i̇.pdf')] }), 'FILE_NAME_DUPLICATE'); // lower-case clash
    expect(() => prepareApplication(sampleDraft({ attachments: [pdf('a.pdf'), pdf('b.pdf')] }))).not.toThrow();
  });

  it('zero attachments are fine (a form-only application)', () => {
    const draft: ApplicationDraft = sampleDraft({ attachments: [] });
    expect(prepareApplication(draft).attachments).toEqual([]);
  });
});
