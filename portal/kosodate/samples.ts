/**
 * Complete, valid sample applications for each online procedure, for tests here and elsewhere
 * (service core, renderer, e2e). ALL FICTIONAL: the applicant is the demo card's resident-01
 * (見本 花子, resources/demo/residents-spec.ts) applying to 千代田区 (131016); the other My Numbers
 * only have valid check digits. Each call of sampleApplication() returns a fresh copy.
 */
import type { ProcedureId } from './catalog.ts';
import type { AttachmentRef } from './validate-form.ts';

export const SAMPLE_MUNICIPALITY_CODE = '131016';

/** resident-01 as its card reads (券面事項入力補助AP) — for card-fill tests. */
export const SAMPLE_CARD = Object.freeze({
  name: '見本　花子',
  address: '東京都千代田区見本町一丁目２番３号',
  birthDate: '19850615',
  sex: '2',
  myNumber: '333916718720',
});

const JIDOU_TEATE_NINTEI_FORM = {
  reason: 'birth',
  reasonDate: '2025-04-10',
  applicant: {
    name: '見本　花子',
    nameKana: 'ミホン　ハナコ',
    birthDate: '1985-06-15',
    sex: 'female',
    postalCode: '100-0001',
    address: '東京都千代田区見本町一丁目２番３号',
    phone: '090-0000-0001',
    myNumber: '333916718720',
    occupation: '会社員',
    pension: 'kosei-nenkin',
    employerName: '見本商事株式会社',
  },
  hasSpouse: true,
  spouse: {
    name: '見本　一郎',
    nameKana: 'ミホン　イチロウ',
    birthDate: '1984-02-20',
    myNumber: '481516234200',
  },
  children: [
    {
      name: '見本　太郎',
      nameKana: 'ミホン　タロウ',
      birthDate: '2020-05-05',
      relationship: 'child',
      residence: 'together',
    },
    {
      name: '見本　桜',
      nameKana: 'ミホン　サクラ',
      birthDate: '2025-04-10',
      relationship: 'child',
      residence: 'together',
    },
  ],
  payee: {
    method: 'bank-account',
    bankAccount: {
      bankName: '見本銀行',
      bankCode: '9999',
      branchName: '千代田支店',
      branchCode: '001',
      accountType: 'ordinary',
      accountNumber: '1234567',
      accountHolderKana: 'ミホン　ハナコ',
    },
  },
  documents: [{ kind: 'koza-kakunin', fileName: '通帳の写し.pdf' }],
  declaration: true,
};

const HOIKUSHO_NYUSHO_FORM = {
  applicant: {
    name: '見本　花子',
    nameKana: 'ミホン　ハナコ',
    birthDate: '1985-06-15',
    sex: 'female',
    postalCode: '100-0001',
    address: '東京都千代田区見本町一丁目２番３号',
    phone: '090-0000-0001',
    myNumber: '333916718720',
    relationship: 'mother',
    needReason: 'employment',
    work: {
      employerName: '見本商事株式会社',
      employerAddress: '東京都千代田区見本町二丁目１番１号',
      employerPhone: '03-0000-5678',
      employmentType: 'regular',
      daysPerWeek: 5,
      hoursPerWeek: 37.5,
      startTime: '09:00',
      endTime: '17:30',
    },
    email: 'hanako@example.jp',
  },
  hasOtherGuardian: true,
  otherGuardian: {
    name: '見本　一郎',
    nameKana: 'ミホン　イチロウ',
    birthDate: '1984-02-20',
    sex: 'male',
    phone: '090-0000-0002',
    myNumber: '481516234200',
    relationship: 'father',
    needReason: 'job-seeking',
    needDetail: '2026年1月に退職し、ハローワークで求職活動をしています。',
  },
  children: [
    {
      name: '見本　桜',
      nameKana: 'ミホン　サクラ',
      birthDate: '2025-04-10',
      sex: 'female',
      myNumber: '271828182840',
      certification: 'type3',
      hasDisabilityCertificate: false,
      desiredFacilities: [
        { name: '見本町保育園', code: '13101-001', reason: '自宅から近いため' },
        { name: '千代田見本こども園', reason: '勤務先に近いため' },
      ],
    },
  ],
  usage: {
    desiredStartDate: '2026-04-01',
    hours: 'standard',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    dropOffTime: '08:30',
    pickUpTime: '18:00',
  },
  household: [
    {
      name: '見本　太郎',
      relationship: '兄',
      birthDate: '2020-05-05',
      occupation: '見本町保育園',
      residence: 'together',
      taxable: false,
    },
  ],
  publicAssistance: false,
  documents: [
    { kind: 'shuro-shomeisho', fileName: '就労証明書_母.pdf' },
    { kind: 'jiyu-moushitate', fileName: '保育を必要とする事由の申立書_父.pdf' },
  ],
  declaration: true,
};

export interface SampleApplication {
  procedureId: ProcedureId;
  municipalityCode: string;
  form: Record<string, unknown>;
  /** Names and media types as in the manifest; the bytes are the caller's (e.g. a tiny PDF). */
  attachments: AttachmentRef[];
}

const SAMPLES: Readonly<Record<ProcedureId, SampleApplication>> = {
  'jidou-teate-nintei': {
    procedureId: 'jidou-teate-nintei',
    municipalityCode: SAMPLE_MUNICIPALITY_CODE,
    form: JIDOU_TEATE_NINTEI_FORM,
    attachments: [{ name: '通帳の写し.pdf', mediaType: 'application/pdf' }],
  },
  'hoikusho-nyusho': {
    procedureId: 'hoikusho-nyusho',
    municipalityCode: SAMPLE_MUNICIPALITY_CODE,
    form: HOIKUSHO_NYUSHO_FORM,
    attachments: [
      { name: '就労証明書_母.pdf', mediaType: 'application/pdf' },
      { name: '保育を必要とする事由の申立書_父.pdf', mediaType: 'application/pdf' },
    ],
  },
};

/** A fresh, mutable copy of the sample application for the procedure. */
export function sampleApplication(procedureId: ProcedureId): SampleApplication {
  return structuredClone(SAMPLES[procedureId]);
}

/** A fresh, mutable copy of the sample form for the procedure. */
export function sampleForm(procedureId: ProcedureId): Record<string, unknown> {
  return structuredClone(SAMPLES[procedureId].form);
}
