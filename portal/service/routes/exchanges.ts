/**
 * やりとり履歴 (情報提供等記録表示, product-anchors §3.1): the records of 情報照会/情報提供 between
 * administrative bodies about the resident. ASCII keys, Japanese labels (`labels` in the detail
 * response and each schema description give the mapping).
 *
 * 不開示 records (番号法 §23②-style suppression) are listed as such: `undisclosed: true`, the
 * identifying fields (agencies, department, 事務, 事務手続, information name) withheld as null and
 * named in `withheldFields`. They never match an agency or 事務 filter and never contribute to
 * the filter options, so a filter cannot reveal what is withheld.
 */
import type { FastifyInstance } from 'fastify';
import { authOf } from '../context.ts';
import { problem, problemResponses } from '../problem.ts';
import {
  agencyRef,
  date,
  idParam,
  nullableTimestamp,
  objectOf,
  paged,
  pagingProperties,
  pagingQuery,
  pagingRequired,
  timestamp,
} from '../schemas.ts';
import { jstMidnight } from '../util.ts';

export const EXCHANGE_STATUSES = {
  provided: '提供完了',
  requesting: '照会中',
  'not-provided': '提供不可',
  cancelled: '照会取消',
} as const;
export type ExchangeStatus = keyof typeof EXCHANGE_STATUSES;

/** ASCII key → the field name the portal shows. */
export const EXCHANGE_LABELS = {
  managementNumber: '管理番号',
  status: '状況',
  receivedAt: 'やりとり履歴受付日時',
  requestedAt: '照会日時',
  requesterAgency: '照会機関',
  requesterDepartment: '情報照会者部署',
  providedAt: '提供日時',
  providerAgency: '提供機関',
  affairs: '事務',
  procedure: '事務手続',
  informationName: 'やりとりされた情報の名称',
  article21Paragraph2: '法第21条第2項各号の該当',
  undisclosed: '不開示',
} as const;

const WITHHELD = [
  'requesterAgency',
  'requesterDepartment',
  'providerAgency',
  'affairs',
  'procedure',
  'informationName',
] as const;

interface ExchangeRow {
  id: string;
  management_number: string;
  status: ExchangeStatus;
  received_at: string;
  requested_at: string;
  requester_agency_id: string;
  requester_name: string;
  requester_department: string;
  provided_at: string | null;
  provider_agency_id: string;
  provider_name: string;
  affairs_id: string;
  affairs_name: string;
  procedure: string;
  information_name: string;
  article_21_2: string;
  undisclosed: number;
}

const SELECT = `SELECT e.*, ra.name AS requester_name, pa.name AS provider_name, af.name AS affairs_name
  FROM exchanges e
  JOIN agencies ra ON ra.id = e.requester_agency_id
  JOIN agencies pa ON pa.id = e.provider_agency_id
  JOIN affairs af ON af.id = e.affairs_id`;

const nullableRef = (description: string) => ({ anyOf: [agencyRef, { type: 'null' }], description });
const nullableText = (description: string) => ({ type: ['string', 'null'], description });

const summaryProperties = {
  id: { type: 'string' },
  managementNumber: { type: 'string', description: '管理番号' },
  status: { type: 'string', enum: Object.keys(EXCHANGE_STATUSES), description: '状況 (code)' },
  statusLabel: { type: 'string', description: '状況: 提供完了, 照会中, 提供不可, 照会取消' },
  receivedAt: timestamp('やりとり履歴受付日時'),
  requestedAt: timestamp('照会日時'),
  providedAt: nullableTimestamp('提供日時 (null until provided)'),
  requesterAgency: nullableRef('照会機関 (null when 不開示)'),
  providerAgency: nullableRef('提供機関 (null when 不開示)'),
  affairs: nullableRef('事務 (null when 不開示)'),
  informationName: nullableText('やりとりされた情報の名称 (null when 不開示)'),
  undisclosed: { type: 'boolean', description: '不開示: identifying fields are withheld' },
} as const;

const summarySchema = objectOf(summaryProperties);

const detailSchema = {
  type: 'object',
  required: [
    ...Object.keys(summaryProperties),
    'requesterDepartment',
    'procedure',
    'article21Paragraph2',
    'withheldFields',
    'labels',
  ],
  properties: {
    ...summaryProperties,
    requesterDepartment: nullableText('情報照会者部署 (null when 不開示)'),
    procedure: nullableText('事務手続 (null when 不開示)'),
    article21Paragraph2: { type: 'string', description: '法第21条第2項各号の該当 (e.g. 非該当)' },
    withheldFields: {
      type: 'array',
      items: { type: 'string', enum: [...WITHHELD] },
      description: '不開示で表示しない項目',
    },
    labels: {
      type: 'object',
      required: Object.keys(EXCHANGE_LABELS),
      properties: Object.fromEntries(Object.keys(EXCHANGE_LABELS).map((k) => [k, { type: 'string' }])),
      description: 'Japanese field names for the keys above',
    },
  },
} as const;

function summary(r: ExchangeRow) {
  const hidden = r.undisclosed === 1;
  return {
    id: r.id,
    managementNumber: r.management_number,
    status: r.status,
    statusLabel: EXCHANGE_STATUSES[r.status],
    receivedAt: r.received_at,
    requestedAt: r.requested_at,
    providedAt: r.provided_at,
    requesterAgency: hidden ? null : { id: r.requester_agency_id, name: r.requester_name },
    providerAgency: hidden ? null : { id: r.provider_agency_id, name: r.provider_name },
    affairs: hidden ? null : { id: r.affairs_id, name: r.affairs_name },
    informationName: hidden ? null : r.information_name,
    undisclosed: hidden,
  };
}

function detail(r: ExchangeRow) {
  const hidden = r.undisclosed === 1;
  return {
    ...summary(r),
    requesterDepartment: hidden ? null : r.requester_department,
    procedure: hidden ? null : r.procedure,
    article21Paragraph2: r.article_21_2,
    withheldFields: hidden ? [...WITHHELD] : [],
    labels: EXCHANGE_LABELS,
  };
}

interface ListQuery {
  from?: string;
  to?: string;
  agency?: string;
  agencyRole: 'any' | 'requester' | 'provider';
  affairs?: string;
  status?: ExchangeStatus;
  page: number;
  pageSize: number;
}

const refId = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } as const;

export async function exchangeRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.portal;

  app.get<{ Querystring: ListQuery }>(
    '/exchanges',
    {
      schema: {
        tags: ['exchanges'],
        summary: 'やりとり履歴: list, newest 照会日時 first, with filters and paging',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: date('照会日 from (inclusive), Japan time'),
            to: date('照会日 to (inclusive), Japan time'),
            agency: { ...refId, description: '照会機関 or 提供機関 id (see /me/exchanges/filters)' },
            agencyRole: {
              type: 'string',
              enum: ['any', 'requester', 'provider'],
              default: 'any',
              description: 'Match `agency` as 照会機関, 提供機関 or either',
            },
            affairs: { ...refId, description: '事務 id (see /me/exchanges/filters)' },
            status: { type: 'string', enum: Object.keys(EXCHANGE_STATUSES), description: '状況' },
            ...pagingQuery,
          },
        },
        response: {
          200: {
            type: 'object',
            required: [...pagingRequired],
            properties: { ...pagingProperties, items: { type: 'array', items: summarySchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const q = request.query;
      if (q.from && q.to && q.from > q.to) {
        throw problem('VALIDATION_FAILED', 'querystring: from is after to', {
          errors: [{ in: 'querystring', path: '/from', message: 'must not be after to' }],
        });
      }
      const where = ['e.resident_id = ?'];
      const args: (string | number)[] = [auth.residentId];
      if (q.from) {
        where.push('e.requested_at >= ?');
        args.push(jstMidnight(q.from).toISOString());
      }
      if (q.to) {
        where.push('e.requested_at < ?');
        args.push(new Date(jstMidnight(q.to).getTime() + 86400_000).toISOString());
      }
      if (q.agency) {
        where.push('e.undisclosed = 0');
        if (q.agencyRole === 'requester') where.push('e.requester_agency_id = ?');
        else if (q.agencyRole === 'provider') where.push('e.provider_agency_id = ?');
        else {
          where.push('(e.requester_agency_id = ? OR e.provider_agency_id = ?)');
          args.push(q.agency);
        }
        args.push(q.agency);
      }
      if (q.affairs) {
        where.push('e.undisclosed = 0 AND e.affairs_id = ?');
        args.push(q.affairs);
      }
      if (q.status) {
        where.push('e.status = ?');
        args.push(q.status);
      }
      const clause = where.join(' AND ');
      const total = (
        ctx.db.prepare(`SELECT count(*) AS n FROM exchanges e WHERE ${clause}`).get(...args) as { n: number }
      ).n;
      const rows = ctx.db
        .prepare(`${SELECT} WHERE ${clause} ORDER BY e.requested_at DESC, e.management_number DESC LIMIT ? OFFSET ?`)
        .all(...args, q.pageSize, (q.page - 1) * q.pageSize) as ExchangeRow[];
      return paged(rows.map(summary), total, q.page, q.pageSize);
    },
  );

  app.get(
    '/exchanges/filters',
    {
      schema: {
        tags: ['exchanges'],
        summary: 'The filter options for the resident’s own records (照会機関/提供機関, 事務, 状況, period)',
        response: {
          200: {
            type: 'object',
            required: ['agencies', 'affairs', 'statuses', 'period'],
            properties: {
              agencies: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'name', 'roles'],
                  properties: {
                    id: { type: 'string' },
                    name: { type: 'string' },
                    roles: { type: 'array', items: { type: 'string', enum: ['requester', 'provider'] } },
                  },
                },
              },
              affairs: { type: 'array', items: agencyRef },
              statuses: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['code', 'label'],
                  properties: { code: { type: 'string' }, label: { type: 'string' } },
                },
              },
              period: {
                type: 'object',
                required: ['earliest', 'latest'],
                properties: {
                  earliest: nullableTimestamp('Oldest 照会日時'),
                  latest: nullableTimestamp('Newest 照会日時'),
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
      const agencies = ctx.db
        .prepare(
          `SELECT a.id, a.name,
                  max(e.requester_agency_id = a.id) AS is_requester, max(e.provider_agency_id = a.id) AS is_provider
             FROM exchanges e JOIN agencies a ON a.id IN (e.requester_agency_id, e.provider_agency_id)
            WHERE e.resident_id = ? AND e.undisclosed = 0
            GROUP BY a.id ORDER BY a.name`,
        )
        .all(auth.residentId) as { id: string; name: string; is_requester: number; is_provider: number }[];
      const affairs = ctx.db
        .prepare(
          `SELECT DISTINCT af.id, af.name FROM exchanges e JOIN affairs af ON af.id = e.affairs_id
            WHERE e.resident_id = ? AND e.undisclosed = 0 ORDER BY af.name`,
        )
        .all(auth.residentId) as { id: string; name: string }[];
      const period = ctx.db
        .prepare(
          'SELECT min(requested_at) AS earliest, max(requested_at) AS latest FROM exchanges WHERE resident_id = ?',
        )
        .get(auth.residentId) as { earliest: string | null; latest: string | null };
      return {
        agencies: agencies.map((a) => ({
          id: a.id,
          name: a.name,
          roles: [
            ...(a.is_requester ? (['requester'] as const) : []),
            ...(a.is_provider ? (['provider'] as const) : []),
          ],
        })),
        affairs,
        statuses: Object.entries(EXCHANGE_STATUSES).map(([code, label]) => ({ code, label })),
        period,
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/exchanges/:id',
    {
      schema: {
        tags: ['exchanges'],
        summary: 'やりとり履歴: one record with every field',
        params: idParam,
        response: { 200: detailSchema, ...problemResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const row = ctx.db
        .prepare(`${SELECT} WHERE e.id = ? AND e.resident_id = ?`)
        .get(request.params.id, auth.residentId) as ExchangeRow | undefined;
      if (!row) throw problem('EXCHANGE_NOT_FOUND', `no exchange record ${request.params.id} for this resident`);
      return detail(row);
    },
  );
}
