/**
 * 公金決済サービス (sandbox): pay the amount of a notice by Pay-easy (ペイジー: 収納機関番号 /
 * 納付番号 / 確認番号) or by card (a sandbox card number that must pass Luhn; only the brand,
 * the last four digits and a sandbox token are kept). The amount always comes from the notice,
 * never from the client. Idempotent per `Idempotency-Key`; a notice is paid at most once
 * (UNIQUE(payments.notice_id) backs the check).
 *
 * Sandbox card numbers: any Luhn-valid 12–19 digits with a future MM/YY expiry is approved,
 * except 4000000000000002, which is declined (402 PAYMENT_DECLINED).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { writeTx } from '../../db/database.ts';
import { recordActivity } from '../activity.ts';
import { authOf } from '../context.ts';
import {
  assertSameRequest,
  findIdempotent,
  IDEMPOTENCY_HEADER,
  idempotencyHeaderSchema,
  saveIdempotent,
} from '../idempotency.ts';
import { problem, problemResponses } from '../problem.ts';
import { idParam, paged, pagingProperties, pagingQuery, pagingRequired, timestamp } from '../schemas.ts';
import { jstDate, luhnValid, randomDigits, randomId, sha256Hex } from '../util.ts';
import { loadNotice } from './notices.ts';

export const DECLINED_TEST_CARD = '4000000000000002';

const METHOD_LABELS = { 'pay-easy': 'Pay-easy（ペイジー）', card: 'クレジットカード' } as const;
type Method = keyof typeof METHOD_LABELS;

interface PaymentBody {
  method: Method;
  card?: { number: string; expiry: string; holder?: string };
}

interface PaymentRow {
  id: string;
  notice_id: string;
  notice_title: string;
  payee: string;
  method: Method;
  amount: number;
  receipt_number: string;
  payeasy_collector_number: string | null;
  payeasy_payment_number: string | null;
  payeasy_confirmation_number: string | null;
  card_token: string | null;
  card_brand: string | null;
  card_last4: string | null;
  paid_at: string;
}

const paymentBody = {
  type: 'object',
  required: ['method'],
  additionalProperties: false,
  properties: {
    method: {
      type: 'string',
      enum: ['pay-easy', 'card'],
      description: 'pay-easy (ペイジー) or card (クレジットカード)',
    },
    card: {
      type: 'object',
      required: ['number', 'expiry'],
      additionalProperties: false,
      description: 'Only with method=card. Sandbox: never a real card.',
      properties: {
        number: { type: 'string', pattern: '^[0-9]{12,19}$', description: 'Sandbox card number (Luhn-valid)' },
        expiry: { type: 'string', pattern: '^(0[1-9]|1[0-2])/[0-9]{2}$', description: 'MM/YY' },
        holder: {
          type: 'string',
          minLength: 1,
          maxLength: 45,
          pattern: '^[A-Z][A-Z .-]*$',
          description: '名義（ローマ字）',
        },
      },
    },
  },
  allOf: [
    {
      if: { properties: { method: { const: 'card' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
      then: { required: ['card'] },
      else: { not: { required: ['card'] } },
    },
  ],
} as const;

const receiptSchema = {
  type: 'object',
  required: [
    'id',
    'receiptNumber',
    'status',
    'notice',
    'amount',
    'currency',
    'method',
    'methodLabel',
    'payee',
    'paidAt',
    'payEasy',
    'card',
  ],
  properties: {
    id: { type: 'string' },
    receiptNumber: { type: 'string', description: '受付番号（領収番号）' },
    status: { type: 'string', enum: ['completed'], description: '決済状況: completed = 決済完了' },
    notice: {
      type: 'object',
      required: ['id', 'title'],
      properties: { id: { type: 'string' }, title: { type: 'string', description: 'お知らせの件名' } },
    },
    amount: { type: 'integer', description: '決済金額（円）— from the notice' },
    currency: { type: 'string', enum: ['JPY'] },
    method: { type: 'string', enum: ['pay-easy', 'card'] },
    methodLabel: { type: 'string', description: '支払方法' },
    payee: { type: 'string', description: '収納機関名' },
    paidAt: timestamp('決済日時'),
    payEasy: {
      anyOf: [
        {
          type: 'object',
          required: ['collectorNumber', 'paymentNumber', 'confirmationNumber'],
          properties: {
            collectorNumber: { type: 'string', description: '収納機関番号 (5 digits)' },
            paymentNumber: { type: 'string', description: '納付番号' },
            confirmationNumber: { type: 'string', description: '確認番号 (6 digits)' },
          },
        },
        { type: 'null' },
      ],
    },
    card: {
      anyOf: [
        {
          type: 'object',
          required: ['brand', 'last4', 'token'],
          properties: {
            brand: { type: 'string', description: 'カードブランド' },
            last4: { type: 'string', description: 'カード番号下4桁' },
            token: { type: 'string', description: 'Sandbox card token' },
          },
        },
        { type: 'null' },
      ],
    },
  },
} as const;

const SELECT = `SELECT p.*, n.title AS notice_title, n.payment_payee AS payee
  FROM payments p JOIN notices n ON n.id = p.notice_id`;

function receipt(p: PaymentRow) {
  return {
    id: p.id,
    receiptNumber: p.receipt_number,
    status: 'completed' as const,
    notice: { id: p.notice_id, title: p.notice_title },
    amount: p.amount,
    currency: 'JPY' as const,
    method: p.method,
    methodLabel: METHOD_LABELS[p.method],
    payee: p.payee,
    paidAt: p.paid_at,
    payEasy:
      p.payeasy_collector_number && p.payeasy_payment_number && p.payeasy_confirmation_number
        ? {
            collectorNumber: p.payeasy_collector_number,
            paymentNumber: p.payeasy_payment_number,
            confirmationNumber: p.payeasy_confirmation_number,
          }
        : null,
    card:
      p.card_token && p.card_brand && p.card_last4
        ? { brand: p.card_brand, last4: p.card_last4, token: p.card_token }
        : null,
  };
}

export function cardBrand(number: string): string {
  if (/^4/.test(number)) return 'VISA';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(number)) return 'Mastercard';
  if (/^35(2[89]|[3-8]\d)/.test(number)) return 'JCB';
  if (/^3[47]/.test(number)) return 'American Express';
  if (/^3(0[0-5]|[689])/.test(number)) return 'Diners Club';
  return 'その他';
}

/** Card expiry MM/YY is valid through the end of that month (Japan time). */
function cardExpired(expiry: string, now: Date): boolean {
  const [mm, yy] = expiry.split('/');
  const thisMonth = jstDate(now).slice(0, 7);
  return `20${yy}-${mm}` < thisMonth;
}

export async function paymentRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.portal;
  const loadPayment = (residentId: string, id: string) =>
    ctx.db.prepare(`${SELECT} WHERE p.id = ? AND p.resident_id = ?`).get(id, residentId) as PaymentRow | undefined;

  app.post<{ Params: { id: string }; Body: PaymentBody; Headers: { 'idempotency-key': string } }>(
    '/notices/:id/payment',
    {
      config: { rateLimit: ctx.config.rateLimits.submission },
      schema: {
        tags: ['payments'],
        summary: '公金決済 (sandbox): pay the notice’s amount; idempotent per Idempotency-Key',
        description:
          '201 with the receipt for a new payment; 200 with the same receipt when the same Idempotency-Key is ' +
          'replayed with the same request (header Idempotent-Replayed: true). 409 NOTICE_ALREADY_PAID for a second ' +
          'payment of a notice, 409 NOTICE_NOT_PAYABLE when it asks for none, 422 IDEMPOTENCY_KEY_CONFLICT when a ' +
          'key is reused for a different request. Sandbox card 4000000000000002 is declined (402).',
        params: idParam,
        headers: idempotencyHeaderSchema,
        body: paymentBody,
        response: { 200: receiptSchema, 201: receiptSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const key = request.headers[IDEMPOTENCY_HEADER];
      const body = request.body;
      const notice = loadNotice(ctx.db, auth.residentId, request.params.id);
      if (!notice) throw problem('NOTICE_NOT_FOUND', `no notice ${request.params.id} for this resident`);

      const card = body.card;
      const requestHash = sha256Hex(
        JSON.stringify({
          noticeId: notice.id,
          method: body.method,
          card: card ? { last4: card.number.slice(-4), expiry: card.expiry } : null,
        }),
      );
      const replay = (resourceId: string) => {
        const p = loadPayment(auth.residentId, resourceId);
        if (!p) throw new Error(`idempotency key points to a missing payment ${resourceId}`);
        reply.code(200).header('idempotent-replayed', 'true');
        return receipt(p);
      };
      const hit = findIdempotent(ctx.db, auth.residentId, 'payment', key);
      if (hit) {
        assertSameRequest(hit, requestHash);
        return replay(hit.resourceId);
      }
      if (notice.payment_amount === null || notice.payment_collector_number === null) {
        throw problem('NOTICE_NOT_PAYABLE', `notice ${notice.id} asks for no payment`);
      }
      if (notice.payment_id !== null) throw problem('NOTICE_ALREADY_PAID', `notice ${notice.id} is already paid`);

      const now = ctx.now();
      if (body.method === 'card') {
        if (!card) throw problem('VALIDATION_FAILED', 'card is required with method=card');
        if (!luhnValid(card.number)) throw problem('CARD_NUMBER_INVALID', 'the card number fails the Luhn check');
        if (cardExpired(card.expiry, now)) throw problem('CARD_EXPIRED', `the card expired (${card.expiry})`);
        if (card.number === DECLINED_TEST_CARD)
          throw problem('PAYMENT_DECLINED', 'sandbox: this test card is always declined');
      }

      const amount = notice.payment_amount;
      const collector = notice.payment_collector_number;
      const paidAt = now.toISOString();
      const outcome = writeTx(ctx.db, () => {
        const raced = findIdempotent(ctx.db, auth.residentId, 'payment', key);
        if (raced) {
          assertSameRequest(raced, requestHash);
          return { replayed: raced.resourceId, created: undefined };
        }
        const paid = ctx.db.prepare('SELECT id FROM payments WHERE notice_id = ?').get(notice.id);
        if (paid) throw problem('NOTICE_ALREADY_PAID', `notice ${notice.id} is already paid`);
        const id = randomId('pay');
        ctx.db
          .prepare(
            `INSERT INTO payments (id, resident_id, notice_id, method, amount, receipt_number,
               payeasy_collector_number, payeasy_payment_number, payeasy_confirmation_number,
               card_token, card_brand, card_last4, paid_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            auth.residentId,
            notice.id,
            body.method,
            amount,
            `R${jstDate(now).replaceAll('-', '')}-${randomDigits(10)}`,
            body.method === 'pay-easy' ? collector : null,
            body.method === 'pay-easy' ? randomDigits(16) : null,
            body.method === 'pay-easy' ? randomDigits(6) : null,
            card ? `tok_sandbox_${randomBytes(12).toString('hex')}` : null,
            card ? cardBrand(card.number) : null,
            card ? card.number.slice(-4) : null,
            paidAt,
          );
        saveIdempotent(ctx.db, {
          residentId: auth.residentId,
          scope: 'payment',
          key,
          requestHash,
          resourceId: id,
          at: paidAt,
        });
        recordActivity(
          ctx.db,
          auth.residentId,
          paidAt,
          'payment',
          `公金決済：${notice.title}（${amount.toLocaleString('ja-JP')}円、${METHOD_LABELS[body.method]}）`,
          { noticeId: notice.id, paymentId: id, amount },
        );
        return { replayed: undefined, created: id };
      });
      if (outcome.replayed !== undefined) return replay(outcome.replayed);
      const p = loadPayment(auth.residentId, outcome.created);
      if (!p) throw new Error('payment vanished after commit');
      reply.code(201).header('location', `/api/v1/me/payments/${p.id}`);
      return receipt(p);
    },
  );

  app.get<{ Querystring: { page: number; pageSize: number } }>(
    '/payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'The resident’s payments (newest first)',
        querystring: { type: 'object', additionalProperties: false, properties: { ...pagingQuery } },
        response: {
          200: {
            type: 'object',
            required: [...pagingRequired],
            properties: { ...pagingProperties, items: { type: 'array', items: receiptSchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const { page, pageSize } = request.query;
      const total = (
        ctx.db.prepare('SELECT count(*) AS n FROM payments WHERE resident_id = ?').get(auth.residentId) as { n: number }
      ).n;
      const rows = ctx.db
        .prepare(`${SELECT} WHERE p.resident_id = ? ORDER BY p.paid_at DESC, p.id DESC LIMIT ? OFFSET ?`)
        .all(auth.residentId, pageSize, (page - 1) * pageSize) as PaymentRow[];
      return paged(rows.map(receipt), total, page, pageSize);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/payments/:id',
    {
      schema: {
        tags: ['payments'],
        summary: 'One payment receipt',
        params: idParam,
        response: { 200: receiptSchema, ...problemResponses },
      },
    },
    async (request) => {
      const p = loadPayment(authOf(request).residentId, request.params.id);
      if (!p) throw problem('PAYMENT_NOT_FOUND', `no payment ${request.params.id} for this resident`);
      return receipt(p);
    },
  );
}
