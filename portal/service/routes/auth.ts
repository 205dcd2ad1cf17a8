/**
 * ログイン (DESIGN §4 "Login"): the portal issues a single-use, short-lived 32-byte challenge bound
 * to the origin it expects; the app's main process signs SHA-256(challenge ‖ UTF-8(origin)) with
 * the card's auth key; the portal verifies the assertion with portal/verify against the origin
 * IT expects (never one the client names), identifies the resident by the auth certificate's
 * (issuer, serial), opens a session, records the login in 操作履歴 and, if the resident asked
 * for it, queues a login-notification e-mail.
 *
 * The challenge is consumed before the signature is checked, so each challenge allows exactly
 * one attempt. Unknown, used, expired and foreign challenges, and undecodable assertions, are
 * refused without writing anything.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { writeTx } from '../../db/database.ts';
import { type LoginVerificationResult, verifyLoginAssertion } from '../../verify/index.ts';
import { queueEmail, recordActivity } from '../activity.ts';
import type { PortalContext } from '../context.ts';
import { type ProblemCode, problem, problemResponses } from '../problem.ts';
import { timestamp } from '../schemas.ts';
import { cookieOptions, createSession, endSession, lookupSession, pruneSessions, SESSION_COOKIE } from '../session.ts';
import {
  base64url,
  type CertificateIdentity,
  certificateIdentity,
  decodeBase64,
  jstDateTime,
  randomId,
} from '../util.ts';

interface ChallengeRow {
  id: string;
  challenge: Buffer;
  origin: string;
  expires_at: string;
  consumed_at: string | null;
}

interface LoginBody {
  challengeId: string;
  signature: string;
  authCertificate: string;
}

const B64 = '^[A-Za-z0-9+/_-]+={0,2}$';

const loginBody = {
  type: 'object',
  required: ['challengeId', 'signature', 'authCertificate'],
  additionalProperties: false,
  properties: {
    challengeId: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$', description: 'From POST /auth/challenge' },
    signature: {
      type: 'string',
      minLength: 16,
      maxLength: 1400,
      pattern: B64,
      description: 'RSA PKCS#1 v1.5 signature (SHA-256) over challenge ‖ UTF-8(origin), base64 or base64url',
    },
    authCertificate: {
      type: 'string',
      minLength: 64,
      maxLength: 16384,
      pattern: B64,
      description: '利用者証明用電子証明書 (DER), base64 or base64url',
    },
  },
} as const;

const residentSummary = {
  type: 'object',
  required: ['id', 'displayName'],
  properties: {
    id: { type: 'string' },
    displayName: { type: ['string', 'null'], description: '登録名 (null when registered from the certificate alone)' },
  },
} as const;

/** The first failing check decides the code; all failures are returned. */
function loginFailureCode(result: LoginVerificationResult): ProblemCode {
  const failed = new Set(result.failures.map((f) => f.check));
  if (failed.has('assertion-input') || failed.has('certificate')) return 'LOGIN_ASSERTION_MALFORMED';
  if (failed.has('revocation')) return 'AUTH_CERTIFICATE_REVOKED';
  if (failed.has('validity')) return 'AUTH_CERTIFICATE_EXPIRED';
  if (failed.has('chain') || failed.has('policy') || failed.has('key-usage')) return 'AUTH_CERTIFICATE_UNTRUSTED';
  if (failed.has('signature')) return 'LOGIN_SIGNATURE_INVALID';
  return 'AUTH_CERTIFICATE_UNTRUSTED';
}

interface ResidentRow {
  id: string;
  display_name: string | null;
  email: string | null;
  login_notification: number;
}

function findResidentByCertificate(ctx: PortalContext, id: CertificateIdentity): ResidentRow | undefined {
  return ctx.db
    .prepare(
      `SELECT r.id, r.display_name, r.email, r.login_notification
         FROM resident_certificates c JOIN residents r ON r.id = c.resident_id
        WHERE c.issuer = ? AND c.serial_number = ? AND c.kind = 'auth'`,
    )
    .get(id.issuer, id.serialNumber) as ResidentRow | undefined;
}

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.portal;

  app.post(
    '/auth/challenge',
    {
      config: { rateLimit: ctx.config.rateLimits.challenge },
      schema: {
        tags: ['auth'],
        summary: 'Issue a login challenge (single use, short-lived)',
        description:
          'The app signs SHA-256(challenge ‖ UTF-8(origin)) with the auth key, where origin is the portal origin ' +
          'the app is configured for. The portal accepts only its own expected origin.',
        response: {
          201: {
            type: 'object',
            required: ['challengeId', 'challenge', 'expiresAt'],
            properties: {
              challengeId: { type: 'string' },
              challenge: { type: 'string', description: '32 random bytes, base64url' },
              expiresAt: timestamp('After this instant the challenge is refused'),
            },
          },
          ...problemResponses,
        },
      },
    },
    async (_request, reply) => {
      const origin = ctx.config.expectedOrigin;
      if (!origin) throw problem('SERVICE_NOT_READY', 'the portal does not know its origin yet');
      const now = ctx.now();
      const id = randomBytes(16).toString('base64url');
      const challenge = randomBytes(32);
      const expiresAt = new Date(now.getTime() + ctx.config.challengeTtlSeconds * 1000).toISOString();
      writeTx(ctx.db, () => {
        ctx.db
          .prepare('DELETE FROM auth_challenges WHERE expires_at < ?')
          .run(new Date(now.getTime() - 3600_000).toISOString());
        ctx.db
          .prepare('INSERT INTO auth_challenges (id, challenge, origin, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)')
          .run(id, challenge, origin, now.toISOString(), expiresAt);
      });
      reply.code(201);
      return { challengeId: id, challenge: base64url(challenge), expiresAt };
    },
  );

  app.post<{ Body: LoginBody }>(
    '/auth/login',
    {
      config: { rateLimit: ctx.config.rateLimits.login },
      schema: {
        tags: ['auth'],
        summary: 'Log in with a card-signed challenge',
        description:
          'Sets the myna_session cookie. Refused: unknown/used/expired/foreign challenges, signatures not over ' +
          "(challenge, the portal's origin), certificates that are untrusted, expired or revoked.",
        body: loginBody,
        response: {
          200: {
            type: 'object',
            required: ['resident', 'session', 'registered'],
            properties: {
              resident: residentSummary,
              registered: { type: 'boolean', description: 'true when this login created the resident record' },
              session: {
                type: 'object',
                required: ['createdAt', 'expiresAt', 'idleTimeoutSeconds'],
                properties: {
                  createdAt: timestamp('Login time'),
                  expiresAt: timestamp('Absolute end of the session'),
                  idleTimeoutSeconds: { type: 'integer' },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      // 1. Decode without touching anything.
      const signature = decodeBase64(body.signature);
      const certificate = decodeBase64(body.authCertificate);
      if (!signature || !certificate) {
        throw problem('LOGIN_ASSERTION_MALFORMED', 'signature and authCertificate must be canonical base64/base64url');
      }
      let identity: CertificateIdentity;
      try {
        identity = certificateIdentity(certificate);
      } catch {
        throw problem('LOGIN_ASSERTION_MALFORMED', 'authCertificate is not a DER X.509 certificate');
      }

      // 2. The challenge: known, unused, unexpired, ours.
      const row = ctx.db.prepare('SELECT * FROM auth_challenges WHERE id = ?').get(body.challengeId) as
        | ChallengeRow
        | undefined;
      const now = ctx.now();
      if (!row) throw problem('CHALLENGE_UNKNOWN', 'this portal did not issue that challenge (or it was purged)');
      if (row.consumed_at !== null) throw problem('CHALLENGE_ALREADY_USED', 'each challenge allows one login attempt');
      if (now.getTime() >= Date.parse(row.expires_at)) {
        throw problem('CHALLENGE_EXPIRED', `the challenge expired at ${row.expires_at}; request a new one`);
      }
      if (row.origin !== ctx.config.expectedOrigin) {
        throw problem('CHALLENGE_ORIGIN_MISMATCH', `the challenge was issued for ${row.origin}`);
      }

      // 3. Consume it (one attempt per challenge), then verify.
      const consumed = writeTx(
        ctx.db,
        () =>
          ctx.db
            .prepare('UPDATE auth_challenges SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL')
            .run(now.toISOString(), row.id).changes,
      );
      if (consumed !== 1) throw problem('CHALLENGE_ALREADY_USED', 'each challenge allows one login attempt');

      const result = await verifyLoginAssertion(
        { challenge: new Uint8Array(row.challenge), origin: row.origin, signature, authCertificate: certificate },
        { ...ctx.trust.auth, now: ctx.now() },
      );
      if (!result.valid) {
        const code = loginFailureCode(result);
        const first = result.failures[0];
        throw problem(code, first?.message ?? 'the login assertion does not verify', {
          ...(first ? { detailJa: first.messageJa } : {}),
          failures: result.failures.map((f) => ({ check: f.check, message: f.message, messageJa: f.messageJa })),
        });
      }

      // 4. Resident, session, 操作履歴, notification — one transaction.
      const oldToken = request.cookies[SESSION_COOKIE];
      const old = oldToken ? lookupSession(ctx, oldToken) : undefined;
      const at = ctx.now();
      const atIso = at.toISOString();
      const outcome = writeTx(ctx.db, () => {
        let resident = findResidentByCertificate(ctx, identity);
        let registered = false;
        if (!resident) {
          if (!ctx.config.autoRegister) {
            throw problem('RESIDENT_UNKNOWN', 'register at your municipality or enable automatic registration');
          }
          const id = randomId('r');
          ctx.db
            .prepare(
              `INSERT INTO residents (id, display_name, municipality_code, email, login_notification, registered_via, created_at, updated_at)
               VALUES (?, NULL, NULL, NULL, 0, 'auto', ?, ?)`,
            )
            .run(id, atIso, atIso);
          ctx.db
            .prepare(
              `INSERT INTO resident_certificates (issuer, serial_number, resident_id, kind, subject, sha256, not_before, not_after, registered_at)
               VALUES (?, ?, ?, 'auth', ?, ?, ?, ?, ?)`,
            )
            .run(
              identity.issuer,
              identity.serialNumber,
              id,
              identity.subject,
              identity.sha256,
              identity.notBefore,
              identity.notAfter,
              atIso,
            );
          resident = { id, display_name: null, email: null, login_notification: 0 };
          registered = true;
        }
        if (old && 'auth' in old) endSession(ctx.db, old.auth.sessionIdHash, atIso, 'replaced');
        pruneSessions(ctx.db, at);
        const session = createSession(ctx.db, ctx, resident.id, identity.serialNumber);
        recordActivity(ctx.db, resident.id, atIso, 'login', 'マイナンバーカード（利用者証明用電子証明書）でログイン', {
          certificateSerial: identity.serialNumber,
          ip: request.ip,
          userAgent: (request.headers['user-agent'] ?? '').slice(0, 200),
        });
        if (resident.login_notification === 1 && resident.email) {
          queueEmail(ctx.db, {
            residentId: resident.id,
            kind: 'login-notification',
            to: resident.email,
            subject: '【マイナポータル】ログインのお知らせ',
            body: [
              `${resident.display_name ?? '利用者'} 様`,
              '',
              `${jstDateTime(at)}（日本時間）に、マイナンバーカードでマイナポータルへのログインがありました。`,
              '',
              'このログインに心当たりがない場合は、マイナンバーカードの一時利用停止をご検討ください。',
              '（このメールはログイン通知を設定した方にお送りしています）',
            ].join('\n'),
            at: atIso,
          });
        }
        return { resident, registered, session };
      });

      reply.setCookie(SESSION_COOKIE, outcome.session.token, cookieOptions(ctx, ctx.config.session.absoluteSeconds));
      return {
        resident: { id: outcome.resident.id, displayName: outcome.resident.display_name },
        registered: outcome.registered,
        session: {
          createdAt: outcome.session.createdAt,
          expiresAt: outcome.session.expiresAt,
          idleTimeoutSeconds: ctx.config.session.idleSeconds,
        },
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session (idempotent; clears the cookie)',
        response: { 204: { type: 'null', description: 'Logged out (or there was no session)' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      const found = token ? lookupSession(ctx, token) : undefined;
      if (found && 'auth' in found) {
        const at = ctx.now().toISOString();
        writeTx(ctx.db, () => {
          if (endSession(ctx.db, found.auth.sessionIdHash, at, 'logout')) {
            recordActivity(ctx.db, found.auth.residentId, at, 'logout', 'ログアウト');
          }
        });
      }
      reply.clearCookie(SESSION_COOKIE, cookieOptions(ctx));
      reply.code(204);
      return null;
    },
  );
}
