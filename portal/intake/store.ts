/**
 * Storage of applications (migration 2): the application row, its package bytes (a BLOB in
 * `application_packages`, written in the same transaction as the row), its status history.
 * Callers hold the write transaction (db/database.ts writeTx) around the writing functions.
 *
 * Why a BLOB and not a file in the data directory: the row, the bytes, the idempotency key and
 * the activity entry then commit or vanish together (one SQLite transaction, WAL,
 * synchronous=FULL) — no temp-file/rename/fsync protocol, no orphan files after a crash, no
 * row pointing to a file that never reached the disk, and backups are one file. Packages are at
 * most 32 MiB (config.packageBodyLimit), far below SQLite's 1 GB BLOB limit; the bytes live in
 * their own table so listing applications never reads them.
 */
import type { Db } from '../db/database.ts';
import { prepared } from '../db/statements.ts';
import type { ApplicationStatus } from './status.ts';

export type StatusActor = 'resident' | 'admin' | 'seed';

export interface NewApplication {
  id: string;
  residentId: string;
  receiptNumber: string;
  procedureId: string;
  municipalityCode: string;
  receivedAt: string;
  /** The signed manifest, as canonical JSON text. */
  manifest: string;
  manifestSha256: string;
  signerIssuer: string;
  signerSerial: string;
  signingTime: string | null;
  /** The verifier's result as JSON text (null only for seeded demo rows). */
  verification: string | null;
  verifiedAt: string | null;
  formWarnings: string;
  /** Null only for seeded demo rows. */
  package: { bytes: Uint8Array; sha256: string } | null;
  demo: boolean;
}

export interface ApplicationRow {
  id: string;
  resident_id: string;
  receipt_number: string;
  procedure_id: string;
  municipality_code: string;
  status: ApplicationStatus;
  received_at: string;
  updated_at: string;
  manifest: string;
  manifest_sha256: string;
  signer_issuer: string;
  signer_serial: string;
  signing_time: string | null;
  verification: string | null;
  verified_at: string | null;
  form_warnings: string;
  package_sha256: string | null;
  package_size: number | null;
  demo: 0 | 1;
  /** 1 when the package bytes are stored. */
  package_stored: 0 | 1;
}

export interface StatusHistoryRow {
  id: number;
  from_status: ApplicationStatus | null;
  to_status: ApplicationStatus;
  changed_at: string;
  actor: StatusActor;
  note: string | null;
}

const COLUMNS = `a.id, a.resident_id, a.receipt_number, a.procedure_id, a.municipality_code, a.status, a.received_at,
  a.updated_at, a.manifest, a.manifest_sha256, a.signer_issuer, a.signer_serial, a.signing_time, a.verification,
  a.verified_at, a.form_warnings, a.package_sha256, a.package_size, a.demo,
  EXISTS (SELECT 1 FROM application_packages p WHERE p.application_id = a.id) AS package_stored`;

/** Inserts the row, the package and the first history entry (受付済). Inside a write transaction. */
export function insertApplication(db: Db, a: NewApplication): void {
  prepared(
    db,
    `INSERT INTO applications (id, resident_id, receipt_number, procedure_id, municipality_code, status, received_at,
       updated_at, manifest, manifest_sha256, signer_issuer, signer_serial, signing_time, verification, verified_at,
       form_warnings, package_sha256, package_size, demo)
     VALUES (?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    a.id,
    a.residentId,
    a.receiptNumber,
    a.procedureId,
    a.municipalityCode,
    a.receivedAt,
    a.receivedAt,
    a.manifest,
    a.manifestSha256,
    a.signerIssuer,
    a.signerSerial,
    a.signingTime,
    a.verification,
    a.verifiedAt,
    a.formWarnings,
    a.package?.sha256 ?? null,
    a.package?.bytes.length ?? null,
    a.demo ? 1 : 0,
  );
  if (a.package) {
    prepared(db, 'INSERT INTO application_packages (application_id, sha256, size, bytes) VALUES (?, ?, ?, ?)').run(
      a.id,
      a.package.sha256,
      a.package.bytes.length,
      Buffer.from(a.package.bytes.buffer, a.package.bytes.byteOffset, a.package.bytes.byteLength),
    );
  }
  prepared(
    db,
    `INSERT INTO application_status_history (application_id, from_status, to_status, changed_at, actor, note)
     VALUES (?, NULL, 'received', ?, ?, NULL)`,
  ).run(a.id, a.receivedAt, a.demo ? 'seed' : 'resident');
}

/** One application of one resident (undefined for another resident's: ids are not secrets). */
export function loadApplication(db: Db, residentId: string, id: string): ApplicationRow | undefined {
  return prepared(db, `SELECT ${COLUMNS} FROM applications a WHERE a.id = ? AND a.resident_id = ?`).get(
    id,
    residentId,
  ) as ApplicationRow | undefined;
}

/** Any resident's application (administration). */
export function loadApplicationById(db: Db, id: string): ApplicationRow | undefined {
  return prepared(db, `SELECT ${COLUMNS} FROM applications a WHERE a.id = ?`).get(id) as ApplicationRow | undefined;
}

export function listApplications(
  db: Db,
  residentId: string,
  q: { status?: ApplicationStatus | undefined; page: number; pageSize: number },
): { rows: ApplicationRow[]; total: number } {
  const where = q.status ? 'a.resident_id = ? AND a.status = ?' : 'a.resident_id = ?';
  const args: unknown[] = q.status ? [residentId, q.status] : [residentId];
  const total = (prepared(db, `SELECT count(*) AS n FROM applications a WHERE ${where}`).get(...args) as { n: number })
    .n;
  const rows = prepared(
    db,
    `SELECT ${COLUMNS} FROM applications a WHERE ${where} ORDER BY a.received_at DESC, a.id DESC LIMIT ? OFFSET ?`,
  ).all(...args, q.pageSize, (q.page - 1) * q.pageSize) as ApplicationRow[];
  return { rows, total };
}

export function statusHistory(db: Db, applicationId: string): StatusHistoryRow[] {
  return prepared(
    db,
    `SELECT id, from_status, to_status, changed_at, actor, note FROM application_status_history
       WHERE application_id = ? ORDER BY id`,
  ).all(applicationId) as StatusHistoryRow[];
}

/** Moves an application on and records the change. Inside a write transaction; the caller checks the transition. */
export function recordStatusChange(
  db: Db,
  c: {
    id: string;
    from: ApplicationStatus;
    to: ApplicationStatus;
    at: string;
    actor: StatusActor;
    note: string | null;
  },
): void {
  const r = prepared(db, 'UPDATE applications SET status = ?, updated_at = ? WHERE id = ? AND status = ?').run(
    c.to,
    c.at,
    c.id,
    c.from,
  );
  if (r.changes !== 1) throw new Error(`application ${c.id} is no longer ${c.from}`);
  prepared(
    db,
    `INSERT INTO application_status_history (application_id, from_status, to_status, changed_at, actor, note)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(c.id, c.from, c.to, c.at, c.actor, c.note);
}

/** The stored package bytes, if any. */
export function loadPackage(db: Db, applicationId: string): Uint8Array | undefined {
  const row = prepared(db, 'SELECT bytes FROM application_packages WHERE application_id = ?').get(applicationId) as
    | { bytes: Buffer }
    | undefined;
  return row && new Uint8Array(row.bytes);
}
