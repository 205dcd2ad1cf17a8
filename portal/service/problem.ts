/**
 * Problem documents (RFC 9457, `application/problem+json`): every error the portal returns is
 * `{type, title, status, detail, code}` with a stable `code` from the catalogue below, plus a
 * Japanese title and, where useful, extension members (`errors`, `failures`, `retryAfter`).
 * Clients branch on `code`, never on the English text.
 */

export interface ProblemSpec {
  status: number;
  title: string;
  titleJa: string;
}

/** The catalogue: one entry per stable code. Adding a code is fine; renaming one breaks clients. */
export const PROBLEMS = {
  // ---- request shape
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid', titleJa: 'リクエストの内容が正しくありません' },
  MALFORMED_JSON: {
    status: 400,
    title: 'The body is not valid JSON',
    titleJa: 'リクエスト本文がJSONとして正しくありません',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'This content type is not accepted',
    titleJa: 'この形式の本文は受け付けられません',
  },
  BODY_TOO_LARGE: { status: 413, title: 'The body is too large', titleJa: 'リクエスト本文が大きすぎます' },
  BAD_REQUEST: { status: 400, title: 'The request cannot be processed', titleJa: 'リクエストを処理できません' },
  NOT_FOUND: { status: 404, title: 'No such resource', titleJa: '指定されたページ・APIはありません' },
  // ---- sessions and origins
  UNAUTHENTICATED: { status: 401, title: 'Login required', titleJa: 'ログインが必要です' },
  SESSION_EXPIRED: {
    status: 401,
    title: 'The session has expired',
    titleJa: '一定時間操作がなかったため、ログインの有効期限が切れました',
  },
  ORIGIN_FORBIDDEN: {
    status: 403,
    title: 'Requests from this origin are not allowed',
    titleJa: 'このサイトからの操作は受け付けられません',
  },
  RATE_LIMITED: {
    status: 429,
    title: 'Too many requests',
    titleJa: 'リクエストが多すぎます。しばらくしてから再度お試しください',
  },
  // ---- login
  CHALLENGE_UNKNOWN: { status: 401, title: 'Unknown login challenge', titleJa: 'ログイン用のチャレンジが不明です' },
  CHALLENGE_EXPIRED: {
    status: 401,
    title: 'The login challenge has expired',
    titleJa: 'ログイン用のチャレンジの有効期限が切れました。もう一度ログインしてください',
  },
  CHALLENGE_ALREADY_USED: {
    status: 401,
    title: 'The login challenge has already been used',
    titleJa: 'このログイン用チャレンジは使用済みです',
  },
  CHALLENGE_ORIGIN_MISMATCH: {
    status: 401,
    title: 'The login challenge was issued for another origin',
    titleJa: 'このログイン用チャレンジは別のサイト向けに発行されたものです',
  },
  LOGIN_ASSERTION_MALFORMED: {
    status: 400,
    title: 'The login assertion cannot be read',
    titleJa: 'ログイン用の署名データを読み取れません',
  },
  LOGIN_SIGNATURE_INVALID: {
    status: 401,
    title: 'The login signature does not verify',
    titleJa: 'ログイン用の署名を検証できません（別サイト向けの署名、または改ざん）',
  },
  AUTH_CERTIFICATE_EXPIRED: {
    status: 401,
    title: 'The authentication certificate has expired or is not yet valid',
    titleJa: '利用者証明用電子証明書の有効期限が切れています。市区町村の窓口で更新してください',
  },
  AUTH_CERTIFICATE_REVOKED: {
    status: 401,
    title: 'The authentication certificate has been revoked',
    titleJa: '利用者証明用電子証明書は失効しています',
  },
  AUTH_CERTIFICATE_UNTRUSTED: {
    status: 401,
    title: 'The authentication certificate is not trusted',
    titleJa: '利用者証明用電子証明書を確認できません',
  },
  RESIDENT_UNKNOWN: {
    status: 401,
    title: 'No resident is registered for this certificate',
    titleJa: 'この電子証明書で利用者登録がされていません',
  },
  // ---- resources
  EXCHANGE_NOT_FOUND: { status: 404, title: 'No such exchange record', titleJa: '該当するやりとり履歴はありません' },
  SELF_INFO_CATEGORY_NOT_FOUND: {
    status: 404,
    title: 'No such self-information category',
    titleJa: '該当する情報の分類はありません',
  },
  NOTICE_NOT_FOUND: { status: 404, title: 'No such notice', titleJa: '該当するお知らせはありません' },
  PAYMENT_NOT_FOUND: { status: 404, title: 'No such payment', titleJa: '該当する決済はありません' },
  EMAIL_REQUIRED: {
    status: 422,
    title: 'Login notification needs an e-mail address',
    titleJa: 'ログイン通知にはメールアドレスの登録が必要です',
  },
  // ---- payments
  IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    title: 'An Idempotency-Key header is required',
    titleJa: 'Idempotency-Key ヘッダーが必要です',
  },
  IDEMPOTENCY_KEY_CONFLICT: {
    status: 422,
    title: 'This Idempotency-Key was used for a different request',
    titleJa: 'この Idempotency-Key は別の内容のリクエストで使用済みです',
  },
  NOTICE_NOT_PAYABLE: {
    status: 409,
    title: 'This notice has nothing to pay',
    titleJa: 'このお知らせに納付すべき金額はありません',
  },
  NOTICE_ALREADY_PAID: {
    status: 409,
    title: 'This notice has already been paid',
    titleJa: 'このお知らせは納付済みです',
  },
  CARD_NUMBER_INVALID: { status: 422, title: 'The card number is not valid', titleJa: 'カード番号が正しくありません' },
  CARD_EXPIRED: { status: 422, title: 'The card has expired', titleJa: 'カードの有効期限が切れています' },
  PAYMENT_DECLINED: {
    status: 402,
    title: 'The payment was declined',
    titleJa: 'カード会社により決済が承認されませんでした',
  },
  // ---- 子育てワンストップ: services, forms, application intake
  KOSODATE_SERVICE_NOT_FOUND: {
    status: 404,
    title: 'No such 子育てワンストップ service',
    titleJa: '該当する子育て関連サービスはありません',
  },
  PROCEDURE_NOT_FOUND: {
    status: 404,
    title: 'No online procedure with this id',
    titleJa: '該当するオンライン申請の手続はありません',
  },
  PACKAGE_INVALID: {
    status: 422,
    title: 'The signed application package does not verify',
    titleJa: '申請データ（電子署名付き）の検証に失敗しました',
  },
  SIGNER_NOT_RESIDENT: {
    status: 403,
    title: 'The package is not signed with your signature certificate',
    titleJa: 'この申請データはログイン中の方の署名用電子証明書で署名されていません',
  },
  PROCEDURE_NOT_AVAILABLE: {
    status: 422,
    title: 'This municipality does not take this procedure online',
    titleJa: 'この市区町村では、この手続のオンライン申請を受け付けていません',
  },
  APPLICATION_FORM_INVALID: {
    status: 422,
    title: 'The application form or its attachments are not valid',
    titleJa: '申請内容または添付書類に誤りがあります',
  },
  APPLICATION_NOT_FOUND: { status: 404, title: 'No such application', titleJa: '該当する申請はありません' },
  APPLICATION_STATUS_CONFLICT: {
    status: 409,
    title: 'This status change is not allowed',
    titleJa: 'この申請の状況は変更できません',
  },
  ADMIN_UNAUTHORIZED: {
    status: 401,
    title: 'Administrator token required',
    titleJa: '管理用トークンが必要です',
  },
  // ---- 民間送達サービスとの連携 (webhooks) and the notice hook
  DELIVERY_LINK_NOT_FOUND: {
    status: 404,
    title: 'No such delivery-service link',
    titleJa: '該当する民間送達サービスとの連携はありません',
  },
  DELIVERY_ENDPOINT_INVALID: {
    status: 400,
    title: 'The delivery endpoint is not acceptable',
    titleJa: '送達先URLが正しくないか、使用できないURLです（https のURLを指定してください）',
  },
  DELIVERY_LINK_LIMIT: {
    status: 409,
    title: 'Too many delivery-service links',
    titleJa: '連携できる民間送達サービスの数の上限に達しています',
  },
  REFERENCE_UNKNOWN: {
    status: 422,
    title: 'The request refers to something that does not exist',
    titleJa: '指定された利用者・機関などが存在しません',
  },
  // ---- もっとつながる
  MOTTO_SITE_NOT_FOUND: {
    status: 404,
    title: 'No such linked site',
    titleJa: '該当する連携サイトはありません',
  },
  // ---- the server
  SERVICE_NOT_READY: {
    status: 503,
    title: 'The portal is not ready',
    titleJa: 'ポータルの準備ができていません',
  },
  INTERNAL_ERROR: {
    status: 500,
    title: 'Internal error',
    titleJa: 'ポータル内部でエラーが発生しました。しばらくしてから再度お試しください',
  },
} as const satisfies Record<string, ProblemSpec>;

export type ProblemCode = keyof typeof PROBLEMS;

export const PROBLEM_CODES = Object.keys(PROBLEMS) as ProblemCode[];

export const problemType = (code: ProblemCode | string) => `/api/v1/problems/${code}`;

export interface ValidationIssue {
  /** body, querystring, params or headers — or manifest (APPLICATION_FORM_INVALID). */
  in: string;
  /** JSON Pointer into that part ('' for the part itself). */
  path: string;
  message: string;
  /** APPLICATION_FORM_INVALID: the validator's issue code (e.g. required, my-number). */
  code?: string;
  messageJa?: string;
}

export interface ProblemFailure {
  check: string;
  message: string;
  messageJa: string;
}

export interface ProblemExtensions {
  detailJa?: string;
  errors?: ValidationIssue[];
  failures?: ProblemFailure[];
  retryAfter?: number;
  /** PACKAGE_INVALID when the archive itself is broken: the ZIP reader's code. */
  packageErrorCode?: string;
}

export interface ProblemDocument extends ProblemExtensions {
  type: string;
  title: string;
  titleJa: string;
  status: number;
  detail: string;
  code: string;
}

/** Thrown by handlers and hooks; the error handler turns it into its document. */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly statusCode: number;
  readonly extensions: ProblemExtensions;

  constructor(code: ProblemCode, detail?: string, extensions: ProblemExtensions = {}) {
    super(detail ?? PROBLEMS[code].title);
    this.name = 'ProblemError';
    this.code = code;
    this.statusCode = PROBLEMS[code].status;
    this.extensions = extensions;
  }

  toDocument(): ProblemDocument {
    const spec = PROBLEMS[this.code];
    return {
      type: problemType(this.code),
      title: spec.title,
      titleJa: spec.titleJa,
      status: spec.status,
      detail: this.message,
      code: this.code,
      ...this.extensions,
    };
  }
}

export const problem = (code: ProblemCode, detail?: string, extensions?: ProblemExtensions) =>
  new ProblemError(code, detail, extensions);

/** `$id` of the shared schema; routes reference it as `{ $ref: 'Problem#' }`. */
export const PROBLEM_SCHEMA_ID = 'Problem';

export const problemSchema = {
  $id: PROBLEM_SCHEMA_ID,
  type: 'object',
  description:
    'RFC 9457 problem document (application/problem+json). `code` is stable and is what clients branch on; ' +
    '`title`/`detail` are English, `titleJa`/`detailJa` Japanese.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', description: 'URI reference of the problem type: /api/v1/problems/{code}' },
    title: { type: 'string' },
    titleJa: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    detailJa: { type: 'string' },
    code: { type: 'string', enum: PROBLEM_CODES },
    errors: {
      type: 'array',
      description: 'VALIDATION_FAILED, APPLICATION_FORM_INVALID: what is wrong, where',
      items: {
        type: 'object',
        required: ['in', 'path', 'message'],
        properties: {
          in: { type: 'string' },
          path: { type: 'string' },
          message: { type: 'string' },
          code: { type: 'string' },
          messageJa: { type: 'string' },
        },
      },
    },
    failures: {
      type: 'array',
      description: 'Login and PACKAGE_INVALID failures: the verifier checks that failed',
      items: {
        type: 'object',
        required: ['check', 'message', 'messageJa'],
        properties: { check: { type: 'string' }, message: { type: 'string' }, messageJa: { type: 'string' } },
      },
    },
    retryAfter: { type: 'integer', description: 'RATE_LIMITED: seconds to wait' },
    packageErrorCode: { type: 'string', description: 'PACKAGE_INVALID: why the archive cannot be read' },
  },
} as const;

const problemContent = { 'application/problem+json': { schema: { $ref: `${PROBLEM_SCHEMA_ID}#` } } } as const;

/** The `response` entries every route declares for its errors (served as application/problem+json). */
export const problemResponses = {
  '4xx': { description: 'Client error: a problem document with a stable `code`', content: problemContent },
  '5xx': { description: 'Server error: a problem document (never a stack trace)', content: problemContent },
} as const;
