/**
 * 子育てワンストップサービス, the public part (no session needed): service search by municipality,
 * category and keyword; a service page; the form of each online procedure (JSON Schema 2020-12,
 * UI metadata with the fields the card can fill, the expected attachments); the categories.
 * The catalog and forms are portal/kosodate's (pure data); applying is /api/v1/me/applications.
 */
import type { FastifyInstance } from 'fastify';
import { APPLICATION_PACKAGE_MEDIA_TYPE } from '../../intake/submit.ts';
import {
  CARD_FILL_RULES,
  CATEGORIES,
  type CategoryKey,
  cardFillTargets,
  categoryLabel,
  getForm,
  getMunicipality,
  getService,
  type KosodateService,
  PROCEDURE_IDS,
  SEARCH_LIMITS,
  SERVICES,
  searchServices,
} from '../../kosodate/index.ts';
import { problem, problemResponses } from '../problem.ts';
import { idParam, pagingProperties, pagingRequired } from '../schemas.ts';

const bilingual = {
  type: 'object',
  required: ['ja', 'en'],
  properties: { ja: { type: 'string' }, en: { type: 'string' } },
} as const;

const categorySchema = {
  type: 'object',
  required: ['key', 'label', 'labelEn'],
  properties: {
    key: { type: 'string', enum: CATEGORIES.map((c) => c.key) },
    label: { type: 'string', description: '分野（児童手当・保育・ひとり親支援・母子保健）' },
    labelEn: { type: 'string' },
  },
} as const;

const municipalityRef = {
  type: 'object',
  required: ['code', 'name', 'prefecture'],
  properties: {
    code: { type: 'string', description: '全国地方公共団体コード' },
    name: { type: 'string', description: '市区町村名' },
    prefecture: { type: 'string', description: '都道府県' },
  },
} as const;

const onlineSchema = {
  anyOf: [
    {
      type: 'object',
      required: ['procedureId', 'formUrl'],
      properties: {
        procedureId: { type: 'string', enum: [...PROCEDURE_IDS], description: 'オンライン申請の手続' },
        formUrl: { type: 'string', description: 'The form of the procedure (GET)' },
      },
    },
    { type: 'null' },
  ],
  description: 'オンライン申請: present when the procedure can be applied for online with a signed package',
} as const;

const summaryProperties = {
  id: { type: 'string' },
  municipality: municipalityRef,
  category: categorySchema,
  title: { type: 'string', description: 'サービス名' },
  titleEn: { type: 'string' },
  summary: { type: 'string', description: '概要' },
  onlineApplication: onlineSchema,
} as const;
const summaryRequired = ['id', 'municipality', 'category', 'title', 'titleEn', 'summary', 'onlineApplication'];

const serviceSummarySchema = { type: 'object', required: summaryRequired, properties: summaryProperties } as const;

const serviceDetailSchema = {
  type: 'object',
  required: [...summaryRequired, 'description', 'requiredDocuments', 'contact'],
  properties: {
    ...summaryProperties,
    description: { type: 'string', description: '詳細（paragraphs separated by a blank line）' },
    requiredDocuments: { type: 'array', items: { type: 'string' }, description: '必要書類' },
    contact: {
      type: 'object',
      required: ['counter', 'phone', 'hours'],
      description: '問い合わせ先',
      properties: {
        counter: { type: 'string', description: '窓口' },
        phone: { type: 'string', description: '電話番号 (fictional)' },
        hours: { type: 'string', description: '受付時間' },
      },
    },
  },
} as const;

const freeObject = { type: 'object', additionalProperties: true } as const;

const fieldSchema = {
  type: 'object',
  required: ['pointer', 'kind', 'label'],
  properties: {
    pointer: { type: 'string', description: 'JSON Pointer of the node; list items written *' },
    kind: { type: 'string', enum: ['group', 'list', 'field'] },
    label: bilingual,
    help: bilingual,
    input: { type: 'string', description: 'Rendering hint (text, date, select, myNumber …)' },
    options: {
      type: 'array',
      items: {
        type: 'object',
        required: ['value', 'label'],
        properties: { value: { type: 'string' }, label: bilingual },
      },
    },
    cardFill: {
      type: 'string',
      enum: Object.keys(CARD_FILL_RULES),
      description: 'カードから入力: the 券面事項入力補助AP item that fills this field',
    },
    sensitive: { type: 'boolean', description: 'Mask on screen, keep out of logs (個人番号)' },
  },
} as const;

const attachmentSpecSchema = {
  type: 'object',
  required: ['kind', 'name', 'mediaTypes', 'required', 'maxFiles'],
  properties: {
    kind: { type: 'string', description: 'The value of form.documents[].kind' },
    name: bilingual,
    mediaTypes: { type: 'array', items: { type: 'string' } },
    required: { type: 'boolean', description: '必須' },
    requiredWhen: { ...freeObject, description: 'JSON Schema: required when the form matches it' },
    condition: bilingual,
    maxFiles: { type: 'integer' },
  },
} as const;

const formSchema = {
  type: 'object',
  required: [
    'procedureId',
    'version',
    'title',
    'schema',
    'fields',
    'attachments',
    'cardFill',
    'municipalities',
    'submission',
  ],
  properties: {
    procedureId: { type: 'string' },
    version: { type: 'integer', description: 'Bumped when the schema changes incompatibly' },
    title: bilingual,
    schema: { ...freeObject, description: 'JSON Schema (2020-12) of the manifest’s `form` object' },
    fields: { type: 'array', items: fieldSchema, description: 'UI metadata of every node, in display order' },
    attachments: { type: 'array', items: attachmentSpecSchema, description: '添付書類' },
    cardFill: {
      type: 'array',
      description: 'マイナンバーカードから入力できる項目: pointer → card item, with how the value is converted',
      items: {
        type: 'object',
        required: ['pointer', 'cardFill', 'label', 'card', 'form'],
        properties: {
          pointer: { type: 'string' },
          cardFill: { type: 'string' },
          label: bilingual,
          card: { type: 'string', description: 'The value as the card holds it' },
          form: { type: 'string', description: 'The value as the form wants it' },
        },
      },
    },
    municipalities: {
      type: 'array',
      description: 'The municipalities taking this procedure online, with their service page',
      items: {
        type: 'object',
        required: ['code', 'name', 'prefecture', 'serviceId'],
        properties: { ...municipalityRef.properties, serviceId: { type: 'string' } },
      },
    },
    submission: {
      type: 'object',
      required: ['method', 'url', 'mediaType'],
      description: 'How to submit the signed package',
      properties: { method: { type: 'string' }, url: { type: 'string' }, mediaType: { type: 'string' } },
    },
  },
} as const;

function municipalityOf(code: string) {
  const m = getMunicipality(code);
  return { code, name: m?.name ?? code, prefecture: m?.prefecture ?? '' };
}

function category(key: CategoryKey) {
  const l = categoryLabel(key);
  return { key, label: l.ja, labelEn: l.en };
}

const formUrl = (procedureId: string) => `/api/v1/kosodate/procedures/${procedureId}/form`;

function summary(s: KosodateService) {
  return {
    id: s.id,
    municipality: municipalityOf(s.municipalityCode),
    category: category(s.category),
    title: s.title,
    titleEn: s.titleEn,
    summary: s.summary,
    onlineApplication: s.onlineApplication
      ? { procedureId: s.onlineApplication.procedureId, formUrl: formUrl(s.onlineApplication.procedureId) }
      : null,
  };
}

interface SearchQuerystring {
  municipalityCode?: string;
  category?: CategoryKey;
  keyword?: string;
  onlineOnly?: 'true' | 'false';
  page: number;
  pageSize: number;
}

export async function kosodateRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/kosodate/categories',
    {
      schema: {
        tags: ['kosodate'],
        summary: '子育てワンストップ: the service categories (分野) with their service counts',
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: [...categorySchema.required, 'serviceCount', 'onlineServiceCount'],
                  properties: {
                    ...categorySchema.properties,
                    serviceCount: { type: 'integer' },
                    onlineServiceCount: { type: 'integer', description: 'オンライン申請できるサービスの数' },
                  },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async () => ({
      items: CATEGORIES.map((c) => {
        const services = SERVICES.filter((s) => s.category === c.key);
        return {
          ...category(c.key),
          serviceCount: services.length,
          onlineServiceCount: services.filter((s) => s.onlineApplication).length,
        };
      }),
    }),
  );

  app.get<{ Querystring: SearchQuerystring }>(
    '/kosodate/services',
    {
      schema: {
        tags: ['kosodate'],
        summary: '子育てワンストップ: search services by municipality, category and keyword',
        description:
          'Every white-space separated keyword must occur (NFKC, case and katakana/hiragana folded) in the title, ' +
          'summary, description, municipality, category or readings. Services whose title matches come first.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            municipalityCode: { type: 'string', pattern: '^[0-9]{6}$', description: '全国地方公共団体コード' },
            category: { type: 'string', enum: CATEGORIES.map((c) => c.key), description: '分野' },
            keyword: { type: 'string', maxLength: SEARCH_LIMITS.maxKeywordLength, description: 'キーワード' },
            onlineOnly: { type: 'string', enum: ['true', 'false'], description: 'オンライン申請できるものだけ' },
            page: { type: 'integer', minimum: 1, maximum: 10_000, default: 1 },
            pageSize: { type: 'integer', minimum: 1, maximum: SEARCH_LIMITS.maxPageSize, default: 20 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: [...pagingRequired],
            properties: { ...pagingProperties, items: { type: 'array', items: serviceSummarySchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const r = searchServices({
        municipalityCode: q.municipalityCode,
        category: q.category,
        keyword: q.keyword,
        onlineOnly: q.onlineOnly === 'true',
        page: q.page,
        pageSize: q.pageSize,
      });
      return {
        items: r.items.map(summary),
        page: r.page,
        pageSize: r.pageSize,
        total: r.total,
        totalPages: Math.ceil(r.total / r.pageSize),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/kosodate/services/:id',
    {
      schema: {
        tags: ['kosodate'],
        summary: '子育てワンストップ: one service page',
        params: idParam,
        response: { 200: serviceDetailSchema, ...problemResponses },
      },
    },
    async (request) => {
      const s = getService(request.params.id);
      if (!s) throw problem('KOSODATE_SERVICE_NOT_FOUND', `no service ${request.params.id}`);
      return {
        ...summary(s),
        description: s.description,
        requiredDocuments: [...s.requiredDocuments],
        contact: { ...s.contact },
      };
    },
  );

  app.get<{ Params: { procedureId: string } }>(
    '/kosodate/procedures/:procedureId/form',
    {
      schema: {
        tags: ['kosodate'],
        summary: '子育てワンストップ: the form of an online procedure (schema, UI, card-fill marks, attachments)',
        params: {
          type: 'object',
          required: ['procedureId'],
          additionalProperties: false,
          properties: { procedureId: { type: 'string', maxLength: 64, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' } },
        },
        response: { 200: formSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { procedureId } = request.params;
      const def = getForm(procedureId);
      if (!def) {
        throw problem('PROCEDURE_NOT_FOUND', `no online procedure ${procedureId} (known: ${PROCEDURE_IDS.join(', ')})`);
      }
      return {
        procedureId: def.procedureId,
        version: def.version,
        title: def.title,
        schema: def.schema,
        fields: def.fields,
        attachments: def.attachments,
        cardFill: cardFillTargets(def).map((t) => ({ ...t, ...CARD_FILL_RULES[t.cardFill] })),
        municipalities: SERVICES.filter((s) => s.onlineApplication?.procedureId === procedureId).map((s) => ({
          ...municipalityOf(s.municipalityCode),
          serviceId: s.id,
        })),
        submission: { method: 'POST', url: '/api/v1/me/applications', mediaType: APPLICATION_PACKAGE_MEDIA_TYPE },
      };
    },
  );
}
