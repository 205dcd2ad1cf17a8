/**
 * お知らせ: notices for the resident (予防接種, 健康診断, 納税, …), read/unread, some with an amount
 * to pay through 公金決済 (routes/payments.ts). Reading a notice (GET) changes nothing; marking it
 * read is an explicit POST.
 */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.ts';
import { writeTx } from '../../db/database.ts';
import { authOf } from '../context.ts';
import { problem, problemResponses } from '../problem.ts';
import {
  agencyRef,
  idParam,
  nullableTimestamp,
  objectOf,
  paged,
  pagingProperties,
  pagingQuery,
  pagingRequired,
  timestamp,
} from '../schemas.ts';
import { jstDate } from '../util.ts';

export const NOTICE_KINDS = {
  vaccination: '予防接種',
  'health-checkup': '健康診断・検診',
  tax: '税',
  child: '子育て',
  pension: '年金',
  insurance: '医療保険・介護保険',
  welfare: '福祉',
  general: 'その他',
} as const;
export type NoticeKind = keyof typeof NOTICE_KINDS;

export interface NoticeRow {
  id: string;
  resident_id: string;
  kind: NoticeKind;
  title: string;
  body: string;
  sender_agency_id: string;
  sender_name: string;
  sender_department: string;
  published_at: string;
  read_at: string | null;
  payment_amount: number | null;
  payment_due_date: string | null;
  payment_payee: string | null;
  payment_collector_number: string | null;
  payment_id: string | null;
}

const SELECT = `SELECT n.*, a.name AS sender_name, p.id AS payment_id
  FROM notices n JOIN agencies a ON a.id = n.sender_agency_id LEFT JOIN payments p ON p.notice_id = n.id`;

/** The notice if it belongs to the resident — another resident's notice is indistinguishable from none. */
export function loadNotice(db: Db, residentId: string, id: string): NoticeRow | undefined {
  return db.prepare(`${SELECT} WHERE n.id = ? AND n.resident_id = ?`).get(id, residentId) as NoticeRow | undefined;
}

export type PaymentState = 'unpaid' | 'overdue' | 'paid';

export function paymentState(n: NoticeRow, now: Date): PaymentState | undefined {
  if (n.payment_amount === null || n.payment_due_date === null) return undefined;
  if (n.payment_id !== null) return 'paid';
  return jstDate(now) > n.payment_due_date ? 'overdue' : 'unpaid';
}

const PAYMENT_STATE_LABELS: Record<PaymentState, string> = {
  unpaid: '未納付',
  overdue: '納期限超過',
  paid: '納付済み',
};

const paymentSchema = {
  anyOf: [
    {
      type: 'object',
      required: ['amount', 'currency', 'dueDate', 'payee', 'state', 'stateLabel', 'paymentId'],
      properties: {
        amount: { type: 'integer', description: '納付金額（円）' },
        currency: { type: 'string', enum: ['JPY'] },
        dueDate: { type: 'string', format: 'date', description: '納期限 (Japan time)' },
        payee: { type: 'string', description: '収納機関名' },
        state: { type: 'string', enum: ['unpaid', 'overdue', 'paid'] },
        stateLabel: { type: 'string', description: '未納付 / 納期限超過 / 納付済み' },
        paymentId: { type: ['string', 'null'], description: 'The payment, once paid' },
      },
    },
    { type: 'null' },
  ],
  description: '公金決済: the amount due, or null when the notice asks for no payment',
} as const;

const summaryProperties = {
  id: { type: 'string' },
  kind: { type: 'string', enum: Object.keys(NOTICE_KINDS) },
  kindLabel: { type: 'string', description: 'お知らせの種類' },
  title: { type: 'string', description: '件名' },
  sender: { ...agencyRef, description: '差出人（機関）' },
  senderDepartment: { type: 'string', description: '担当部署' },
  publishedAt: timestamp('通知日時'),
  read: { type: 'boolean', description: '既読' },
  readAt: nullableTimestamp('既読にした日時'),
  payment: paymentSchema,
} as const;

const summarySchema = objectOf(summaryProperties);

const detailSchema = {
  type: 'object',
  required: [...Object.keys(summaryProperties), 'body'],
  properties: { ...summaryProperties, body: { type: 'string', description: '本文' } },
} as const;

export function noticeSummary(n: NoticeRow, now: Date) {
  const state = paymentState(n, now);
  return {
    id: n.id,
    kind: n.kind,
    kindLabel: NOTICE_KINDS[n.kind],
    title: n.title,
    sender: { id: n.sender_agency_id, name: n.sender_name },
    senderDepartment: n.sender_department,
    publishedAt: n.published_at,
    read: n.read_at !== null,
    readAt: n.read_at,
    payment:
      state && n.payment_amount !== null && n.payment_due_date !== null && n.payment_payee !== null
        ? {
            amount: n.payment_amount,
            currency: 'JPY' as const,
            dueDate: n.payment_due_date,
            payee: n.payment_payee,
            state,
            stateLabel: PAYMENT_STATE_LABELS[state],
            paymentId: n.payment_id,
          }
        : null,
  };
}

const noticeDetail = (n: NoticeRow, now: Date) => ({ ...noticeSummary(n, now), body: n.body });

interface ListQuery {
  status: 'all' | 'unread' | 'read';
  kind?: NoticeKind;
  page: number;
  pageSize: number;
}

export async function noticeRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.portal;

  app.get<{ Querystring: ListQuery }>(
    '/notices',
    {
      schema: {
        tags: ['notices'],
        summary: 'お知らせ: newest first; unreadCount counts all unread notices',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ['all', 'unread', 'read'], default: 'all', description: '既読/未読' },
            kind: { type: 'string', enum: Object.keys(NOTICE_KINDS), description: 'お知らせの種類' },
            ...pagingQuery,
          },
        },
        response: {
          200: {
            type: 'object',
            required: [...pagingRequired, 'unreadCount'],
            properties: {
              ...pagingProperties,
              unreadCount: { type: 'integer', description: '未読件数' },
              items: { type: 'array', items: summarySchema },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const q = request.query;
      const where = ['n.resident_id = ?'];
      const args: (string | number)[] = [auth.residentId];
      if (q.status === 'unread') where.push('n.read_at IS NULL');
      if (q.status === 'read') where.push('n.read_at IS NOT NULL');
      if (q.kind) {
        where.push('n.kind = ?');
        args.push(q.kind);
      }
      const clause = where.join(' AND ');
      const total = (
        ctx.db.prepare(`SELECT count(*) AS n FROM notices n WHERE ${clause}`).get(...args) as { n: number }
      ).n;
      const unreadCount = (
        ctx.db
          .prepare('SELECT count(*) AS n FROM notices WHERE resident_id = ? AND read_at IS NULL')
          .get(auth.residentId) as {
          n: number;
        }
      ).n;
      const rows = ctx.db
        .prepare(`${SELECT} WHERE ${clause} ORDER BY n.published_at DESC, n.id DESC LIMIT ? OFFSET ?`)
        .all(...args, q.pageSize, (q.page - 1) * q.pageSize) as NoticeRow[];
      const now = ctx.now();
      return {
        ...paged(
          rows.map((r) => noticeSummary(r, now)),
          total,
          q.page,
          q.pageSize,
        ),
        unreadCount,
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/notices/:id',
    {
      schema: {
        tags: ['notices'],
        summary: 'お知らせ: one notice with its body (does not mark it read)',
        params: idParam,
        response: { 200: detailSchema, ...problemResponses },
      },
    },
    async (request) => {
      const n = loadNotice(ctx.db, authOf(request).residentId, request.params.id);
      if (!n) throw problem('NOTICE_NOT_FOUND', `no notice ${request.params.id} for this resident`);
      return noticeDetail(n, ctx.now());
    },
  );

  app.post<{ Params: { id: string } }>(
    '/notices/:id/read',
    {
      schema: {
        tags: ['notices'],
        summary: 'Mark a notice read (idempotent: the first read time is kept)',
        params: idParam,
        response: { 200: detailSchema, ...problemResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const found = loadNotice(ctx.db, auth.residentId, request.params.id);
      if (!found) throw problem('NOTICE_NOT_FOUND', `no notice ${request.params.id} for this resident`);
      if (found.read_at === null) {
        writeTx(ctx.db, () =>
          ctx.db
            .prepare('UPDATE notices SET read_at = ? WHERE id = ? AND resident_id = ? AND read_at IS NULL')
            .run(ctx.now().toISOString(), found.id, auth.residentId),
        );
      }
      const n = loadNotice(ctx.db, auth.residentId, found.id);
      if (!n) throw problem('NOTICE_NOT_FOUND');
      return noticeDetail(n, ctx.now());
    },
  );
}
