/**
 * Demo seed part: past 子育てワンストップ applications of resident-01 (見本 花子, 千代田区), so the
 * 申請状況 screens have something to show before anything is submitted — one 完了 (児童手当 認定請求,
 * 2025-04) and one 審査中 (保育所等 入所申込, 2025-11). ALL FICTIONAL.
 *
 * These rows are marked `demo = 1` and have NO package and NO verification result: a signed
 * package needs the card's sign key at seed time (the portal holds no signer, and must not), and
 * a verification result the portal never computed would be a fabrication. The manifest is the
 * one such a package would carry (sample forms of portal/kosodate; the attachment hashes are of
 * placeholder labels). The API says so (`demo: true`, `package.stored: false`,
 * `verification: null`). Deterministic: fixed times, ids derived from labels.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { insertApplication, nextReceiptNumber, procedureTitle, recordStatusChange } from '../intake/index.ts';
import type { ApplicationStatus } from '../intake/status.ts';
import { type ProcedureId, sampleApplication } from '../kosodate/index.ts';
import { recordActivity } from '../service/activity.ts';
import { jst } from '../service/util.ts';
import { canonicalize } from '../verify/jcs.ts';
import { MUNICIPALITIES } from './data.ts';

const hash = (label: string) => createHash('sha256').update(`myna-demo/${label}`).digest();

export interface DemoApplication {
  label: string;
  residentId: string;
  procedureId: ProcedureId;
  /** Japan time. */
  receivedAt: string;
  history: { to: ApplicationStatus; at: string; note?: string }[];
}

export const DEMO_APPLICATIONS: DemoApplication[] = [
  {
    label: 'resident-01/application/jidou-teate-2025',
    residentId: 'resident-01',
    procedureId: 'jidou-teate-nintei',
    receivedAt: '2025-04-18 10:12:40',
    history: [
      { to: 'under-review', at: '2025-04-21 09:30:00' },
      {
        to: 'completed',
        at: '2025-05-09 14:05:00',
        note: '児童手当の受給資格を認定しました。令和7年5月分から支給します（認定通知書を郵送しました）。',
      },
    ],
  },
  {
    label: 'resident-01/application/hoikusho-2025',
    residentId: 'resident-01',
    procedureId: 'hoikusho-nyusho',
    receivedAt: '2025-11-20 21:45:03',
    history: [
      {
        to: 'under-review',
        at: '2025-11-26 09:00:00',
        note: '令和8年4月入所の利用調整（選考）を行っています。結果は2月中旬に通知します。',
      },
    ],
  },
];

export function seedDemoApplications(db: Db): void {
  for (const d of DEMO_APPLICATIONS) {
    const sample = sampleApplication(d.procedureId);
    const manifest = {
      attachments: sample.attachments.map((a) => {
        const h = hash(`${d.label}/attachment/${a.name}`);
        return { mediaType: a.mediaType, name: a.name, sha256: h.toString('hex'), size: 20_000 + h.readUInt16BE(0) };
      }),
      form: sample.form,
      format: 'myna-companion/application-package',
      municipality: { code: sample.municipalityCode },
      procedure: { id: d.procedureId },
      version: 1,
    };
    const manifestText = canonicalize(manifest);
    const signer = db
      .prepare("SELECT issuer, serial_number FROM resident_certificates WHERE resident_id = ? AND kind = 'sign'")
      .get(d.residentId) as { issuer: string; serial_number: string };
    const id = `app_${hash(d.label).toString('hex').slice(0, 16)}`;
    const receivedAt = jst(d.receivedAt);
    const receiptNumber = nextReceiptNumber(db, sample.municipalityCode, new Date(receivedAt));
    insertApplication(db, {
      id,
      residentId: d.residentId,
      receiptNumber,
      procedureId: d.procedureId,
      municipalityCode: sample.municipalityCode,
      receivedAt,
      manifest: manifestText,
      manifestSha256: createHash('sha256').update(manifestText).digest('hex'),
      signerIssuer: signer.issuer,
      signerSerial: signer.serial_number,
      signingTime: null,
      verification: null,
      verifiedAt: null,
      formWarnings: '[]',
      package: null,
      demo: true,
    });
    const municipality =
      MUNICIPALITIES.find((m) => m.code === sample.municipalityCode)?.name ?? sample.municipalityCode;
    recordActivity(
      db,
      d.residentId,
      receivedAt,
      'application-submitted',
      `電子申請：${procedureTitle(d.procedureId)}（${municipality}）受付番号 ${receiptNumber}`,
      { applicationId: id, receiptNumber, procedureId: d.procedureId, municipalityCode: sample.municipalityCode },
    );
    let from: ApplicationStatus = 'received';
    for (const h of d.history) {
      recordStatusChange(db, { id, from, to: h.to, at: jst(h.at), actor: 'seed', note: h.note ?? null });
      from = h.to;
    }
  }
}
