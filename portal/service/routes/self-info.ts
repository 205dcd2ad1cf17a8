/**
 * 自己情報表示 (あなたの情報, product-anchors §3.2): the resident's information held by public
 * bodies, by category (税・所得, 児童手当, 予防接種, 健診, 年金, 世帯, …). Each record is a titled
 * list of label/value items as the providing body reported them, with its 提供元 and 基準日.
 */
import type { FastifyInstance } from 'fastify';
import { authOf } from '../context.ts';
import { problem, problemResponses } from '../problem.ts';
import { agencyRef, objectOf } from '../schemas.ts';

interface CategoryRow {
  id: string;
  label: string;
  group_label: string;
  description: string;
  count: number;
  latest: string | null;
}

interface RecordRow {
  id: string;
  title: string;
  provider_id: string | null;
  provider_name: string | null;
  as_of: string;
  items: string;
}

const categoryProperties = {
  id: { type: 'string', description: 'Category id (URL segment)' },
  label: { type: 'string', description: '分類名 (e.g. 税・所得)' },
  group: { type: 'string', description: '大分類 (e.g. 健康・医療)' },
  description: { type: 'string', description: '説明' },
  count: { type: 'integer', description: 'Records the resident has in this category' },
  latestAsOf: { type: ['string', 'null'], format: 'date', description: 'Newest 基準日 in this category' },
} as const;

const categorySchema = objectOf(categoryProperties);

const recordSchema = {
  type: 'object',
  required: ['id', 'title', 'provider', 'asOf', 'items'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string', description: '情報の名称' },
    provider: { anyOf: [agencyRef, { type: 'null' }], description: '提供元機関' },
    asOf: { type: 'string', format: 'date', description: '基準日' },
    items: {
      type: 'array',
      description: '項目名と内容',
      items: {
        type: 'object',
        required: ['label', 'value'],
        properties: {
          label: { type: 'string', description: '項目名' },
          value: { type: 'string', description: '内容' },
        },
      },
    },
  },
} as const;

export async function selfInfoRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.portal;

  const categories = (residentId: string, id?: string) =>
    ctx.db
      .prepare(
        `SELECT c.id, c.label, c.group_label, c.description,
                count(r.id) AS count, max(r.as_of) AS latest
           FROM self_info_categories c
           LEFT JOIN self_info_records r ON r.category_id = c.id AND r.resident_id = ?
          ${id === undefined ? '' : 'WHERE c.id = ?'}
          GROUP BY c.id ORDER BY c.sort_order`,
      )
      .all(...(id === undefined ? [residentId] : [residentId, id])) as CategoryRow[];

  const toCategory = (c: CategoryRow) => ({
    id: c.id,
    label: c.label,
    group: c.group_label,
    description: c.description,
    count: c.count,
    latestAsOf: c.latest,
  });

  app.get(
    '/self-info',
    {
      schema: {
        tags: ['self-info'],
        summary: '自己情報: every category with the resident’s record count',
        response: {
          200: {
            type: 'object',
            required: ['categories'],
            properties: { categories: { type: 'array', items: categorySchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => ({ categories: categories(authOf(request).residentId).map(toCategory) }),
  );

  app.get<{ Params: { category: string } }>(
    '/self-info/:category',
    {
      schema: {
        tags: ['self-info'],
        summary: '自己情報: the resident’s records in one category, newest 基準日 first',
        params: {
          type: 'object',
          required: ['category'],
          additionalProperties: false,
          properties: { category: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' } },
        },
        response: {
          200: {
            type: 'object',
            required: ['category', 'records'],
            properties: { category: categorySchema, records: { type: 'array', items: recordSchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const [category] = categories(auth.residentId, request.params.category);
      if (!category) throw problem('SELF_INFO_CATEGORY_NOT_FOUND', `no category ${request.params.category}`);
      const rows = ctx.db
        .prepare(
          `SELECT r.id, r.title, r.as_of, r.items, a.id AS provider_id, a.name AS provider_name
             FROM self_info_records r LEFT JOIN agencies a ON a.id = r.provider_agency_id
            WHERE r.resident_id = ? AND r.category_id = ?
            ORDER BY r.as_of DESC, r.sort_order, r.id`,
        )
        .all(auth.residentId, category.id) as RecordRow[];
      return {
        category: toCategory(category),
        records: rows.map((r) => ({
          id: r.id,
          title: r.title,
          provider: r.provider_id && r.provider_name ? { id: r.provider_id, name: r.provider_name } : null,
          asOf: r.as_of,
          items: JSON.parse(r.items) as { label: string; value: string }[],
        })),
      };
    },
  );
}
