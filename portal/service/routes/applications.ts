import type { FastifyInstance } from 'fastify';
import { writeTx } from '../../db/database.ts';
import {
  APPLICATION_PACKAGE_MEDIA_TYPE,
  APPLICATION_STATUSES,
  type ApplicationRow,
  type ApplicationStatus,
  canTransition,
  listApplications,
  loadApplication,
  loadApplicationById,
  municipalityName,
  procedureTitle,
  RECEIPT_NUMBER_PATTERN,
  recordStatusChange,
  STATUS_LABELS,
  type StoredVerification,
  statusHistory,
  submitApplication,
} from '../../intake/index.ts';
import type { Manifest } from '../../verify/manifest.ts';
import { requireAdmin } from '../admin-auth.ts';
import { authOf } from '../context.ts';
import { IDEMPOTENCY_HEADER, idempotencyHeaderSchema } from '../idempotency.ts';
import { problem, problemResponses } from '../problem.ts';
import { idParam, nullable, paged, pagingProperties, pagingQuery, pagingRequired, timestamp } from '../schemas.ts';

// ---------------------------------------------------------------- schemas

const statusSchema = {
  type: 'string',
  enum: [...APPLICATION_STATUSES],
  description: '申請状況: received = 受付済, under-review = 審査中, completed = 完了, returned = 差戻し',
} as const;

const checksSchema = {
  type: 'array',
  description: 'Every verification check with its outcome (revocation may be not-checked without a CRL)',
  items: {
    type: 'object',
    required: ['check', 'status', 'detail'],
    properties: {
      check: { type: 'string' },
      status: { type: 'string', enum: ['pass', 'fail', 'not-checked'] },
      detail: { type: 'string' },
    },
  },
} as const;

const issueSchema = {
  type: 'object',
  required: ['path', 'code', 'message', 'messageJa'],
  properties: {
    path: { type: 'string', description: 'JSON Pointer into the manifest' },
    code: { type: 'string' },
    message: { type: 'string' },
    messageJa: { type: 'string' },
  },
} as const;

const refs = {
  procedure: {
    type: 'object',
    required: ['id', 'title'],
    properties: { id: { type: 'string' }, title: { type: 'string', description: '手続名' } },
  },
  municipality: {
    type: 'object',
    required: ['code', 'name'],
    properties: { code: { type: 'string', description: '全国地方公共団体コード' }, name: { type: 'string' } },
  },
} as const;

const receiptSchema = {
  type: 'object',
  required: [
    'applicationId',
    'receiptNumber',
    'status',
    'statusLabel',
    'receivedAt',
    'procedure',
    'municipality',
    'verification',
    'warnings',
  ],
  properties: {
    applicationId: { type: 'string' },
    receiptNumber: { type: 'string', pattern: RECEIPT_NUMBER_PATTERN, description: '受付番号 (e.g. R8-131016-000123)' },
    status: statusSchema,
    statusLabel: { type: 'string', description: '申請状況（日本語）' },
    receivedAt: timestamp('受付日時'),
    procedure: refs.procedure,
    municipality: refs.municipality,
    verification: {
      type: 'object',
      required: ['valid', 'checks'],
      description: 'The result of verifying the package on receipt',
      properties: { valid: { type: 'boolean' }, checks: checksSchema },
    },
    warnings: { type: 'array', items: issueSchema, description: 'Form warnings (never blocking), e.g. JIS X 0208' },
  },
} as const;

const listItemProperties = {
  id: { type: 'string' },
  receiptNumber: { type: 'string', description: '受付番号' },
  status: statusSchema,
  statusLabel: { type: 'string', description: '申請状況（日本語）' },
  procedure: refs.procedure,
  municipality: refs.municipality,
  receivedAt: timestamp('受付日時'),
  updatedAt: timestamp('状況の更新日時'),
  demo: { type: 'boolean', description: 'A seeded demo record: never submitted, no package, no verification' },
} as const;
const listItemRequired = Object.keys(listItemProperties);

const historySchema = {
  type: 'array',
  description: '状況の履歴, oldest first',
  items: {
    type: 'object',
    required: ['from', 'to', 'toLabel', 'at', 'actor', 'note'],
    properties: {
      from: nullable(statusSchema),
      to: statusSchema,
      toLabel: { type: 'string' },
      at: timestamp('変更日時'),
      actor: { type: 'string', enum: ['resident', 'admin', 'seed'] },
      note: { type: ['string', 'null'], description: '連絡事項（差戻しの理由など）' },
    },
  },
} as const;

const detailSchema = {
  type: 'object',
  required: [...listItemRequired, 'manifest', 'attachments', 'package', 'verification', 'warnings', 'history'],
  properties: {
    ...listItemProperties,
    manifest: {
      type: 'object',
      required: ['sha256', 'format', 'version', 'applicantName'],
      description: 'The signed manifest, summarised',
      properties: {
        sha256: { type: 'string', description: 'SHA-256 of manifest.json (what the resident confirmed)' },
        format: { type: 'string' },
        version: { type: 'integer' },
        applicantName: { type: ['string', 'null'], description: '申請者氏名 (form.applicant.name)' },
      },
    },
    attachments: {
      type: 'array',
      description: '添付書類 as listed in the signed manifest',
      items: {
        type: 'object',
        required: ['name', 'mediaType', 'size', 'sha256'],
        properties: {
          name: { type: 'string' },
          mediaType: { type: 'string' },
          size: { type: 'integer' },
          sha256: { type: 'string' },
        },
      },
    },
    package: {
      type: 'object',
      required: ['stored', 'size', 'sha256'],
      properties: {
        stored: { type: 'boolean', description: 'False only for seeded demo records' },
        size: { type: ['integer', 'null'] },
        sha256: { type: ['string', 'null'] },
      },
    },
    verification: nullable(
      {
        type: 'object',
        required: ['valid', 'verifiedAt', 'signingTime', 'signer', 'checks'],
        properties: {
          valid: { type: 'boolean' },
          verifiedAt: timestamp('検証日時'),
          signingTime: { type: ['string', 'null'], description: '署名日時 (asserted by the signer)' },
          signer: {
            type: 'object',
            required: ['subject', 'issuer', 'serialNumber', 'notBefore', 'notAfter'],
            properties: {
              subject: { type: 'string' },
              issuer: { type: 'string' },
              serialNumber: { type: 'string' },
              notBefore: { type: 'string' },
              notAfter: { type: 'string' },
              name: { type: 'string', description: '署名者の氏名 (from the certificate)' },
            },
          },
          checks: checksSchema,
        },
      },
      'The verification on receipt; null for seeded demo records',
    ),
    warnings: { type: 'array', items: issueSchema },
    history: historySchema,
  },
} as const;

// ---------------------------------------------------------------- views

function listItem(a: ApplicationRow) {
  return {
    id: a.id,
    receiptNumber: a.receipt_number,
    status: a.status,
    statusLabel: STATUS_LABELS[a.status].ja,
    procedure: { id: a.procedure_id, title: procedureTitle(a.procedure_id) },
    municipality: { code: a.municipality_code, name: municipalityName(a.municipality_code) },
    receivedAt: a.received_at,
    updatedAt: a.updated_at,
    demo: a.demo === 1,
  };
}

const verificationOf = (a: ApplicationRow) =>
  a.verification === null ? null : (JSON.parse(a.verification) as StoredVerification);

function receipt(a: ApplicationRow) {
  const v = verificationOf(a);
  return {
    applicationId: a.id,
    receiptNumber: a.receipt_number,
    status: a.status,
    statusLabel: STATUS_LABELS[a.status].ja,
    receivedAt: a.received_at,
    procedure: { id: a.procedure_id, title: procedureTitle(a.procedure_id) },
    municipality: { code: a.municipality_code, name: municipalityName(a.municipality_code) },
    verification: { valid: v?.valid ?? false, checks: v?.checks ?? [] },
    warnings: JSON.parse(a.form_warnings),
  };
}

function history(db: ApplicationsDb, id: string) {
  return statusHistory(db, id).map((h) => ({
    from: h.from_status,
    to: h.to_status,
    toLabel: STATUS_LABELS[h.to_status].ja,
    at: h.changed_at,
    actor: h.actor,
    note: h.note,
  }));
}

type ApplicationsDb = FastifyInstance['portal']['db'];

function detail(db: ApplicationsDb, a: ApplicationRow) {
  const manifest = JSON.parse(a.manifest) as Manifest;
  const applicant = (manifest.form as { applicant?: { name?: unknown } }).applicant;
  const v = verificationOf(a);
  return {
    ...listItem(a),
    manifest: {
      sha256: a.manifest_sha256,
      format: manifest.format,
      version: manifest.version,
      applicantName: typeof applicant?.name === 'string' ? applicant.name : null,
    },
    attachments: manifest.attachments.map((x) => ({
      name: x.name,
      mediaType: x.mediaType,
      size: x.size,
      sha256: x.sha256,
    })),
    package: { stored: a.package_stored === 1, size: a.package_size, sha256: a.package_sha256 },
    verification:
      v === null
        ? null
        : {
            valid: v.valid,
            verifiedAt: v.verifiedAt,
            signingTime: v.signingTime ?? null,
            signer: v.signer ?? {
              subject: '',
              issuer: a.signer_issuer,
              serialNumber: a.signer_serial,
              notBefore: '',
              notAfter: '',
            },
            checks: v.checks,
          },
    warnings: JSON.parse(a.form_warnings),
    history: history(db, a.id),
  };
}

// ---------------------------------------------------------------- resident routes (/api/v1/me)

export async function applicationRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.portal;

  // Own scope: the package body parser (and the refusal of every other body type) applies to
  // these routes only.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      APPLICATION_PACKAGE_MEDIA_TYPE,
      { parseAs: 'buffer', bodyLimit: ctx.config.packageBodyLimit },
      (_request, body, done) => done(null, body),
    );
    scope.addContentTypeParser('*', (request, _payload, done) => {
      done(
        problem(
          'UNSUPPORTED_MEDIA_TYPE',
          `send the signed package as ${APPLICATION_PACKAGE_MEDIA_TYPE} (got ${request.headers['content-type'] ?? 'no type'})`,
        ),
      );
    });

    scope.post<{ Headers: { 'idempotency-key': string }; Body: Buffer | undefined }>(
      '/applications',
      {
        bodyLimit: ctx.config.packageBodyLimit,
        config: { rateLimit: ctx.config.rateLimits.submission },
        schema: {
          tags: ['applications'],
          summary: '電子申請: submit a signed application package; idempotent per Idempotency-Key',
          description:
            `The body is the .mynapkg bytes (${APPLICATION_PACKAGE_MEDIA_TYPE}, README "Application package ` +
            'format"). Checked in this order: the package verifies (422 PACKAGE_INVALID with the failed checks), ' +
            'the signer certificate is your registered sign certificate (403 SIGNER_NOT_RESIDENT), the ' +
            'municipality takes the procedure online (422 PROCEDURE_NOT_AVAILABLE), the form and attachments are ' +
            'valid (422 APPLICATION_FORM_INVALID with paths into the manifest). Then 201 with the 受付番号. ' +
            'A refused package is not stored. The same Idempotency-Key with the same bytes → 200 with the same ' +
            'receipt (header Idempotent-Replayed: true); with other bytes → 422 IDEMPOTENCY_KEY_CONFLICT. ' +
            '413 above the size limit, 415 for any other content type.',
          headers: idempotencyHeaderSchema,
          body: {
            content: {
              [APPLICATION_PACKAGE_MEDIA_TYPE]: {
                schema: { description: 'The signed application package (ZIP, README "Application package format")' },
              },
            },
          },
          response: { 200: receiptSchema, 201: receiptSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const body = request.body;
        if (!Buffer.isBuffer(body)) {
          throw problem('UNSUPPORTED_MEDIA_TYPE', `send the signed package as ${APPLICATION_PACKAGE_MEDIA_TYPE}`);
        }
        const outcome = await submitApplication(
          ctx,
          auth.residentId,
          request.headers[IDEMPOTENCY_HEADER],
          new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
        );
        const a = outcome.application;
        if (outcome.created) reply.code(201).header('location', `/api/v1/me/applications/${a.id}`);
        else reply.code(200).header('idempotent-replayed', 'true');
        return receipt(a);
      },
    );
  });

  app.get<{ Querystring: { status?: ApplicationStatus; page: number; pageSize: number } }>(
    '/applications',
    {
      schema: {
        tags: ['applications'],
        summary: '申請状況: the resident’s applications, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { status: statusSchema, ...pagingQuery },
        },
        response: {
          200: {
            type: 'object',
            required: [...pagingRequired],
            properties: {
              ...pagingProperties,
              items: {
                type: 'array',
                items: { type: 'object', required: listItemRequired, properties: listItemProperties },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { status, page, pageSize } = request.query;
      const { rows, total } = listApplications(ctx.db, authOf(request).residentId, { status, page, pageSize });
      return paged(rows.map(listItem), total, page, pageSize);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/applications/:id',
    {
      schema: {
        tags: ['applications'],
        summary: '申請の詳細: manifest summary, attachments, verification and status history',
        params: idParam,
        response: { 200: detailSchema, ...problemResponses },
      },
    },
    async (request) => {
      const a = loadApplication(ctx.db, authOf(request).residentId, request.params.id);
      if (!a) throw problem('APPLICATION_NOT_FOUND', `no application ${request.params.id} for this resident`);
      return detail(ctx.db, a);
    },
  );
}

// ---------------------------------------------------------------- administration (/api/v1/admin)

/**
 * Registered only when the portal has an `adminToken`: the municipality side of the workflow
 * (or a test) moves an application on — 受付済 → 審査中 → 完了 / 差戻し, nothing else (409).
 * `Authorization: Bearer <adminToken>`; every change lands in the status history.
 */
export async function applicationAdminRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.portal;
  if (ctx.config.adminToken === undefined) return;

  await app.register(async (admin) => {
    admin.addHook('onRequest', async (request) => requireAdmin(ctx, request));

    admin.post<{ Params: { id: string }; Body: { status: ApplicationStatus; note?: string } }>(
      '/admin/applications/:id/status',
      {
        schema: {
          tags: ['admin'],
          summary: 'Administration: move an application through 受付済 → 審査中 → 完了 / 差戻し',
          description:
            'Enabled only when the portal is started with an adminToken; `Authorization: Bearer <token>`. ' +
            'Allowed: received → under-review, under-review → completed | returned (a note is required for ' +
            'returned). Anything else is 409 APPLICATION_STATUS_CONFLICT.',
          params: idParam,
          headers: {
            type: 'object',
            required: ['authorization'],
            properties: { authorization: { type: 'string', description: 'Bearer <admin token>' } },
          },
          body: {
            type: 'object',
            required: ['status'],
            additionalProperties: false,
            properties: {
              status: { type: 'string', enum: ['under-review', 'completed', 'returned'] },
              note: { type: 'string', minLength: 1, maxLength: 500, description: '連絡事項（差戻しの理由など）' },
            },
            allOf: [
              {
                if: { properties: { status: { const: 'returned' } } },
                // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
                then: { required: ['note'] },
              },
            ],
          },
          response: {
            200: {
              type: 'object',
              required: ['id', 'receiptNumber', 'status', 'statusLabel', 'history'],
              properties: {
                id: { type: 'string' },
                receiptNumber: { type: 'string' },
                status: statusSchema,
                statusLabel: { type: 'string' },
                history: historySchema,
              },
            },
            ...problemResponses,
          },
        },
      },
      async (request) => {
        const { id } = request.params;
        const { status: to, note } = request.body;
        const a = writeTx(ctx.db, () => {
          const current = loadApplicationById(ctx.db, id);
          if (!current) throw problem('APPLICATION_NOT_FOUND', `no application ${id}`);
          if (!canTransition(current.status, to)) {
            throw problem(
              'APPLICATION_STATUS_CONFLICT',
              `an application that is ${current.status} cannot become ${to}`,
              { detailJa: `「${STATUS_LABELS[current.status].ja}」の申請を「${STATUS_LABELS[to].ja}」にはできません` },
            );
          }
          recordStatusChange(ctx.db, {
            id,
            from: current.status,
            to,
            at: ctx.now().toISOString(),
            actor: 'admin',
            note: note ?? null,
          });
          return loadApplicationById(ctx.db, id) as ApplicationRow;
        });
        return {
          id: a.id,
          receiptNumber: a.receipt_number,
          status: a.status,
          statusLabel: STATUS_LABELS[a.status].ja,
          history: history(ctx.db, a.id),
        };
      },
    );
  });
}
