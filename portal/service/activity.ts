/**
 * 操作履歴 (the resident's own activity log) and the e-mail outbox. Both are written inside the
 * transaction of the operation they record, so a recorded login or payment always happened and
 * every one that happened is recorded.
 */
import type { Db } from '../db/database.ts';
import { prepared } from '../db/statements.ts';

/** Activity kinds and their labels. The intake round adds 'application-submitted'. */
export const ACTIVITY_KINDS = {
  login: 'ログイン',
  logout: 'ログアウト',
  'settings-changed': '利用者情報の変更',
  payment: '公金決済',
  'application-submitted': '電子申請',
  'delivery-link': '民間送達サービスとの連携',
  'motto-login': 'もっとつながる（外部サイトへのログイン）',
} as const;

export type ActivityKind = keyof typeof ACTIVITY_KINDS;

export type ActivityDetail = Record<string, string | number | boolean | null>;

export function recordActivity(
  db: Db,
  residentId: string,
  at: string,
  kind: ActivityKind,
  summary: string,
  detail: ActivityDetail = {},
): void {
  prepared(db, 'INSERT INTO activity (resident_id, occurred_at, kind, summary, detail) VALUES (?, ?, ?, ?, ?)').run(
    residentId,
    at,
    kind,
    summary,
    JSON.stringify(detail),
  );
}

export function queueEmail(
  db: Db,
  mail: { residentId: string | null; kind: string; to: string; subject: string; body: string; at: string },
): void {
  prepared(
    db,
    'INSERT INTO email_outbox (resident_id, kind, to_address, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(mail.residentId, mail.kind, mail.to, mail.subject, mail.body, mail.at);
}
