import { describe, expect, it } from 'vitest';
import { PROCEDURE_IDS } from './catalog.ts';
import { FORMS, getForm } from './forms/index.ts';
import { ATTACHMENT_MEDIA_TYPES, type CardFillKind, type FieldUi, type FormDefinition } from './forms/types.ts';
import { JSON_SCHEMA_DIALECT, type JsonSchema } from './json-schema.ts';
import { assertSupportedSchema, matchesSchema } from './validate-form.ts';

const forms = Object.values(FORMS);

/** Every schema node reachable through properties/items, with its pointer template. */
function nodes(schema: JsonSchema, at = ''): { pointer: string; schema: JsonSchema }[] {
  const out: { pointer: string; schema: JsonSchema }[] = [];
  for (const [k, s] of Object.entries(schema.properties ?? {})) {
    out.push({ pointer: `${at}/${k}`, schema: s }, ...nodes(s, `${at}/${k}`));
  }
  if (schema.items) out.push({ pointer: `${at}/*`, schema: schema.items }, ...nodes(schema.items, `${at}/*`));
  return out;
}

/** Every subschema anywhere (combinators included). */
function allSchemas(s: JsonSchema): JsonSchema[] {
  const subs = [
    ...Object.values(s.properties ?? {}),
    ...(s.items ? [s.items] : []),
    ...(s.contains ? [s.contains] : []),
    ...(s.not ? [s.not] : []),
    ...(s.if ? [s.if] : []),
    ...(s.then ? [s.then] : []),
    ...(s.else ? [s.else] : []),
    ...(s.allOf ?? []),
    ...(s.anyOf ?? []),
  ];
  return [s, ...subs.flatMap(allSchemas)];
}

const typeOf = (s: JsonSchema) => (Array.isArray(s.type) ? s.type : [s.type]);

describe.each(forms.map((f) => [f.procedureId, f] as const))('form %s', (_id, def: FormDefinition) => {
  it('is a 2020-12 schema of the supported subset, plain JSON', () => {
    expect(def.schema.$schema).toBe(JSON_SCHEMA_DIALECT);
    expect(def.schema.$id).toMatch(/^urn:myna-companion:kosodate:form:/);
    expect(def.schema.type).toBe('object');
    expect(() => assertSupportedSchema(def.schema)).not.toThrow();
    expect(JSON.parse(JSON.stringify(def))).toEqual(def);
    expect(Object.isFrozen(def.schema.properties?.applicant?.properties)).toBe(true);
    for (const a of def.attachments)
      if (a.requiredWhen) expect(() => assertSupportedSchema(a.requiredWhen!)).not.toThrow();
  });

  it('lists every required key among the properties, and closes every object', () => {
    for (const s of [def.schema, ...nodes(def.schema).map((n) => n.schema)]) {
      if (s.type === 'object') {
        expect(s.additionalProperties, s.title).toBe(false);
        expect(s.properties, s.title).toBeDefined();
        for (const r of s.required ?? []) expect(Object.keys(s.properties ?? {}), `${s.title}: ${r}`).toContain(r);
      }
    }
    // required keys in conditional branches exist in the object the branch applies to
    const check = (obj: JsonSchema) => {
      const props = Object.keys(obj.properties ?? {});
      for (const rule of [obj, ...(obj.allOf ?? [])]) {
        for (const branch of [rule.then, rule.else, rule.then?.not, rule.else?.not]) {
          for (const r of branch?.required ?? []) expect(props, `${obj.title}: ${r}`).toContain(r);
        }
      }
    };
    check(def.schema);
    for (const n of nodes(def.schema)) if (n.schema.properties) check(n.schema);
  });

  it('compiles every pattern as a Unicode regular expression', () => {
    for (const s of allSchemas(def.schema)) if (s.pattern) expect(() => new RegExp(s.pattern!, 'u')).not.toThrow();
  });

  it('has UI metadata with Japanese and English labels for every node, and for nothing else', () => {
    const pointers = nodes(def.schema).map((n) => n.pointer);
    expect(def.fields.map((f) => f.pointer)).toEqual(pointers);
    for (const f of def.fields) {
      expect(f.label.ja.length, f.pointer).toBeGreaterThan(0);
      expect(f.label.en.length, f.pointer).toBeGreaterThan(0);
      // English really is English (a Japanese official term may follow in brackets, research §7)
      expect(f.label.en.replace(/ \([^)]*\)$/u, ''), f.pointer).toMatch(/^[\x20-\x7e’–…]+$/u);
      if (f.help) expect(f.help.ja && f.help.en, f.pointer).toBeTruthy();
    }
    for (const n of nodes(def.schema)) {
      const f = def.fields.find((x) => x.pointer === n.pointer)!;
      expect(n.schema.title, n.pointer).toBe(f.label.ja);
      const kind = n.schema.type === 'object' ? 'group' : n.schema.type === 'array' ? 'list' : 'field';
      expect(f.kind, n.pointer).toBe(kind);
      if (n.schema.enum) {
        expect(
          f.options?.map((o) => o.value),
          n.pointer,
        ).toEqual(n.schema.enum);
        for (const o of f.options ?? []) expect(o.label.ja && o.label.en).toBeTruthy();
      }
    }
  });

  it('marks card-fillable fields only on compatible types, on the applicant, and all five kinds', () => {
    const byPointer = new Map(nodes(def.schema).map((n) => [n.pointer, n.schema]));
    const compatible: Record<CardFillKind, (s: JsonSchema) => boolean> = {
      name: (s) => typeOf(s).includes('string') && !s.enum && !s.pattern,
      address: (s) => typeOf(s).includes('string') && !s.enum && !s.pattern && (s.maxLength ?? 0) >= 100,
      birthDate: (s) => typeOf(s).includes('string') && s.format === 'date',
      sex: (s) => ['male', 'female', 'other'].every((v) => s.enum?.includes(v)),
      myNumber: (s) => typeOf(s).includes('string') && s.pattern === '^[0-9]{12}$',
    };
    const filled = def.fields.filter((f): f is FieldUi & { cardFill: CardFillKind } => f.cardFill !== undefined);
    for (const f of filled) {
      expect(f.kind).toBe('field');
      expect(f.pointer.startsWith('/applicant/'), f.pointer).toBe(true);
      expect(f.pointer.includes('*'), f.pointer).toBe(false);
      expect(compatible[f.cardFill](byPointer.get(f.pointer)!), f.pointer).toBe(true);
    }
    expect(filled.map((f) => f.cardFill).sort()).toEqual(['address', 'birthDate', 'myNumber', 'name', 'sex']);
  });

  it('marks every 個人番号 field sensitive', () => {
    for (const f of def.fields) if (f.input === 'myNumber') expect(f.sensitive, f.pointer).toBe(true);
    expect(def.fields.some((f) => f.input === 'myNumber')).toBe(true);
  });

  it('lists its attachments, matching the documents kinds of the form', () => {
    const kinds = def.attachments.map((a) => a.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(def.schema.properties?.documents?.items?.properties?.kind?.enum).toEqual(kinds);
    for (const a of def.attachments) {
      expect(a.name.ja && a.name.en).toBeTruthy();
      expect(a.mediaTypes.length).toBeGreaterThan(0);
      for (const t of a.mediaTypes) expect(ATTACHMENT_MEDIA_TYPES).toContain(t);
      expect(a.maxFiles).toBeGreaterThanOrEqual(1);
      if (a.requiredWhen) expect(a.condition?.ja && a.condition.en, a.kind).toBeTruthy();
      // a condition on an empty form never holds
      if (a.requiredWhen) expect(matchesSchema(a.requiredWhen, {})).toBe(false);
    }
  });
});

describe('form registry', () => {
  it('has a form per online procedure and nothing for unknown ids', () => {
    for (const p of PROCEDURE_IDS) expect(getForm(p)?.procedureId).toBe(p);
    expect(getForm('toString')).toBeUndefined();
    expect(getForm('nope')).toBeUndefined();
  });

  it('carries the research §2.5 fields', () => {
    const jt = FORMS['jidou-teate-nintei'].fields.map((f) => f.pointer);
    for (const p of [
      '/applicant/name',
      '/applicant/nameKana',
      '/applicant/birthDate',
      '/applicant/address',
      '/applicant/phone',
      '/applicant/myNumber',
      '/applicant/occupation',
      '/applicant/pension',
      '/spouse/name',
      '/spouse/myNumber',
      '/children/*/name',
      '/children/*/birthDate',
      '/children/*/relationship',
      '/children/*/residence',
      '/payee/method',
      '/payee/bankAccount/bankName',
      '/payee/bankAccount/branchName',
      '/payee/bankAccount/accountType',
      '/payee/bankAccount/accountNumber',
      '/payee/bankAccount/accountHolderKana',
    ]) {
      expect(jt, p).toContain(p);
    }
    const hn = FORMS['hoikusho-nyusho'].fields.map((f) => f.pointer);
    for (const p of [
      '/applicant/myNumber',
      '/applicant/needReason',
      '/applicant/work/employerName',
      '/otherGuardian/needReason',
      '/children/*/nameKana',
      '/children/*/sex',
      '/children/*/myNumber',
      '/children/*/hasDisabilityCertificate',
      '/children/*/certifiedNumber',
      '/children/*/desiredFacilities/*/name',
      '/children/*/desiredFacilities/*/reason',
      '/usage/desiredStartDate',
      '/usage/hours',
      '/household/*/relationship',
      '/household/*/taxable',
      '/publicAssistance',
    ]) {
      expect(hn, p).toContain(p);
    }
    const reasons = FORMS['hoikusho-nyusho'].fields.find((f) => f.pointer === '/applicant/needReason')!.options!;
    expect(reasons.map((o) => o.label.ja)).toEqual(
      expect.arrayContaining(['就労', '妊娠・出産', '疾病・障害', '介護・看護', '求職活動', '就学']),
    );
    const facilities = FORMS['hoikusho-nyusho'].schema.properties!.children!.items!.properties!.desiredFacilities!;
    expect([facilities.minItems, facilities.maxItems]).toEqual([1, 5]);
    expect(FORMS['hoikusho-nyusho'].attachments.find((a) => a.kind === 'shuro-shomeisho')?.name.ja).toBe(
      '就労（内定）証明書',
    );
  });
});
