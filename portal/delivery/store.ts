/**
 * 民間送達サービス連携 in the database (migration 3): delivery links (a resident's webhook
 * endpoint + shared secret), deliveries (one per new notice per active link: the frozen webhook
 * body, its state and next retry) and delivery_attempts (every attempt, for the delivery log).
 *
 * `createNotice` is THE way a notice comes into being outside the seed: the notice and one
 * pending delivery per link of the resident are inserted in ONE transaction, so a notice is
 * never published without its deliveries queued, nor a delivery queued for a notice that does
 * not exist. The worker (worker.ts) picks pending deliveries up from the table — across restarts.
 */
import { type Db, writeTx } from '../db/database.ts';
import { loadNotice, NOTICE_KINDS, type NoticeKind, type NoticeRow } from '../service/routes/notices.ts';
import { randomId, sha256Hex } from '../service/util.ts';

export const EVENT_NOTICE_CREATED = 'notice.created';

export type DeliveryState = 'pending' | 'delivered' | 'failed';
export type AttemptOutcome = 'delivered' | 'retry' | 'failed';

export const DELIVERY_STATE_LABELS: Record<DeliveryState, string> = {
  pending: '送信待ち（再送予定）',
  delivered: '送達済み',
  failed: '送達失敗（再送を終了）',
};

/** How many delivery services one resident may link. */
export const MAX_LINKS_PER_RESIDENT = 10;

export interface LinkRow {
  id: string;
  resident_id: string;
  service_name: string;
  endpoint: string;
  secret: string;
  created_at: string;
}

export interface DeliveryRow {
  id: string;
  link_id: string;
  resident_id: string;
  notice_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  state: DeliveryState;
  attempt_count: number;
  created_at: string;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  completed_at: string | null;
  final_reason: string | null;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  outcome: AttemptOutcome;
  error: string | null;
}

/** A short fingerprint of a secret, so a resident can tell which one a link holds (never the secret). */
export const secretFingerprint = (secret: string) => sha256Hex(`myna-delivery-secret/${secret}`).slice(0, 12);

// ---------------------------------------------------------------------------------------------
// Links

export function insertLink(
  db: Db,
  link: { residentId: string; serviceName: string; endpoint: string; secret: string; at: string },
): LinkRow {
  const row: LinkRow = {
    id: randomId('dl'),
    resident_id: link.residentId,
    service_name: link.serviceName,
    endpoint: link.endpoint,
    secret: link.secret,
    created_at: link.at,
  };
  db.prepare(
    `INSERT INTO delivery_links (id, resident_id, service_name, endpoint, secret, created_at)
     VALUES (@id, @resident_id, @service_name, @endpoint, @secret, @created_at)`,
  ).run(row);
  return row;
}

/** The link if it belongs to the resident — another resident's link is indistinguishable from none. */
export function loadLink(db: Db, residentId: string, id: string): LinkRow | undefined {
  return db.prepare('SELECT * FROM delivery_links WHERE id = ? AND resident_id = ?').get(id, residentId) as
    | LinkRow
    | undefined;
}

export function listLinks(db: Db, residentId: string): LinkRow[] {
  return db
    .prepare('SELECT * FROM delivery_links WHERE resident_id = ? ORDER BY created_at, id')
    .all(residentId) as LinkRow[];
}

export function countLinks(db: Db, residentId: string): number {
  return (db.prepare('SELECT count(*) AS n FROM delivery_links WHERE resident_id = ?').get(residentId) as { n: number })
    .n;
}

/** Deletes the link, its secret, its queued deliveries and their log (ON DELETE CASCADE). */
export function deleteLink(db: Db, residentId: string, id: string): boolean {
  return db.prepare('DELETE FROM delivery_links WHERE id = ? AND resident_id = ?').run(id, residentId).changes === 1;
}

export interface LinkStats {
  pending: number;
  delivered: number;
  failed: number;
  lastDeliveredAt: string | null;
}

export function linkStats(db: Db, linkId: string): LinkStats {
  const r = db
    .prepare(
      `SELECT coalesce(sum(state = 'pending'), 0) AS pending, coalesce(sum(state = 'delivered'), 0) AS delivered,
              coalesce(sum(state = 'failed'), 0) AS failed,
              max(CASE WHEN state = 'delivered' THEN completed_at END) AS last_delivered_at
         FROM deliveries WHERE link_id = ?`,
    )
    .get(linkId) as { pending: number; delivered: number; failed: number; last_delivered_at: string | null };
  return { pending: r.pending, delivered: r.delivered, failed: r.failed, lastDeliveredAt: r.last_delivered_at };
}

// ---------------------------------------------------------------------------------------------
// Notices and their deliveries

export interface NewNotice {
  kind: NoticeKind;
  title: string;
  body: string;
  senderAgencyId: string;
  senderDepartment?: string;
  /** Default: now. */
  publishedAt?: string;
  payment?: { amount: number; dueDate: string; payee: string; collectorNumber: string };
}

export interface CreatedNotice {
  notice: NoticeRow;
  /** One per link of the resident at the time of the transaction. */
  deliveries: { id: string; linkId: string }[];
}

/** The `notice` member of the webhook body: what the resident's お知らせ shows, frozen at creation. */
export function webhookNotice(n: NoticeRow) {
  return {
    id: n.id,
    kind: n.kind,
    kindLabel: NOTICE_KINDS[n.kind],
    title: n.title,
    body: n.body,
    sender: { id: n.sender_agency_id, name: n.sender_name },
    senderDepartment: n.sender_department,
    publishedAt: n.published_at,
    payment:
      n.payment_amount !== null && n.payment_due_date !== null && n.payment_payee !== null
        ? { amount: n.payment_amount, currency: 'JPY', dueDate: n.payment_due_date, payee: n.payment_payee }
        : null,
  };
}

/**
 * Publishes a notice to a resident and queues its webhook deliveries, in one transaction
 * (joins the caller's transaction when called inside one). Throws on unknown resident or
 * sender (foreign keys) and on values the notices table refuses.
 */
export function createNotice(db: Db, residentId: string, notice: NewNotice, now: Date = new Date()): CreatedNotice {
  const at = now.toISOString();
  return writeTx(db, () => {
    const id = randomId('ntc');
    const p = notice.payment;
    db.prepare(
      `INSERT INTO notices (id, resident_id, kind, title, body, sender_agency_id, sender_department, published_at,
         payment_amount, payment_due_date, payment_payee, payment_collector_number)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      residentId,
      notice.kind,
      notice.title,
      notice.body,
      notice.senderAgencyId,
      notice.senderDepartment ?? '',
      notice.publishedAt ?? at,
      p?.amount ?? null,
      p?.dueDate ?? null,
      p?.payee ?? null,
      p?.collectorNumber ?? null,
    );
    const row = loadNotice(db, residentId, id);
    if (!row) throw new Error(`notice ${id} vanished inside its own transaction`);
    const eventId = randomId('evt');
    const payload = JSON.stringify({
      id: eventId,
      type: EVENT_NOTICE_CREATED,
      createdAt: at,
      notice: webhookNotice(row),
    });
    const insert = db.prepare(
      `INSERT INTO deliveries (id, link_id, resident_id, notice_id, event_id, event_type, payload, state, created_at, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    );
    const deliveries = listLinks(db, residentId).map((l) => {
      const deliveryId = randomId('dlv');
      insert.run(deliveryId, l.id, residentId, id, eventId, EVENT_NOTICE_CREATED, payload, at, at);
      return { id: deliveryId, linkId: l.id };
    });
    return { notice: row, deliveries };
  });
}

// ---------------------------------------------------------------------------------------------
// The delivery log

export function listDeliveries(db: Db, linkId: string, page: number, pageSize: number) {
  const total = (db.prepare('SELECT count(*) AS n FROM deliveries WHERE link_id = ?').get(linkId) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT d.*, n.title AS notice_title FROM deliveries d JOIN notices n ON n.id = d.notice_id
        WHERE d.link_id = ? ORDER BY d.created_at DESC, d.id DESC LIMIT ? OFFSET ?`,
    )
    .all(linkId, pageSize, (page - 1) * pageSize) as (DeliveryRow & { notice_title: string })[];
  const attempts = db.prepare('SELECT * FROM delivery_attempts WHERE delivery_id = ? ORDER BY attempt');
  return {
    total,
    rows: rows.map((r) => ({ ...r, attempts: attempts.all(r.id) as AttemptRow[] })),
  };
}

// ---------------------------------------------------------------------------------------------
// For the worker

/** A due delivery with what it takes to send it. */
export interface DueDelivery {
  id: string;
  link_id: string;
  endpoint: string;
  secret: string;
  payload: string;
  event_type: string;
  attempt_count: number;
}

export function dueDeliveries(db: Db, at: string, limit: number, exclude: ReadonlySet<string>): DueDelivery[] {
  const rows = db
    .prepare(
      `SELECT d.id, d.link_id, l.endpoint, l.secret, d.payload, d.event_type, d.attempt_count
         FROM deliveries d JOIN delivery_links l ON l.id = d.link_id
        WHERE d.state = 'pending' AND d.next_attempt_at <= ?
        ORDER BY d.next_attempt_at, d.id LIMIT ?`,
    )
    .all(at, limit + exclude.size) as DueDelivery[];
  return rows.filter((r) => !exclude.has(r.id)).slice(0, limit);
}

/** The earliest next attempt among pending deliveries (ISO), if any. */
export function nextDueAt(db: Db, exclude: ReadonlySet<string>): string | undefined {
  const rows = db
    .prepare(`SELECT id, next_attempt_at FROM deliveries WHERE state = 'pending' ORDER BY next_attempt_at LIMIT ?`)
    .all(exclude.size + 1) as { id: string; next_attempt_at: string }[];
  return rows.find((r) => !exclude.has(r.id))?.next_attempt_at;
}

/** Still pending and its link still exists (the link may have been deleted since it was picked). */
export function stillDeliverable(db: Db, id: string): DueDelivery | undefined {
  return db
    .prepare(
      `SELECT d.id, d.link_id, l.endpoint, l.secret, d.payload, d.event_type, d.attempt_count
         FROM deliveries d JOIN delivery_links l ON l.id = d.link_id
        WHERE d.id = ? AND d.state = 'pending'`,
    )
    .get(id) as DueDelivery | undefined;
}

export interface AttemptRecord {
  deliveryId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  statusCode: number | null;
  outcome: AttemptOutcome;
  error: string | null;
  /** When outcome is 'retry'. */
  nextAttemptAt: string | null;
  /** When outcome is 'delivered' or 'failed'. */
  finalReason: string | null;
}

/**
 * Logs an attempt and moves the delivery on, in one transaction. Returns false (and writes
 * nothing) when the delivery is gone (its link was deleted meanwhile) or no longer pending.
 */
export function recordAttempt(db: Db, a: AttemptRecord): boolean {
  return writeTx(db, () => {
    const d = db.prepare("SELECT attempt_count FROM deliveries WHERE id = ? AND state = 'pending'").get(a.deliveryId) as
      | { attempt_count: number }
      | undefined;
    if (!d) return false;
    const attempt = d.attempt_count + 1;
    db.prepare(
      `INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, status_code, outcome, error)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(a.deliveryId, attempt, a.startedAt, Math.max(0, Math.round(a.durationMs)), a.statusCode, a.outcome, a.error);
    const done = a.outcome !== 'retry';
    db.prepare(
      `UPDATE deliveries SET attempt_count = ?, last_attempt_at = ?, last_status_code = ?, state = ?,
              next_attempt_at = ?, completed_at = ?, final_reason = ? WHERE id = ?`,
    ).run(
      attempt,
      a.startedAt,
      a.statusCode,
      done ? a.outcome : 'pending',
      done ? null : a.nextAttemptAt,
      done ? a.finishedAt : null,
      done ? a.finalReason : null,
      a.deliveryId,
    );
    return true;
  });
}
