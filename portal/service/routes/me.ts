/**
 * The logged-in resident: profile and session, settings (login-notification e-mail), and
 * 操作履歴 (activity). Every query is keyed by the session's resident id.
 */
import type { FastifyInstance } from 'fastify';
import { writeTx } from '../../db/database.ts';
import { ACTIVITY_KINDS, type ActivityKind, recordActivity } from '../activity.ts';
import { authOf } from '../context.ts';
import { problem, problemResponses } from '../problem.ts';
import { paged, pagingProperties, pagingQuery, pagingRequired, timestamp } from '../schemas.ts';

interface ResidentRow {
  id: string;
  display_name: string | null;
  municipality_code: string | null;
  email: string | null;
  login_notification: number;
  registered_via: 'seed' | 'auto';
  m_name: string | null;
  m_prefecture: string | null;
}

const settingsSchema = {
  type: 'object',
  required: ['email', 'loginNotification'],
  properties: {
    email: { type: ['string', 'null'], description: '連絡先メールアドレス' },
    loginNotification: { type: 'boolean', description: 'ログイン通知メール' },
  },
} as const;

const settingsBody = {
  type: 'object',
  required: ['email', 'loginNotification'],
  additionalProperties: false,
  properties: {
    email: { anyOf: [{ type: 'string', format: 'email', maxLength: 254 }, { type: 'null' }] },
    loginNotification: { type: 'boolean' },
  },
} as const;

export async function meRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.portal;

  const loadResident = (id: string) =>
    ctx.db
      .prepare(
        `SELECT r.*, m.name AS m_name, m.prefecture AS m_prefecture
           FROM residents r LEFT JOIN municipalities m ON m.code = r.municipality_code WHERE r.id = ?`,
      )
      .get(id) as ResidentRow | undefined;

  app.get(
    '',
    {
      schema: {
        tags: ['me'],
        summary: 'The logged-in resident and the session',
        response: {
          200: {
            type: 'object',
            required: ['id', 'displayName', 'municipality', 'registeredVia', 'settings', 'session'],
            properties: {
              id: { type: 'string' },
              displayName: { type: ['string', 'null'], description: '登録名' },
              municipality: {
                anyOf: [
                  {
                    type: 'object',
                    required: ['code', 'prefecture', 'name'],
                    properties: {
                      code: { type: 'string', description: '全国地方公共団体コード' },
                      prefecture: { type: 'string' },
                      name: { type: 'string' },
                    },
                  },
                  { type: 'null' },
                ],
                description: '住所地の市区町村',
              },
              registeredVia: { type: 'string', enum: ['seed', 'auto'] },
              settings: settingsSchema,
              session: {
                type: 'object',
                required: ['createdAt', 'expiresAt', 'idleExpiresAt', 'certificateSerial'],
                properties: {
                  createdAt: timestamp('Login time'),
                  expiresAt: timestamp('Absolute end of the session'),
                  idleExpiresAt: timestamp('End of the session unless used before'),
                  certificateSerial: { type: 'string', description: '利用者証明用電子証明書のシリアル番号 (hex)' },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const r = loadResident(auth.residentId);
      if (!r) throw problem('UNAUTHENTICATED', 'the resident of this session no longer exists');
      return {
        id: r.id,
        displayName: r.display_name,
        municipality:
          r.municipality_code && r.m_name && r.m_prefecture
            ? { code: r.municipality_code, prefecture: r.m_prefecture, name: r.m_name }
            : null,
        registeredVia: r.registered_via,
        settings: { email: r.email, loginNotification: r.login_notification === 1 },
        session: {
          createdAt: auth.sessionCreatedAt,
          expiresAt: auth.sessionExpiresAt,
          idleExpiresAt: auth.idleExpiresAt,
          certificateSerial: auth.certificateSerial,
        },
      };
    },
  );

  app.put<{ Body: { email: string | null; loginNotification: boolean } }>(
    '/settings',
    {
      schema: {
        tags: ['me'],
        summary: 'Change the contact e-mail and the login notification (アカウント設定)',
        body: settingsBody,
        response: { 200: settingsSchema, ...problemResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const { email, loginNotification } = request.body;
      if (loginNotification && !email)
        throw problem('EMAIL_REQUIRED', 'set an e-mail address to get login notifications');
      const at = ctx.now().toISOString();
      writeTx(ctx.db, () => {
        ctx.db
          .prepare('UPDATE residents SET email = ?, login_notification = ?, updated_at = ? WHERE id = ?')
          .run(email, loginNotification ? 1 : 0, at, auth.residentId);
        recordActivity(
          ctx.db,
          auth.residentId,
          at,
          'settings-changed',
          `連絡先メールアドレス・ログイン通知の設定を変更（ログイン通知：${loginNotification ? 'する' : 'しない'}）`,
        );
      });
      return { email, loginNotification };
    },
  );

  app.get<{ Querystring: { page: number; pageSize: number } }>(
    '/activity',
    {
      schema: {
        tags: ['me'],
        summary: '操作履歴: logins, logouts, settings changes, payments, submissions (newest first)',
        querystring: { type: 'object', additionalProperties: false, properties: { ...pagingQuery } },
        response: {
          200: {
            type: 'object',
            required: [...pagingRequired],
            properties: {
              ...pagingProperties,
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'occurredAt', 'kind', 'kindLabel', 'summary', 'detail'],
                  properties: {
                    id: { type: 'integer' },
                    occurredAt: timestamp('操作日時'),
                    kind: { type: 'string', enum: Object.keys(ACTIVITY_KINDS) },
                    kindLabel: { type: 'string', description: '操作の種類' },
                    summary: { type: 'string', description: '操作内容' },
                    detail: {
                      type: 'object',
                      additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
                      description: 'e.g. certificateSerial, ip, userAgent, receiptNumber',
                    },
                  },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const { page, pageSize } = request.query;
      const total = (
        ctx.db.prepare('SELECT count(*) AS n FROM activity WHERE resident_id = ?').get(auth.residentId) as { n: number }
      ).n;
      const rows = ctx.db
        .prepare(
          `SELECT id, occurred_at, kind, summary, detail FROM activity WHERE resident_id = ?
            ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?`,
        )
        .all(auth.residentId, pageSize, (page - 1) * pageSize) as {
        id: number;
        occurred_at: string;
        kind: ActivityKind;
        summary: string;
        detail: string;
      }[];
      return paged(
        rows.map((r) => ({
          id: r.id,
          occurredAt: r.occurred_at,
          kind: r.kind,
          kindLabel: ACTIVITY_KINDS[r.kind] ?? r.kind,
          summary: r.summary,
          detail: JSON.parse(r.detail) as Record<string, unknown>,
        })),
        total,
        page,
        pageSize,
      );
    },
  );
}
