/**
 * Numbered schema migrations, in code. `schema_migrations` records what ran; each migration
 * runs in its own transaction; a database written by a newer portal is refused rather than
 * guessed at. Append new migrations at the end with the next number — never edit one that has
 * shipped.
 *
 * Conventions: STRICT tables; timestamps are ISO 8601 UTC strings from Date#toISOString()
 * (so they compare as text); dates (no time) are 'YYYY-MM-DD' in Japan time; JSON columns are
 * checked with json_valid(); every resident-owned row has `resident_id` with ON DELETE CASCADE.
 */
import type { Db } from './database.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The 自己情報 categories are part of the API contract (their ids are URL segments), so the schema carries them. */
const SELF_INFO_CATEGORIES: [id: string, label: string, group: string, description: string][] = [
  ['health-insurance', '健康保険証', '健康・医療', '加入している医療保険の資格情報'],
  ['medical-treatment', '診療・薬剤', '健康・医療', '医療機関での診療・処方された薬剤の情報'],
  ['medical-expenses', '医療費', '健康・医療', '医療費通知情報（医療費控除に利用できます）'],
  ['vaccination', '予防接種', '健康・医療', '定期予防接種の接種履歴'],
  ['health-checkup', '健診', '健康・医療', '特定健診・後期高齢者健診の結果'],
  ['cancer-screening', '検診', '健康・医療', 'がん検診・歯周病検診などの受診情報'],
  ['tax-income', '税・所得', '税・所得・口座', '住民税の課税情報・所得の情報'],
  ['public-benefit-account', '公金受取口座', '税・所得・口座', '登録されている公金受取口座'],
  ['pension', '年金', '年金', '年金の加入記録・給付の情報'],
  ['child-allowance', '児童手当', '子ども・子育て', '児童手当の受給状況'],
  ['single-parent', 'ひとり親家庭', '子ども・子育て', '児童扶養手当・ひとり親家庭等医療費助成の情報'],
  ['maternal-child-health', '母子保健', '子ども・子育て', '妊娠の届出・乳幼児健診の情報'],
  ['education-support', '教育・就学支援', '子ども・子育て', '就学援助・高等学校等就学支援金・奨学金の情報'],
  ['household', '世帯', '世帯情報', '住民票上の世帯の情報'],
  ['disability-welfare', '障害福祉', '福祉・介護', '障害者手帳・障害福祉サービスの情報'],
  ['public-assistance', '生活保護', '福祉・介護', '生活保護の決定・実施の情報'],
  ['long-term-care', '介護保険', '福祉・介護', '介護保険の資格・要介護認定の情報'],
  ['employment-insurance', '雇用保険・労災', '雇用保険・労災', '雇用保険の被保険者資格・給付の情報'],
];

const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;

const V1_CORE = `
CREATE TABLE portal_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE municipalities (
  code TEXT PRIMARY KEY CHECK (code GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]'),
  prefecture TEXT NOT NULL,
  name TEXT NOT NULL,
  name_kana TEXT NOT NULL
) STRICT;

CREATE TABLE agencies (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('municipality', 'prefecture', 'national', 'insurer', 'other')),
  municipality_code TEXT REFERENCES municipalities(code)
) STRICT;

CREATE TABLE affairs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL
) STRICT;

CREATE TABLE residents (
  id TEXT PRIMARY KEY,
  display_name TEXT,
  municipality_code TEXT REFERENCES municipalities(code),
  email TEXT,
  login_notification INTEGER NOT NULL DEFAULT 0 CHECK (login_notification IN (0, 1)),
  registered_via TEXT NOT NULL CHECK (registered_via IN ('seed', 'auto')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (login_notification = 0 OR email IS NOT NULL)
) STRICT;

CREATE TABLE resident_certificates (
  issuer TEXT NOT NULL,
  serial_number TEXT NOT NULL,
  resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('auth', 'sign')),
  subject TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  PRIMARY KEY (issuer, serial_number)
) STRICT;
CREATE INDEX resident_certificates_resident ON resident_certificates(resident_id);

CREATE TABLE auth_challenges (
  id TEXT PRIMARY KEY,
  challenge BLOB NOT NULL CHECK (length(challenge) = 32),
  origin TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  consumed_at TEXT
) STRICT;
CREATE INDEX auth_challenges_expiry ON auth_challenges(expires_at);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
  resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  certificate_serial TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  ended_at TEXT,
  end_reason TEXT CHECK (end_reason IN ('logout', 'replaced')),
  CHECK ((ended_at IS NULL) = (end_reason IS NULL))
) STRICT;
CREATE INDEX sessions_resident ON sessions(resident_id);

CREATE TABLE activity (
  id INTEGER PRIMARY KEY,
  resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  occurred_at TEXT NOT NULL,
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
) STRICT;
CREATE INDEX activity_resident ON activity(resident_id, occurred_at DESC, id DESC);

CREATE TABLE email_outbox (
  id INTEGER PRIMARY KEY,
  resident_id TEXT REFERENCES residents(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  sent_at TEXT
) STRICT;

CREATE TABLE exchanges (
  id TEXT PRIMARY KEY,
  resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  management_number TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('provided', 'requesting', 'not-provided', 'cancelled')),
  received_at TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  requester_agency_id TEXT NOT NULL REFERENCES agencies(id),
  requester_department TEXT NOT NULL,
  provided_at TEXT,
  provider_agency_id TEXT NOT NULL REFERENCES agencies(id),
  affairs_id TEXT NOT NULL REFERENCES affairs(id),
  procedure TEXT NOT NULL,
  information_name TEXT NOT NULL,
  article_21_2 TEXT NOT NULL DEFAULT '非該当',
  undisclosed INTEGER NOT NULL DEFAULT 0 CHECK (undisclosed IN (0, 1)),
  CHECK (status <> 'provided' OR provided_at IS NOT NULL)
) STRICT;
CREATE INDEX exchanges_resident ON exchanges(resident_id, requested_at DESC);

CREATE TABLE self_info_categories (
  id TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  group_label TEXT NOT NULL,
  description TEXT NOT NULL,
  sort_order INTEGER NOT NULL UNIQUE
) STRICT;

CREATE TABLE self_info_records (
  id TEXT PRIMARY KEY,
  resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  category_id TEXT NOT NULL REFERENCES self_info_categories(id),
  title TEXT NOT NULL,
  provider_agency_id TEXT REFERENCES agencies(id),
  as_of TEXT NOT NULL,
  items TEXT NOT NULL CHECK (json_valid(items) AND json_type(items) = 'array'),
  sort_order INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX self_info_records_resident ON self_info_records(resident_id, category_id);

CREATE TABLE notices (
  id TEXT PRIMARY KEY,
  resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('vaccination', 'health-checkup', 'tax', 'child', 'pension', 'insurance', 'welfare', 'general')),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  sender_agency_id TEXT NOT NULL REFERENCES agencies(id),
  sender_department TEXT NOT NULL DEFAULT '',
  published_at TEXT NOT NULL,
  read_at TEXT,
  payment_amount INTEGER CHECK (payment_amount IS NULL OR payment_amount > 0),
  payment_due_date TEXT,
  payment_payee TEXT,
  payment_collector_number TEXT CHECK (payment_collector_number IS NULL OR payment_collector_number GLOB '[0-9][0-9][0-9][0-9][0-9]'),
  CHECK ((payment_amount IS NULL) = (payment_due_date IS NULL)),
  CHECK ((payment_amount IS NULL) = (payment_payee IS NULL)),
  CHECK ((payment_amount IS NULL) = (payment_collector_number IS NULL))
) STRICT;
CREATE INDEX notices_resident ON notices(resident_id, published_at DESC);

CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  notice_id TEXT NOT NULL UNIQUE REFERENCES notices(id) ON DELETE CASCADE,
  method TEXT NOT NULL CHECK (method IN ('pay-easy', 'card')),
  amount INTEGER NOT NULL CHECK (amount > 0),
  receipt_number TEXT NOT NULL UNIQUE,
  payeasy_collector_number TEXT,
  payeasy_payment_number TEXT,
  payeasy_confirmation_number TEXT,
  card_token TEXT,
  card_brand TEXT,
  card_last4 TEXT,
  paid_at TEXT NOT NULL,
  CHECK ((method = 'pay-easy') = (payeasy_payment_number IS NOT NULL)),
  CHECK ((method = 'card') = (card_token IS NOT NULL))
) STRICT;
CREATE INDEX payments_resident ON payments(resident_id, paid_at DESC);

CREATE TABLE idempotency_keys (
  resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (resident_id, scope, key)
) STRICT;

INSERT INTO self_info_categories (id, label, group_label, description, sort_order) VALUES
${SELF_INFO_CATEGORIES.map(([id, label, group, description], i) => `  (${sqlText(id)}, ${sqlText(label)}, ${sqlText(group)}, ${sqlText(description)}, ${i + 1})`).join(',\n')};
`;

/**
 * 子育てワンストップ application intake (portal/intake): one row per accepted application, its
 * package bytes in a table of their own (written in the same transaction, so a row never exists
 * without its package — except seeded demo rows, `demo = 1`, which never had one), the status
 * history, and the per-(era year, municipality) counters behind the 受付番号. Only packages that
 * verified are stored. Status changes are restricted to the workflow by a trigger as well.
 */
const V2_APPLICATIONS = `
CREATE TABLE application_receipt_counters (
  era_year TEXT NOT NULL CHECK (era_year GLOB '[A-Z][0-9]*'),
  municipality_code TEXT NOT NULL CHECK (municipality_code GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]'),
  last_sequence INTEGER NOT NULL CHECK (last_sequence > 0),
  PRIMARY KEY (era_year, municipality_code)
) STRICT;

CREATE TABLE applications (
  id TEXT PRIMARY KEY,
  resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  receipt_number TEXT NOT NULL UNIQUE,
  procedure_id TEXT NOT NULL,
  municipality_code TEXT NOT NULL CHECK (municipality_code GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]'),
  status TEXT NOT NULL CHECK (status IN ('received', 'under-review', 'completed', 'returned')),
  received_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  manifest TEXT NOT NULL CHECK (json_valid(manifest) AND json_type(manifest) = 'object'),
  manifest_sha256 TEXT NOT NULL CHECK (length(manifest_sha256) = 64),
  signer_issuer TEXT NOT NULL,
  signer_serial TEXT NOT NULL,
  signing_time TEXT,
  verification TEXT CHECK (verification IS NULL OR json_valid(verification)),
  verified_at TEXT,
  form_warnings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(form_warnings) AND json_type(form_warnings) = 'array'),
  package_sha256 TEXT CHECK (package_sha256 IS NULL OR length(package_sha256) = 64),
  package_size INTEGER CHECK (package_size IS NULL OR package_size > 0),
  demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
  CHECK (demo = 1 OR (verification IS NOT NULL AND verified_at IS NOT NULL AND package_sha256 IS NOT NULL AND package_size IS NOT NULL)),
  CHECK ((package_sha256 IS NULL) = (package_size IS NULL))
) STRICT;
CREATE INDEX applications_resident ON applications(resident_id, received_at DESC, id DESC);

CREATE TABLE application_packages (
  application_id TEXT PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  size INTEGER NOT NULL CHECK (size > 0),
  bytes BLOB NOT NULL,
  CHECK (length(bytes) = size)
) STRICT;

CREATE TABLE application_status_history (
  id INTEGER PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  from_status TEXT CHECK (from_status IS NULL OR from_status IN ('received', 'under-review', 'completed', 'returned')),
  to_status TEXT NOT NULL CHECK (to_status IN ('received', 'under-review', 'completed', 'returned')),
  changed_at TEXT NOT NULL,
  actor TEXT NOT NULL CHECK (actor IN ('resident', 'admin', 'seed')),
  note TEXT,
  CHECK ((from_status IS NULL) = (to_status = 'received'))
) STRICT;
CREATE INDEX application_status_history_application ON application_status_history(application_id, id);

CREATE TRIGGER applications_status_workflow
BEFORE UPDATE OF status ON applications
WHEN NOT (
  (OLD.status = 'received' AND NEW.status = 'under-review') OR
  (OLD.status = 'under-review' AND NEW.status IN ('completed', 'returned'))
)
BEGIN
  SELECT RAISE(ABORT, 'application status transition not allowed');
END;
`;

/**
 * 民間送達サービスとの連携 (portal/delivery) and もっとつながる (portal/motto).
 * delivery_links keeps the resident's webhook secret in the clear: the portal must compute
 * HMACs with it (deleting the link deletes it, and its deliveries and their log, by cascade).
 * deliveries holds the frozen webhook body and its state; delivery_attempts every attempt.
 * motto_sites are the linked external sites; motto_links which ones a resident has used.
 */
const V3_DELIVERY_MOTTO = `
CREATE TABLE delivery_links (
  id TEXT PRIMARY KEY,
  resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  service_name TEXT NOT NULL CHECK (length(service_name) BETWEEN 1 AND 100),
  endpoint TEXT NOT NULL CHECK (endpoint GLOB 'http*://*' AND length(endpoint) <= 2048),
  secret TEXT NOT NULL CHECK (length(secret) BETWEEN 32 AND 256),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX delivery_links_resident ON delivery_links(resident_id, created_at);

CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  link_id TEXT NOT NULL REFERENCES delivery_links(id) ON DELETE CASCADE,
  resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  notice_id TEXT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL CHECK (event_type IN ('notice.created')),
  payload TEXT NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object'),
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempt_count INTEGER NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
  created_at TEXT NOT NULL,
  next_attempt_at TEXT,
  last_attempt_at TEXT,
  last_status_code INTEGER,
  completed_at TEXT,
  final_reason TEXT,
  UNIQUE (link_id, event_id),
  CHECK ((state = 'pending') = (next_attempt_at IS NOT NULL)),
  CHECK ((state = 'pending') = (completed_at IS NULL))
) STRICT;
CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_link ON deliveries(link_id, created_at DESC);

CREATE TABLE delivery_attempts (
  delivery_id TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL CHECK (attempt >= 1),
  started_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  status_code INTEGER,
  outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
  error TEXT,
  PRIMARY KEY (delivery_id, attempt)
) STRICT;

CREATE TABLE motto_sites (
  id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^a-z0-9-]*'),
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL,
  site_url TEXT NOT NULL CHECK (site_url GLOB 'https://*'),
  login_url TEXT NOT NULL CHECK (login_url GLOB 'https://*'),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  sort_order INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE motto_links (
  resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  site_id TEXT NOT NULL REFERENCES motto_sites(id),
  first_used_at TEXT NOT NULL,
  last_used_at TEXT NOT NULL,
  assertion_count INTEGER NOT NULL CHECK (assertion_count >= 1),
  last_jti TEXT NOT NULL,
  PRIMARY KEY (resident_id, site_id)
) STRICT;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'core', sql: V1_CORE },
  { version: 2, name: 'applications', sql: V2_APPLICATIONS },
  { version: 3, name: 'delivery-motto', sql: V3_DELIVERY_MOTTO },
];

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Applies the migrations not yet applied; returns their versions. */
export function migrate(db: Db, now: () => Date = () => new Date(), migrations = MIGRATIONS): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`migration #${i} has version ${m.version}, expected ${i + 1}`);
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const current = (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  if (current > migrations.length) {
    throw new MigrationError(
      `the database is at schema version ${current}, newer than this portal knows (${migrations.length}); refusing to use it`,
    );
  }
  const applied: number[] = [];
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        now().toISOString(),
      );
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}

export function schemaVersion(db: Db): number {
  return (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
}
