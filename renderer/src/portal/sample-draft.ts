/**
 * The 署名付きテスト申請: a complete, valid 児童手当 認定請求 (jidou-teate-nintei) draft, mirroring
 * portal/kosodate/samples.ts (the renderer cannot import portal/; the portal validates what
 * arrives, so a drift shows up as APPLICATION_FORM_INVALID with the path). ALL FICTIONAL: the
 * demo resident-01 (見本 花子, 千代田区 131016); the logged-in resident's registered name and
 * municipality replace the sample's where the portal knows them.
 */
import type { ApplicationDraftPayload } from '../../../electron/ipc/contract.ts';
import type { Me } from './api.ts';

export const SAMPLE_PROCEDURE = { id: 'jidou-teate-nintei', ja: '児童手当 認定請求', en: 'Child allowance: claim' };
export const SAMPLE_MUNICIPALITY_CODE = '131016';
export const SAMPLE_MUNICIPALITY_NAME = '東京都千代田区';
export const SAMPLE_ATTACHMENT_NAME = '通帳の写し.pdf';

/** A one-page PDF that says what it is (ASCII, so btoa can encode it). */
const SAMPLE_PDF = [
  '%PDF-1.7',
  '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
  '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
  '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj',
  '4 0 obj << /Length 58 >> stream',
  'BT /F1 12 Tf 72 770 Td (Myna Companion: sample passbook) Tj ET',
  'endstream endobj',
  'trailer << /Root 1 0 R >>',
  '%%EOF',
  '',
].join('\n');

export function samplePdfBase64(): string {
  return btoa(SAMPLE_PDF);
}

export function samplePdfSize(): number {
  return SAMPLE_PDF.length;
}

export function sampleDraft(me: Me | null | undefined): ApplicationDraftPayload {
  const name = me?.displayName ?? '見本　花子';
  return {
    procedureId: SAMPLE_PROCEDURE.id,
    municipalityCode: me?.municipality?.code ?? SAMPLE_MUNICIPALITY_CODE,
    form: {
      reason: 'birth',
      reasonDate: '2025-04-10',
      applicant: {
        name,
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
      spouse: { name: '見本　一郎', nameKana: 'ミホン　イチロウ', birthDate: '1984-02-20', myNumber: '481516234200' },
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
      documents: [{ kind: 'koza-kakunin', fileName: SAMPLE_ATTACHMENT_NAME }],
      declaration: true,
    },
    attachments: [{ name: SAMPLE_ATTACHMENT_NAME, mediaType: 'application/pdf', bytesBase64: samplePdfBase64() }],
  };
}
