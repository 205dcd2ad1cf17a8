/**
 * The Fastify application: plugins (cookies, CORS limited to the app's origins, rate limits,
 * OpenAPI), strict validation, problem documents for every error, and the route modules —
 * public ones under /api/v1 and resident ones under /api/v1/me behind the session hook.
 *
 * To add a function (the intake, delivery and もっとつながる rounds): write a RouteModule and
 * append it to PUBLIC_ROUTES or RESIDENT_ROUTES (or pass it in `modules`); a resident module is
 * authenticated by construction, and its schemas land in the OpenAPI document by themselves.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyServerOptions,
  type preValidationHookHandler,
  type RouteOptions,
} from 'fastify';
import type { PortalContext, RegisteredRoute } from './context.ts';
import { type ProblemDocument, ProblemError, problem, problemSchema, type ValidationIssue } from './problem.ts';
import { applicationAdminRoutes, applicationRoutes } from './routes/applications.ts';
import { authRoutes } from './routes/auth.ts';
import { deliveryAdminRoutes, deliveryRoutes } from './routes/delivery.ts';
import { exchangeRoutes } from './routes/exchanges.ts';
import { kosodateRoutes } from './routes/kosodate.ts';
import { meRoutes } from './routes/me.ts';
import { metaRoutes } from './routes/meta.ts';
import { mottoPublicRoutes, mottoRoutes } from './routes/motto.ts';
import { noticeRoutes } from './routes/notices.ts';
import { paymentRoutes } from './routes/payments.ts';
import { selfInfoRoutes } from './routes/self-info.ts';
import { SESSION_SECURITY } from './schemas.ts';
import { requireSession, SESSION_COOKIE } from './session.ts';

/** Registers routes on the instance it is given (paths relative to its prefix). */
export type RouteModule = (app: FastifyInstance) => void | Promise<void>;

/** Under /api/v1, no session needed. */
export const PUBLIC_ROUTES: RouteModule[] = [
  metaRoutes,
  authRoutes,
  kosodateRoutes,
  applicationAdminRoutes,
  deliveryAdminRoutes,
  mottoPublicRoutes,
];
/** Under /api/v1/me, every route behind the session hook. */
export const RESIDENT_ROUTES: RouteModule[] = [
  meRoutes,
  exchangeRoutes,
  selfInfoRoutes,
  noticeRoutes,
  paymentRoutes,
  applicationRoutes,
  deliveryRoutes,
  mottoRoutes,
];

export const API_PREFIX = '/api/v1';
export const ME_PREFIX = '/api/v1/me';

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  https?: { key: string | Buffer; cert: string | Buffer } | undefined;
  trustProxy?: boolean;
  modules?: { public?: RouteModule[]; resident?: RouteModule[] };
  version?: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Fastify-internal error codes that are the client's fault, mapped to ours. */
function toProblem(error: FastifyError & { validationContext?: string }): ProblemDocument {
  if (error instanceof ProblemError) return error.toDocument();
  if (error.validation) {
    const where = error.validationContext ?? 'body';
    const errors: ValidationIssue[] = error.validation.map((v) => {
      const params = v.params as Record<string, unknown>;
      const missing = typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : '';
      const extra = typeof params.additionalProperty === 'string' ? `/${params.additionalProperty}` : '';
      return { in: where, path: `${v.instancePath}${missing || extra}`, message: v.message ?? 'is not valid' };
    });
    if (where === 'headers' && errors.some((e) => e.path.includes('idempotency-key'))) {
      return problem(
        'IDEMPOTENCY_KEY_REQUIRED',
        'send an Idempotency-Key header: 8–128 characters of A–Z a–z 0–9 . _ : ~ + / = -',
        { errors },
      ).toDocument();
    }
    return problem(
      'VALIDATION_FAILED',
      `${where}: ${errors.map((e) => `${e.path || '(root)'} ${e.message}`).join('; ')}`,
      {
        errors,
      },
    ).toDocument();
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem('MALFORMED_JSON', 'the body is not valid JSON (or uses __proto__/constructor keys)').toDocument();
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('MALFORMED_JSON', 'the body is empty but Content-Type says application/json').toDocument();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('BODY_TOO_LARGE', 'the body exceeds the limit for this route').toDocument();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json').toDocument();
  }
  const status = error.statusCode ?? 500;
  if (status === 404) return problem('NOT_FOUND').toDocument();
  if (status >= 400 && status < 500) {
    return { ...problem('BAD_REQUEST', error.message).toDocument(), status };
  }
  return problem('INTERNAL_ERROR', 'the request failed inside the portal; it has been logged').toDocument();
}

/**
 * Query strings arrive as text; bodies are validated without coercion. So convert exactly the
 * query members a route declares as integer/number, and nothing else.
 */
function queryCoercion(route: RouteOptions): void {
  const qs = route.schema?.querystring as { properties?: Record<string, { type?: unknown }> } | undefined;
  const numeric = Object.entries(qs?.properties ?? {})
    .filter(([, s]) => s.type === 'integer' || s.type === 'number')
    .map(([k]) => k);
  if (numeric.length === 0) return;
  const hook: preValidationHookHandler = (request, _reply, done) => {
    const q = request.query as Record<string, unknown>;
    for (const k of numeric) {
      const v = q[k];
      if (typeof v === 'string' && /^-?\d{1,15}(\.\d{1,15})?$/.test(v)) q[k] = Number(v);
    }
    done();
  };
  const existing = route.preValidation;
  route.preValidation = existing === undefined ? [hook] : [...(Array.isArray(existing) ? existing : [existing]), hook];
}

export async function buildApp(ctx: PortalContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: true, allErrors: false } },
    ...(options.https ? { https: options.https } : {}),
  }) as unknown as FastifyInstance;

  app.decorate('portal', ctx);
  app.decorateRequest('auth', null);
  app.addSchema(problemSchema);

  // Only JSON bodies (package uploads add their own parser in their module). An empty body
  // labelled JSON counts as no body, so body-less POSTs (challenge, logout, read) work however
  // the client labels them; routes that need a body then fail validation.
  app.removeContentTypeParser('text/plain');
  const strictJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') done(null, undefined);
    else strictJson(request, body as string, done);
  });

  const registered: RegisteredRoute[] = [];
  app.decorate('portalRoutes', registered);
  app.addHook('onRoute', (route) => {
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      registered.push({ method, url: route.url, hidden: route.schema?.hide === true });
    }
    queryCoercion(route);
    if (route.url.startsWith(ME_PREFIX)) {
      route.schema = { ...route.schema, security: SESSION_SECURITY } as RouteOptions['schema'];
    }
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Myna Companion reference portal API',
        version: options.version ?? '1.0.0',
        description:
          'The API of the reference マイナポータル service: ログイン with the card, やりとり履歴, 自己情報表示, ' +
          'お知らせ, 公金決済 (sandbox). Errors are application/problem+json with a stable `code`. ' +
          'JSON keys are ASCII; each schema description gives the Japanese field name it carries.',
      },
      components: {
        securitySchemes: {
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'Set by POST /api/v1/auth/login; HttpOnly, SameSite=Strict, Path=/api/v1',
          },
        },
      },
      tags: [
        { name: 'meta', description: 'サービス情報' },
        { name: 'auth', description: 'ログイン・ログアウト' },
        { name: 'me', description: '利用者情報・操作履歴' },
        { name: 'exchanges', description: 'やりとり履歴（情報提供等記録表示）' },
        { name: 'self-info', description: '自己情報表示（あなたの情報）' },
        { name: 'notices', description: 'お知らせ' },
        { name: 'payments', description: '公金決済サービス（サンドボックス）' },
        { name: 'kosodate', description: '子育てワンストップサービス（サービス検索・申請フォーム）' },
        { name: 'applications', description: '電子申請（署名付き申請データの受付・申請状況）' },
        { name: 'delivery', description: '民間送達サービスとの連携（署名付きWebhookによるお知らせの送達）' },
        { name: 'motto', description: 'もっとつながる（外部サイトへのログイン連携）' },
        { name: 'admin', description: '管理用（adminToken を設定したときのみ）' },
      ],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });

  await app.register(fastifyCookie);
  await app.register(fastifyCors, {
    origin: (origin, cb) => cb(null, origin !== undefined && ctx.config.appOrigins.includes(origin)),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'Idempotency-Key'],
    exposedHeaders: ['Location', 'Retry-After', 'Idempotent-Replayed'],
    maxAge: 600,
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, c) =>
      problem('RATE_LIMITED', `at most ${c.max} requests per ${c.after}; retry later`, {
        retryAfter: Math.max(1, Math.ceil(c.ttl / 1000)),
      }),
  });

  // CSRF defence in depth (SameSite=Strict is the first line): a state-changing request that
  // says where it comes from must come from the app or the portal itself.
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin === undefined) return;
    const allowed = [...ctx.config.appOrigins, ctx.config.expectedOrigin];
    if (!allowed.includes(origin)) {
      throw problem('ORIGIN_FORBIDDEN', `requests from ${JSON.stringify(origin)} may not change anything here`);
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const doc = toProblem(error);
    if (doc.status >= 500) request.log.error({ err: error }, 'request failed');
    if (doc.code === 'RATE_LIMITED' && doc.retryAfter) reply.header('retry-after', String(doc.retryAfter));
    reply.code(doc.status).type('application/problem+json').send(doc);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    reply
      .code(404)
      .type('application/problem+json')
      .send(problem('NOT_FOUND', `no route for ${request.method} ${path}`).toDocument());
  });

  const publicModules = [...PUBLIC_ROUTES, ...(options.modules?.public ?? [])];
  const residentModules = [...RESIDENT_ROUTES, ...(options.modules?.resident ?? [])];
  await app.register(
    async (api) => {
      for (const m of publicModules) await m(api);
    },
    { prefix: API_PREFIX },
  );
  await app.register(
    async (me) => {
      me.addHook('onRequest', requireSession);
      for (const m of residentModules) await m(me);
    },
    { prefix: ME_PREFIX },
  );
  return app;
}
