/**
 * Public service information: the OpenAPI document, health, the problem-type catalogue and the
 * municipalities the portal serves.
 */
import type { FastifyInstance } from 'fastify';
import { schemaVersion } from '../../db/migrations.ts';
import { PROBLEM_CODES, PROBLEMS, type ProblemCode, problem, problemResponses, problemType } from '../problem.ts';

const municipality = {
  type: 'object',
  required: ['code', 'prefecture', 'name', 'nameKana'],
  properties: {
    code: { type: 'string', description: '全国地方公共団体コード (6 digits with check digit)' },
    prefecture: { type: 'string', description: '都道府県' },
    name: { type: 'string', description: '市区町村名' },
    nameKana: { type: 'string', description: '市区町村名（ふりがな）' },
  },
} as const;

export async function metaRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.portal;

  app.get(
    '/openapi.json',
    {
      schema: {
        tags: ['meta'],
        summary: 'This API as an OpenAPI 3.1 document',
        response: { 200: { type: 'object', additionalProperties: true }, ...problemResponses },
      },
    },
    async () => app.swagger(),
  );

  app.get(
    '/health',
    {
      schema: {
        tags: ['meta'],
        summary: 'Liveness and schema version',
        response: {
          200: {
            type: 'object',
            required: ['status', 'time', 'schemaVersion'],
            properties: {
              status: { type: 'string', enum: ['ok'] },
              time: { type: 'string', format: 'date-time' },
              schemaVersion: { type: 'integer' },
              crlsLoadedAt: { type: 'string', format: 'date-time' },
            },
          },
          ...problemResponses,
        },
      },
    },
    async () => ({
      status: 'ok' as const,
      time: ctx.now().toISOString(),
      schemaVersion: schemaVersion(ctx.db),
      crlsLoadedAt: ctx.trust.crlsLoadedAt.toISOString(),
    }),
  );

  app.get<{ Params: { code: string } }>(
    '/problems/:code',
    {
      schema: {
        tags: ['meta'],
        summary: 'What a problem `type` means',
        params: {
          type: 'object',
          required: ['code'],
          additionalProperties: false,
          properties: { code: { type: 'string', maxLength: 64, pattern: '^[A-Z_]+$' } },
        },
        response: {
          200: {
            type: 'object',
            required: ['type', 'code', 'status', 'title', 'titleJa'],
            properties: {
              type: { type: 'string' },
              code: { type: 'string' },
              status: { type: 'integer' },
              title: { type: 'string' },
              titleJa: { type: 'string' },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const code = request.params.code as ProblemCode;
      if (!PROBLEM_CODES.includes(code)) throw problem('NOT_FOUND', `no problem type ${code}`);
      const spec = PROBLEMS[code];
      return { type: problemType(code), code, status: spec.status, title: spec.title, titleJa: spec.titleJa };
    },
  );

  app.get(
    '/municipalities',
    {
      schema: {
        tags: ['meta'],
        summary: 'The municipalities this portal serves (市区町村一覧)',
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: municipality } },
          },
          ...problemResponses,
        },
      },
    },
    async () => ({
      items: ctx.db
        .prepare('SELECT code, prefecture, name, name_kana AS nameKana FROM municipalities ORDER BY code')
        .all(),
    }),
  );
}
