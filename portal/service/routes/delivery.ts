import type { FastifyInstance } from 'fastify';
import { writeTx } from '../../db/database.ts';
import { endpointProblem } from '../../delivery/endpoint.ts';
import {
  type AttemptRow,
  countLinks,
  createNotice,
  DELIVERY_STATE_LABELS,
  type DeliveryRow,
  deleteLink,
  insertLink,
  type LinkRow,
  linkStats,
  listDeliveries,
  listLinks,
  loadLink,
  MAX_LINKS_PER_RESIDENT,
  type NewNotice,
  secretFingerprint,
} from '../../delivery/store.ts';
import { recordActivity } from '../activity.ts';
import { requireAdmin } from '../admin-auth.ts';
import { authOf, type PortalContext } from '../context.ts';
import { problem, problemResponses } from '../problem.ts';
import {
  idParam,
  nullableTimestamp,
  paged,
  pagingProperties,
  pagingQuery,
  pagingRequired,
  timestamp,
} from '../schemas.ts';
import { NOTICE_KINDS } from './notices.ts';

const linkSchema = {
  type: 'object',
  required: ['id', 'serviceName', 'endpoint', 'secretFingerprint', 'createdAt', 'deliveries'],
  properties: {
    id: { type: 'string' },
    serviceName: { type: 'string', description: '民間送達サービス名' },
    endpoint: { type: 'string', description: '送達先URL (webhook endpoint)' },
    secretFingerprint: {
      type: 'string',
      description: 'First 12 hex of SHA-256 over the secret (the secret itself is never returned)',
    },
    createdAt: timestamp('連携日時'),
    deliveries: {
      type: 'object',
      required: ['pending', 'delivered', 'failed', 'lastDeliveredAt'],
      properties: {
        pending: { type: 'integer', description: '送信待ち' },
        delivered: { type: 'integer', description: '送達済み' },
        failed: { type: 'integer', description: '送達失敗' },
        lastDeliveredAt: nullableTimestamp('最終送達日時'),
      },
    },
  },
} as const;

const attemptSchema = {
  type: 'object',
  required: ['attempt', 'startedAt', 'durationMs', 'statusCode', 'outcome', 'error'],
  properties: {
    attempt: { type: 'integer', description: '試行回数（1から）' },
    startedAt: timestamp('送信日時'),
    durationMs: { type: 'integer' },
    statusCode: { type: ['integer', 'null'], description: 'HTTP status of the response; null when none came' },
    outcome: { type: 'string', enum: ['delivered', 'retry', 'failed'] },
    error: { type: ['string', 'null'] },
  },
} as const;

const deliverySchema = {
  type: 'object',
  required: [
    'id',
    'eventId',
    'eventType',
    'notice',
    'state',
    'stateLabel',
    'createdAt',
    'attemptCount',
    'lastAttemptAt',
    'lastStatusCode',
    'nextAttemptAt',
    'completedAt',
    'finalReason',
    'attempts',
  ],
  properties: {
    id: { type: 'string', description: 'Delivery id (X-Myna-Delivery)' },
    eventId: { type: 'string', description: 'The webhook body’s id' },
    eventType: { type: 'string', enum: ['notice.created'] },
    notice: {
      type: 'object',
      required: ['id', 'title'],
      properties: { id: { type: 'string' }, title: { type: 'string', description: '件名' } },
    },
    state: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
    stateLabel: { type: 'string', description: '送信待ち / 送達済み / 送達失敗' },
    createdAt: timestamp('お知らせの発生日時'),
    attemptCount: { type: 'integer' },
    lastAttemptAt: nullableTimestamp('最終送信日時'),
    lastStatusCode: { type: ['integer', 'null'] },
    nextAttemptAt: nullableTimestamp('次回の再送予定日時 (pending only)'),
    completedAt: nullableTimestamp('送達・失敗が確定した日時'),
    finalReason: { type: ['string', 'null'] },
    attempts: { type: 'array', items: attemptSchema, description: 'Every attempt, oldest first' },
  },
} as const;

const createBody = {
  type: 'object',
  required: ['serviceName', 'endpoint', 'secret'],
  additionalProperties: false,
  properties: {
    serviceName: { type: 'string', minLength: 1, maxLength: 100, description: '民間送達サービス名' },
    endpoint: {
      type: 'string',
      minLength: 1,
      maxLength: 2048,
      description: 'https URL the webhooks are POSTed to (no credentials, no fragment, not an internal address)',
    },
    secret: {
      type: 'string',
      minLength: 32,
      maxLength: 256,
      pattern: '^[\\x21-\\x7e]+$',
      description:
        'Shared secret for X-Myna-Signature (HMAC-SHA256), 32–256 printable ASCII characters. Stored by the ' +
        'portal (it signs with it) and never returned.',
    },
  },
} as const;

const linkOut = (ctx: PortalContext, l: LinkRow) => ({
  id: l.id,
  serviceName: l.service_name,
  endpoint: l.endpoint,
  secretFingerprint: secretFingerprint(l.secret),
  createdAt: l.created_at,
  deliveries: linkStats(ctx.db, l.id),
});

const deliveryOut = (d: DeliveryRow & { notice_title: string; attempts: AttemptRow[] }) => ({
  id: d.id,
  eventId: d.event_id,
  eventType: d.event_type,
  notice: { id: d.notice_id, title: d.notice_title },
  state: d.state,
  stateLabel: DELIVERY_STATE_LABELS[d.state],
  createdAt: d.created_at,
  attemptCount: d.attempt_count,
  lastAttemptAt: d.last_attempt_at,
  lastStatusCode: d.last_status_code,
  nextAttemptAt: d.next_attempt_at,
  completedAt: d.completed_at,
  finalReason: d.final_reason,
  attempts: d.attempts.map((a) => ({
    attempt: a.attempt,
    startedAt: a.started_at,
    durationMs: a.duration_ms,
    statusCode: a.status_code,
    outcome: a.outcome,
    error: a.error,
  })),
});

function runtime(ctx: PortalContext) {
  if (!ctx.delivery) throw problem('SERVICE_NOT_READY', 'the delivery service is not configured');
  return ctx.delivery;
}

export async function deliveryRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.portal;
  const notFound = (id: string) =>
    problem('DELIVERY_LINK_NOT_FOUND', `no delivery-service link ${id} for this resident`);

  app.post<{ Body: { serviceName: string; endpoint: string; secret: string } }>(
    '/delivery-links',
    {
      schema: {
        tags: ['delivery'],
        summary: '民間送達サービスと連携: new お知らせ are then POSTed to the endpoint as signed webhooks',
        description:
          'The delivery service verifies `X-Myna-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>` ' +
          'within ±300 s and de-duplicates on `X-Myna-Delivery`. 400 DELIVERY_ENDPOINT_INVALID for an endpoint ' +
          'that is not https or points at an internal address; 409 DELIVERY_LINK_LIMIT beyond ' +
          `${MAX_LINKS_PER_RESIDENT} links.`,
        body: createBody,
        response: { 201: linkSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const { serviceName, endpoint, secret } = request.body;
      const rt = runtime(ctx);
      const bad = endpointProblem(endpoint, rt.options.policy);
      if (bad) {
        throw problem('DELIVERY_ENDPOINT_INVALID', `endpoint: ${bad.en}`, { detailJa: `送達先URL：${bad.ja}` });
      }
      if (serviceName.trim() === '') {
        throw problem('VALIDATION_FAILED', 'serviceName: must not be blank', {
          errors: [{ in: 'body', path: '/serviceName', message: 'must not be blank' }],
        });
      }
      const at = ctx.now().toISOString();
      const link = writeTx(ctx.db, () => {
        if (countLinks(ctx.db, auth.residentId) >= MAX_LINKS_PER_RESIDENT) {
          throw problem('DELIVERY_LINK_LIMIT', `at most ${MAX_LINKS_PER_RESIDENT} delivery-service links`);
        }
        const row = insertLink(ctx.db, {
          residentId: auth.residentId,
          serviceName: serviceName.trim(),
          endpoint,
          secret,
          at,
        });
        recordActivity(ctx.db, auth.residentId, at, 'delivery-link', `民間送達サービス「${row.service_name}」と連携`, {
          linkId: row.id,
          endpoint: new URL(endpoint).origin,
        });
        return row;
      });
      reply.code(201).header('location', `/api/v1/me/delivery-links/${link.id}`);
      return linkOut(ctx, link);
    },
  );

  app.get(
    '/delivery-links',
    {
      schema: {
        tags: ['delivery'],
        summary: '連携中の民間送達サービス, oldest first, with delivery counts',
        response: {
          200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: linkSchema } } },
          ...problemResponses,
        },
      },
    },
    async (request) => ({ items: listLinks(ctx.db, authOf(request).residentId).map((l) => linkOut(ctx, l)) }),
  );

  app.get<{ Params: { id: string } }>(
    '/delivery-links/:id',
    {
      schema: {
        tags: ['delivery'],
        summary: 'One delivery-service link',
        params: idParam,
        response: { 200: linkSchema, ...problemResponses },
      },
    },
    async (request) => {
      const link = loadLink(ctx.db, authOf(request).residentId, request.params.id);
      if (!link) throw notFound(request.params.id);
      return linkOut(ctx, link);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/delivery-links/:id',
    {
      schema: {
        tags: ['delivery'],
        summary: '連携を解除: deletes the link, its secret and its queued deliveries; nothing more is sent',
        params: idParam,
        response: { 204: { type: 'null', description: 'Deleted' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const at = ctx.now().toISOString();
      writeTx(ctx.db, () => {
        const link = loadLink(ctx.db, auth.residentId, request.params.id);
        if (!link || !deleteLink(ctx.db, auth.residentId, link.id)) throw notFound(request.params.id);
        recordActivity(
          ctx.db,
          auth.residentId,
          at,
          'delivery-link',
          `民間送達サービス「${link.service_name}」との連携を解除`,
          { linkId: link.id },
        );
      });
      ctx.delivery?.worker.linkDeleted(request.params.id);
      reply.code(204);
      return null;
    },
  );

  app.get<{ Params: { id: string }; Querystring: { page: number; pageSize: number } }>(
    '/delivery-links/:id/deliveries',
    {
      schema: {
        tags: ['delivery'],
        summary: '送達履歴: every delivery to this link with each attempt, its status code and the next retry',
        params: idParam,
        querystring: { type: 'object', additionalProperties: false, properties: { ...pagingQuery } },
        response: {
          200: {
            type: 'object',
            required: [...pagingRequired],
            properties: { ...pagingProperties, items: { type: 'array', items: deliverySchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const link = loadLink(ctx.db, authOf(request).residentId, request.params.id);
      if (!link) throw notFound(request.params.id);
      const { page, pageSize } = request.query;
      const { total, rows } = listDeliveries(ctx.db, link.id, page, pageSize);
      return paged(rows.map(deliveryOut), total, page, pageSize);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Administrator / test hook

interface AdminNoticeBody {
  residentId: string;
  kind: NewNotice['kind'];
  title: string;
  body: string;
  senderAgencyId: string;
  senderDepartment?: string;
  payment?: { amount: number; dueDate: string; payee: string; collectorNumber: string };
}

const adminNoticeBody = {
  type: 'object',
  required: ['residentId', 'kind', 'title', 'body', 'senderAgencyId'],
  additionalProperties: false,
  properties: {
    residentId: { type: 'string', minLength: 1, maxLength: 64 },
    kind: { type: 'string', enum: Object.keys(NOTICE_KINDS) },
    title: { type: 'string', minLength: 1, maxLength: 200, description: '件名' },
    body: { type: 'string', minLength: 1, maxLength: 20000, description: '本文' },
    senderAgencyId: { type: 'string', minLength: 1, maxLength: 64, description: '差出人（機関）' },
    senderDepartment: { type: 'string', maxLength: 100, description: '担当部署' },
    payment: {
      type: 'object',
      required: ['amount', 'dueDate', 'payee', 'collectorNumber'],
      additionalProperties: false,
      properties: {
        amount: { type: 'integer', minimum: 1, maximum: 100_000_000, description: '納付金額（円）' },
        dueDate: { type: 'string', format: 'date', description: '納期限' },
        payee: { type: 'string', minLength: 1, maxLength: 100, description: '収納機関名' },
        collectorNumber: { type: 'string', pattern: '^[0-9]{5}$', description: '収納機関番号' },
      },
    },
  },
} as const;

export async function deliveryAdminRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.portal;
  if (!ctx.config.adminToken) return;

  app.post<{ Body: AdminNoticeBody }>(
    '/admin/notices',
    {
      schema: {
        tags: ['admin'],
        summary: 'Publish an お知らせ to a resident (administrator/test hook) and queue its webhook deliveries',
        description:
          'Needs `Authorization: Bearer <adminToken>` (the route exists only when the portal has one). The notice ' +
          'and one pending delivery per delivery-service link of the resident are written in one transaction.',
        body: adminNoticeBody,
        response: {
          201: {
            type: 'object',
            required: ['id', 'residentId', 'publishedAt', 'deliveries'],
            properties: {
              id: { type: 'string', description: 'The notice' },
              residentId: { type: 'string' },
              publishedAt: timestamp('通知日時'),
              deliveries: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'linkId'],
                  properties: { id: { type: 'string' }, linkId: { type: 'string' } },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      requireAdmin(ctx, request);
      const b = request.body;
      const exists = (sql: string, id: string) => ctx.db.prepare(sql).get(id) !== undefined;
      if (!exists('SELECT 1 FROM residents WHERE id = ?', b.residentId)) {
        throw problem('REFERENCE_UNKNOWN', `no resident ${b.residentId}`);
      }
      if (!exists('SELECT 1 FROM agencies WHERE id = ?', b.senderAgencyId)) {
        throw problem('REFERENCE_UNKNOWN', `no agency ${b.senderAgencyId}`);
      }
      const created = createNotice(
        ctx.db,
        b.residentId,
        {
          kind: b.kind,
          title: b.title,
          body: b.body,
          senderAgencyId: b.senderAgencyId,
          ...(b.senderDepartment !== undefined ? { senderDepartment: b.senderDepartment } : {}),
          ...(b.payment ? { payment: b.payment } : {}),
        },
        ctx.now(),
      );
      ctx.delivery?.worker.wake();
      reply.code(201).header('location', `/api/v1/me/notices/${created.notice.id}`);
      return {
        id: created.notice.id,
        residentId: b.residentId,
        publishedAt: created.notice.published_at,
        deliveries: created.deliveries,
      };
    },
  );
}
