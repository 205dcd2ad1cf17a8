/**
 * `seed: 'demo'`: writes the demo dataset (data.ts) and registers the demo residents' auth and
 * sign certificates (resources/demo/cards/<id>.json). Idempotent and deterministic: each part
 * runs once per database, recorded in portal_meta, in one transaction; ids are derived from
 * fixed labels, so two fresh seeds give byte-identical tables.
 *
 * Later rounds add parts (services and forms for 子育てワンストップ, delivery services, linked
 * sites) by appending to SEED_PARTS with a new key; existing data directories get them on the
 * next start.
 */
import { createHash } from 'node:crypto';
import { loadDemoCardJson } from '../../resources/demo/load.ts';
import { type Db, writeTx } from '../db/database.ts';
import { seedMottoSites } from '../motto/sites.ts';
import { certificateIdentity, jst } from '../service/util.ts';
import { seedDemoApplications } from './applications.ts';
import { AFFAIRS, AGENCIES, EXCHANGES, MUNICIPALITIES, NOTICES, PAST_LOGINS, RESIDENTS, SELF_INFO } from './data.ts';

/** A deterministic id: `<prefix>_<16 hex>` from a label. */
export const demoId = (prefix: string, label: string) =>
  `${prefix}_${createHash('sha256').update(`myna-demo/${label}`).digest('hex').slice(0, 16)}`;

/** Deterministic digits from a label (for receipt and Pay-easy numbers of seeded payments). */
const demoDigits = (label: string, n: number) =>
  BigInt(`0x${createHash('sha256').update(`myna-demo/digits/${label}`).digest('hex')}`)
    .toString()
    .slice(0, n)
    .padStart(n, '0');

/** When the seed says the data was created (fixed, for determinism). */
export const SEED_TIME = '2026-01-01T00:00:00.000Z';

/** Minutes and seconds offsets without a clock or Math.random: a tiny seeded generator. */
function offsets(label: string) {
  const h = createHash('sha256').update(`myna-demo/offsets/${label}`).digest();
  return { providedSeconds: 1 + ((h[0] ?? 0) % 9), receivedMinutes: 2 + ((h[1] ?? 0) % 20) };
}

function seedCore(db: Db): void {
  const ins = {
    municipality: db.prepare('INSERT INTO municipalities (code, prefecture, name, name_kana) VALUES (?, ?, ?, ?)'),
    agency: db.prepare('INSERT INTO agencies (id, name, kind, municipality_code) VALUES (?, ?, ?, ?)'),
    affairs: db.prepare('INSERT INTO affairs (id, name) VALUES (?, ?)'),
    resident: db.prepare(
      `INSERT INTO residents (id, display_name, municipality_code, email, login_notification, registered_via, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'seed', ?, ?)`,
    ),
    certificate: db.prepare(
      `INSERT INTO resident_certificates (issuer, serial_number, resident_id, kind, subject, sha256, not_before, not_after, registered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    exchange: db.prepare(
      `INSERT INTO exchanges (id, resident_id, management_number, status, received_at, requested_at, requester_agency_id,
         requester_department, provided_at, provider_agency_id, affairs_id, procedure, information_name, article_21_2, undisclosed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    selfInfo: db.prepare(
      `INSERT INTO self_info_records (id, resident_id, category_id, title, provider_agency_id, as_of, items, sort_order)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    notice: db.prepare(
      `INSERT INTO notices (id, resident_id, kind, title, body, sender_agency_id, sender_department, published_at, read_at,
         payment_amount, payment_due_date, payment_payee, payment_collector_number)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    payment: db.prepare(
      `INSERT INTO payments (id, resident_id, notice_id, method, amount, receipt_number, payeasy_collector_number,
         payeasy_payment_number, payeasy_confirmation_number, paid_at)
       VALUES (?, ?, ?, 'pay-easy', ?, ?, ?, ?, ?, ?)`,
    ),
    activity: db.prepare(
      'INSERT INTO activity (resident_id, occurred_at, kind, summary, detail) VALUES (?, ?, ?, ?, ?)',
    ),
  };

  for (const m of MUNICIPALITIES) ins.municipality.run(m.code, m.prefecture, m.name, m.nameKana);
  for (const a of AGENCIES) ins.agency.run(a.id, a.name, a.kind, a.municipality ?? null);
  for (const a of AFFAIRS) ins.affairs.run(a.id, a.name);

  let managementSeq = 0;
  for (const r of RESIDENTS) {
    ins.resident.run(r.id, r.displayName, r.municipality, r.email, r.loginNotification ? 1 : 0, SEED_TIME, SEED_TIME);
    const card = loadDemoCardJson(r.id);
    for (const [kind, b64] of [
      ['auth', card.authCert],
      ['sign', card.signCert],
    ] as const) {
      const id = certificateIdentity(new Uint8Array(Buffer.from(b64, 'base64')));
      ins.certificate.run(
        id.issuer,
        id.serialNumber,
        r.id,
        kind,
        id.subject,
        id.sha256,
        id.notBefore,
        id.notAfter,
        SEED_TIME,
      );
    }

    const exchanges = [...(EXCHANGES[r.id] ?? [])].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
    for (const [i, e] of exchanges.entries()) {
      managementSeq++;
      const label = `${r.id}/exchange/${i}`;
      const o = offsets(label);
      const requested = jst(e.requestedAt);
      const provided =
        e.status === 'provided' ? new Date(Date.parse(requested) + o.providedSeconds * 1000).toISOString() : null;
      const received = new Date(Date.parse(provided ?? requested) + o.receivedMinutes * 60_000).toISOString();
      ins.exchange.run(
        demoId('ex', label),
        r.id,
        `${e.requestedAt.slice(0, 10).replaceAll('-', '')}${String(managementSeq).padStart(8, '0')}`,
        e.status,
        received,
        requested,
        e.requester,
        e.department,
        provided,
        e.provider,
        e.affairs,
        e.procedure,
        e.information,
        e.article ?? '非該当',
        e.undisclosed ? 1 : 0,
      );
    }

    for (const [i, s] of (SELF_INFO[r.id] ?? []).entries()) {
      ins.selfInfo.run(
        demoId('si', `${r.id}/${i}`),
        r.id,
        s.category,
        s.title,
        s.provider,
        s.asOf,
        JSON.stringify(s.items.map(([label, value]) => ({ label, value }))),
        i,
      );
    }

    for (const n of NOTICES[r.id] ?? []) {
      const noticeId = demoId('ntc', n.key);
      ins.notice.run(
        noticeId,
        r.id,
        n.kind,
        n.title,
        n.body,
        n.sender,
        n.department,
        jst(n.publishedAt),
        n.readAt ? jst(n.readAt) : null,
        n.payment?.amount ?? null,
        n.payment?.dueDate ?? null,
        n.payment?.payee ?? null,
        n.payment?.collector ?? null,
      );
      if (n.paidAt && n.payment) {
        const paymentId = demoId('pay', n.key);
        const paidAt = jst(n.paidAt);
        ins.payment.run(
          paymentId,
          r.id,
          noticeId,
          n.payment.amount,
          `R${n.paidAt.slice(0, 10).replaceAll('-', '')}-${demoDigits(`${n.key}/receipt`, 10)}`,
          n.payment.collector,
          demoDigits(`${n.key}/payment-number`, 16),
          demoDigits(`${n.key}/confirmation`, 6),
          paidAt,
        );
        ins.activity.run(
          r.id,
          paidAt,
          'payment',
          `公金決済：${n.title}（${n.payment.amount.toLocaleString('ja-JP')}円、Pay-easy（ペイジー））`,
          JSON.stringify({ noticeId, paymentId, amount: n.payment.amount }),
        );
      }
    }

    for (const at of PAST_LOGINS[r.id] ?? []) {
      ins.activity.run(
        r.id,
        jst(at),
        'login',
        'マイナンバーカード（利用者証明用電子証明書）でログイン',
        JSON.stringify({ ip: '127.0.0.1', userAgent: 'Myna Companion (demo history)' }),
      );
    }
  }
}

export interface SeedPart {
  key: string;
  run: (db: Db) => void;
}

export const SEED_PARTS: SeedPart[] = [
  { key: 'demo-seed/core/1', run: seedCore },
  { key: 'demo-seed/applications/1', run: seedDemoApplications },
  { key: 'demo-seed/motto/1', run: seedMottoSites },
];

/** Runs the demo seed parts this database has not had yet; returns their keys. */
export function seedDemo(db: Db, parts: SeedPart[] = SEED_PARTS): string[] {
  const done: string[] = [];
  for (const part of parts) {
    writeTx(db, () => {
      if (db.prepare('SELECT 1 FROM portal_meta WHERE key = ?').get(part.key)) return;
      part.run(db);
      db.prepare('INSERT INTO portal_meta (key, value) VALUES (?, ?)').run(part.key, SEED_TIME);
      done.push(part.key);
    });
  }
  return done;
}
