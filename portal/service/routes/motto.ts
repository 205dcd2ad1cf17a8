/**
 * もっとつながる (外部サイト連携): the catalogue of linked external sites and their key set are
 * public; a logged-in resident asks for a short-lived signed assertion for one site, which the
 * app hands to the site's login URL. portal/motto/assertion.ts says how a site verifies it.
 * Every assertion issued is recorded in 操作履歴 and in the resident's list of used sites.
 */
import type { FastifyInstance } from 'fastify';
import { writeTx } from '../../db/database.ts';
import { ASSERTION_TYP, issueAssertion } from '../../motto/assertion.ts';
import { JWS_ALG } from '../../motto/jws.ts';
import { listLinks, listSites, loadSite, touchLink } from '../../motto/sites.ts';
import { recordActivity } from '../activity.ts';
import { authOf, type PortalContext } from '../context.ts';
import { problem, problemResponses } from '../problem.ts';
import { timestamp } from '../schemas.ts';

const siteSchema = {
  type: 'object',
  required: ['id', 'name', 'description', 'category', 'siteUrl', 'loginUrl'],
  properties: {
    id: { type: 'string', description: 'Site id: the `aud` of its assertions' },
    name: { type: 'string', description: 'サイト名' },
    description: { type: 'string', description: '説明' },
    category: { type: 'string', description: '分類' },
    siteUrl: { type: 'string', description: 'サイトのURL' },
    loginUrl: { type: 'string', description: 'Where the app POSTs the assertion (form field `assertion`)' },
  },
} as const;

const siteParam = {
  type: 'object',
  required: ['siteId'],
  additionalProperties: false,
  properties: { siteId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' } },
} as const;

function runtime(ctx: PortalContext) {
  const m = ctx.motto;
  if (!m?.issuer) throw problem('SERVICE_NOT_READY', 'もっとつながる is not configured');
  return { ...m, issuer: m.issuer };
}

/** Public: the catalogue and the key set. */
export async function mottoPublicRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.portal;

  app.get(
    '/motto/sites',
    {
      schema: {
        tags: ['motto'],
        summary: 'もっとつながる: the external sites a resident can log in to with the portal',
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: siteSchema } },
          },
          ...problemResponses,
        },
      },
    },
    async () => ({ items: listSites(ctx.db) }),
  );

  app.get(
    '/motto/jwks.json',
    {
      schema: {
        tags: ['motto'],
        summary: 'The public key(s) that verify the assertions (JWK set, RFC 7517)',
        description:
          'A site verifies an assertion as a compact JWS: alg ES256 only, kid from this set, typ ' +
          `${ASSERTION_TYP}; iss = the portal URL, aud = its site id, not expired, nonce as sent, jti used once.`,
        response: {
          200: {
            type: 'object',
            required: ['keys'],
            properties: {
              keys: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use'],
                  properties: {
                    kty: { type: 'string', enum: ['EC'] },
                    crv: { type: 'string', enum: ['P-256'] },
                    x: { type: 'string' },
                    y: { type: 'string' },
                    kid: { type: 'string', description: 'RFC 7638 thumbprint' },
                    alg: { type: 'string', enum: [JWS_ALG] },
                    use: { type: 'string', enum: ['sig'] },
                  },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (_request, reply) => {
      const m = ctx.motto;
      if (!m) throw problem('SERVICE_NOT_READY', 'もっとつながる is not configured');
      reply.header('cache-control', 'public, max-age=300');
      return { keys: [m.keys.jwk] };
    },
  );
}

/** Resident: assertions and the sites used. */
export async function mottoRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.portal;

  app.post<{ Params: { siteId: string }; Body: { nonce?: string } }>(
    '/motto/sites/:siteId/assertion',
    {
      // No body (or an empty one) is the same as {}: the nonce is optional.
      preValidation: async (request) => {
        if (request.body === undefined) request.body = {};
      },
      schema: {
        tags: ['motto'],
        summary: 'Issue a short-lived signed assertion that logs the resident in to a linked site',
        description:
          'A compact JWS (ES256, verify with GET /api/v1/motto/jwks.json) with iss, aud (the site id), sub (a ' +
          'pairwise pseudonym: stable per resident and site, unlinkable across sites), iat, exp (60 s), jti and ' +
          'the nonce the site gave the app, if any. Recorded in 操作履歴.',
        params: siteParam,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            nonce: {
              type: 'string',
              minLength: 8,
              maxLength: 128,
              pattern: '^[A-Za-z0-9._~-]+$',
              description: 'The site’s nonce for this login attempt (echoed in the assertion)',
            },
          },
        },
        response: {
          201: {
            type: 'object',
            required: ['assertion', 'tokenType', 'expiresAt', 'jti', 'site'],
            properties: {
              assertion: { type: 'string', description: 'Compact JWS' },
              tokenType: { type: 'string', enum: [ASSERTION_TYP] },
              expiresAt: timestamp('有効期限'),
              jti: { type: 'string' },
              site: siteSchema,
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const m = runtime(ctx);
      const site = loadSite(ctx.db, request.params.siteId);
      if (!site) throw problem('MOTTO_SITE_NOT_FOUND', `no linked site ${request.params.siteId}`);
      const now = ctx.now();
      const nonce = request.body.nonce;
      const { token, claims } = issueAssertion(m.keys, {
        issuer: m.issuer,
        siteId: site.id,
        residentId: auth.residentId,
        now,
        ttlSeconds: m.ttlSeconds,
        ...(nonce !== undefined ? { nonce } : {}),
      });
      const at = now.toISOString();
      writeTx(ctx.db, () => {
        touchLink(ctx.db, auth.residentId, site.id, at, claims.jti);
        recordActivity(
          ctx.db,
          auth.residentId,
          at,
          'motto-login',
          `外部サイト「${site.name}」へのログイン（もっとつながる）`,
          {
            siteId: site.id,
            jti: claims.jti,
            expiresAt: new Date(claims.exp * 1000).toISOString(),
          },
        );
      });
      reply.code(201).header('cache-control', 'no-store');
      return {
        assertion: token,
        tokenType: ASSERTION_TYP,
        expiresAt: new Date(claims.exp * 1000).toISOString(),
        jti: claims.jti,
        site,
      };
    },
  );

  app.get(
    '/motto/links',
    {
      schema: {
        tags: ['motto'],
        summary: 'The linked sites this resident has logged in to, most recent first',
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['site', 'firstUsedAt', 'lastUsedAt', 'assertionCount'],
                  properties: {
                    site: {
                      type: 'object',
                      required: ['id', 'name', 'category', 'siteUrl', 'loginUrl'],
                      properties: {
                        id: { type: 'string' },
                        name: { type: 'string' },
                        category: { type: 'string' },
                        siteUrl: { type: 'string' },
                        loginUrl: { type: 'string' },
                      },
                    },
                    firstUsedAt: timestamp('初回連携日時'),
                    lastUsedAt: timestamp('最終利用日時'),
                    assertionCount: { type: 'integer', description: 'ログイン用アサーションの発行回数' },
                  },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => ({
      items: listLinks(ctx.db, authOf(request).residentId).map((r) => ({
        site: { id: r.id, name: r.name, category: r.category, siteUrl: r.site_url, loginUrl: r.login_url },
        firstUsedAt: r.first_used_at,
        lastUsedAt: r.last_used_at,
        assertionCount: r.assertion_count,
      })),
    }),
  );
}
