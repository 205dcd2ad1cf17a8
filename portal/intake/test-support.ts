/**
 * TEST-ONLY helpers for the intake tests (imported by *.test.ts only, never by the service):
 * real signed packages from the app's signer (electron/main/services/signing) and the in-process
 * card emulator, posting them, and a consistency check of the stored applications.
 */
import { prepareApplication, signApplication } from '../../electron/main/services/signing/index.ts';
import { InProcessTransport } from '../../native/emulator/in-process-transport.ts';
import { loadResident } from '../../native/emulator/load-profile.ts';
import type { CardProfile } from '../../native/emulator/profile.ts';
import { MynaCard } from '../../native/myna-card.ts';
import { loadDemoResidents } from '../../resources/demo/load.ts';
import type { Db } from '../db/database.ts';
import { type ProcedureId, sampleApplication } from '../kosodate/index.ts';
import type { RunningPortal } from '../start.ts';
import { APPLICATION_PACKAGE_MEDIA_TYPE } from './submit.ts';

export interface DraftAttachment {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface Draft {
  procedureId: string;
  municipalityCode: string;
  form: Record<string, unknown>;
  attachments: DraftAttachment[];
}

/** A PDF-looking attachment (the signer checks that a PDF starts with %PDF-). */
export function pdf(label: string, size = 1500): Uint8Array {
  const head = Buffer.from(`%PDF-1.7\n% ${label}\n`, 'utf8');
  const out = Buffer.alloc(Math.max(size, head.length), 0x20);
  head.copy(out);
  return new Uint8Array(out);
}

/** A complete, valid draft of the sample application (resident-01 applying to 千代田区). */
export function sampleDraft(procedureId: ProcedureId = 'jidou-teate-nintei', salt = ''): Draft {
  const s = sampleApplication(procedureId);
  return {
    procedureId: s.procedureId,
    municipalityCode: s.municipalityCode,
    form: s.form,
    attachments: s.attachments.map((a) => ({ ...a, bytes: pdf(`${a.name} ${salt}`) })),
  };
}

const profiles = new Map<string, CardProfile>();

export function signPassword(residentId: string): string {
  const r = loadDemoResidents().find((x) => x.id === residentId);
  if (!r) throw new Error(`no demo resident ${residentId}`);
  return r.signPassword;
}

/** Signs the draft with the resident's emulated card (fresh PIN counters each time); the .mynapkg bytes. */
export async function signPackage(residentId: string, draft: Draft = sampleDraft(), now?: Date): Promise<Uint8Array> {
  let profile = profiles.get(residentId);
  if (!profile) {
    profile = await loadResident(residentId);
    profiles.set(residentId, profile);
  }
  const card = new MynaCard(new InProcessTransport(profile));
  const signed = await signApplication(card, prepareApplication(draft), signPassword(residentId), now ? { now } : {});
  return signed.packageBytes;
}

export function submit(
  portal: RunningPortal,
  cookie: string,
  bytes: Uint8Array,
  key: string | undefined,
  contentType = APPLICATION_PACKAGE_MEDIA_TYPE,
) {
  return portal.app.inject({
    method: 'POST',
    url: '/api/v1/me/applications',
    headers: { cookie, 'content-type': contentType, ...(key === undefined ? {} : { 'idempotency-key': key }) },
    payload: Buffer.from(bytes),
  });
}

/**
 * Every way the stored applications could be half-written; [] when consistent. A real (not demo)
 * application has its package (same hash and size), a valid verification result, a first
 * history entry 受付済, its idempotency key and its activity entry; nothing points nowhere.
 */
export function applicationInconsistencies(db: Db): string[] {
  const out: string[] = [];
  const q = (sql: string) => db.prepare(sql).all() as Record<string, unknown>[];
  for (const r of q(`SELECT a.id FROM applications a LEFT JOIN application_packages p ON p.application_id = a.id
       WHERE a.demo = 0 AND (p.application_id IS NULL OR p.sha256 <> a.package_sha256 OR p.size <> a.package_size
         OR length(p.bytes) <> a.package_size)`)) {
    out.push(`application ${r.id}: package missing or not matching`);
  }
  for (const r of q(`SELECT id FROM applications WHERE demo = 0 AND (verification IS NULL
       OR json_extract(verification, '$.valid') IS NOT 1)`)) {
    out.push(`application ${r.id}: no valid verification result`);
  }
  for (const r of q(`SELECT a.id FROM applications a WHERE NOT EXISTS (SELECT 1 FROM application_status_history h
       WHERE h.application_id = a.id AND h.from_status IS NULL AND h.to_status = 'received')`)) {
    out.push(`application ${r.id}: no 受付済 history entry`);
  }
  for (const r of q(`SELECT a.id FROM applications a WHERE a.demo = 0 AND NOT EXISTS (SELECT 1 FROM idempotency_keys k
       WHERE k.scope = 'application' AND k.resource_id = a.id AND k.resident_id = a.resident_id)`)) {
    out.push(`application ${r.id}: no idempotency key`);
  }
  for (const r of q(`SELECT a.id FROM applications a WHERE NOT EXISTS (SELECT 1 FROM activity v
       WHERE v.kind = 'application-submitted' AND json_extract(v.detail, '$.applicationId') = a.id)`)) {
    out.push(`application ${r.id}: no activity entry`);
  }
  for (const r of q(`SELECT k.key FROM idempotency_keys k WHERE k.scope = 'application'
       AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = k.resource_id)`)) {
    out.push(`idempotency key ${r.key}: points to no application`);
  }
  for (const r of q(`SELECT v.id FROM activity v WHERE v.kind = 'application-submitted'
       AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = json_extract(v.detail, '$.applicationId'))`)) {
    out.push(`activity ${r.id}: points to no application`);
  }
  for (const r of q(`SELECT a.receipt_number FROM applications a WHERE NOT EXISTS (
       SELECT 1 FROM application_receipt_counters c WHERE a.receipt_number LIKE c.era_year || '-' || c.municipality_code || '-%'
       AND CAST(substr(a.receipt_number, length(c.era_year) + 9) AS INTEGER) <= c.last_sequence)`)) {
    out.push(`receipt ${r.receipt_number}: beyond its counter`);
  }
  const fk = q('PRAGMA foreign_key_check');
  if (fk.length) out.push(`foreign key violations: ${JSON.stringify(fk)}`);
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') out.push(`integrity_check: ${integrity}`);
  return out;
}
